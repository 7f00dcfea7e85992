import http from 'node:http';
import https from 'node:https';
import { Options } from 'got';
import { statsGot } from '../../src/upstream/statsHttp.js';

// The gateway's got instance builds node:http's options itself (statsHttp.ts, `nativeOptions`)
// rather than through got's own method, which is slow. The two must agree on every field got
// would set: an option added to the instance and not passed on would be silently dropped.
describe("the got instance's request options", () => {
  const agent = { http: new http.Agent(), https: new https.Agent() };
  const instance = statsGot(1000, agent);

  // Got's own, without the fields it leaves undefined (node:http reads those as absent).
  const gotsOwn = (options: Options) =>
    Object.fromEntries(
      Object.entries(Options.prototype.createNativeRequestOptions.call(options)).filter(
        ([, value]) => value !== undefined,
      ),
    );

  it.each(['http://stats.example/stats/interactions/g', 'https://stats.example/stats/x?y=1'])(
    'are what got itself would pass to node:http, for %s',
    (url) => {
      const options = new Options(
        url,
        {
          headers: { authorization: 'Bearer t', 'x-request-id': 'r' },
          signal: new AbortController().signal,
        },
        instance.defaults.options,
      );
      expect(Object.hasOwn(options, 'createNativeRequestOptions')).toBe(true);
      const ours = options.createNativeRequestOptions();
      expect(ours).toEqual(gotsOwn(options));
      expect(ours.agent).toBe(url.startsWith('https:') ? agent.https : agent.http);
      expect(ours.headers).toMatchObject({ authorization: 'Bearer t', 'x-request-id': 'r' });
    },
  );
});
