import { ConfigError, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('defaults to demo mode on port 4000 when nothing is set', () => {
    expect(parseConfig({})).toEqual({
      statsApiUrl: undefined,
      port: 4000,
      host: undefined,
      upstreamTimeoutMs: 10_000,
      upstreamConcurrency: 8,
      logLevel: 'info',
    });
  });

  it('turns a region into its documented base URL', () => {
    expect(parseConfig({ STATS_API_REGION: 'emea' }).statsApiUrl).toBe(
      'https://emea.api.newvoicemedia.com/stats',
    );
  });

  it('takes a base URL without its trailing slash', () => {
    expect(parseConfig({ STATS_API_URL: 'https://nam.api.cc.vonage.com/stats/' }).statsApiUrl).toBe(
      'https://nam.api.cc.vonage.com/stats',
    );
  });

  it('lists every problem at once', () => {
    const env = {
      STATS_API_URL: 'ftp://user:pw@example.com/stats?x=1',
      STATS_API_REGION: 'mars',
      PORT: '70000',
      UPSTREAM_TIMEOUT_MS: 'soon',
      UPSTREAM_CONCURRENCY: '0',
      LOG_LEVEL: 'loud',
    };
    let problems: string[] = [];
    try {
      parseConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'STATS_API_REGION must be one of emea, nam, apac, got "mars"',
      'set STATS_API_URL or STATS_API_REGION, not both',
      'STATS_API_URL must be http or https, got "ftp:"',
      'STATS_API_URL must not carry credentials, a query or a fragment',
      'PORT must be a whole number from 0 to 65535, got "70000"',
      'UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 600000, got "soon"',
      'UPSTREAM_CONCURRENCY must be a whole number from 1 to 256, got "0"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
  });

  it('refuses a relative URL', () => {
    expect(() => parseConfig({ STATS_API_URL: '/stats' })).toThrow(
      'STATS_API_URL must be an absolute URL',
    );
  });
});
