// Property-based tests: generated hostile requests (test/support/hostile.ts) thrown at a running
// gateway over real sockets, each answer checked by the rules every answer keeps
// (test/support/hostileAnswers.ts, test/support/fuzzing.ts): never a 5xx; only 200, 400, 405,
// 406, 413, 415 on /graphql (204 for a preflight, 431 or a closed connection for oversized
// headers, Node's own 400 for a method it does not know); JSON with a known, non-internal
// `extensions.code` on every error; no Stats API call for input the gateway must refuse
// (test/support/hostileOracle.ts); the caller's token in no answer and no log line, even when
// pasted into variables; Object.prototype untouched; no unhandled rejection or uncaught
// exception. After the run the gateway still answers /healthz and a normal query.
//
// `npm test` sends 400 requests from a fixed seed, so a failure reproduces; a failure prints the
// seed, the path and the shrunk request. For a longer hunt:
//   FUZZ_SECONDS=300 npm test -- test/integration/fuzz.test.ts   (a random seed, for 5 minutes)
//   FUZZ_RUNS=20000 npm test -- test/integration/fuzz.test.ts    (the fixed seed, more requests)
//   FUZZ_SEED=<seed> FUZZ_PATH=<path> npm test -- ...             (replays a reported failure)
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import vm from 'node:vm';
import fc from 'fast-check';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import {
  fuzzParameters,
  fuzzTimeoutMs,
  problemsAfter,
  type FuzzTarget,
} from '../support/fuzzing.js';
import { startHarness, type Harness } from '../support/harness.js';
import { hostileRequest } from '../support/hostile.js';

// Jest gives a test file its own `process`, whose listeners never hear of an unhandled rejection
// or uncaught exception; the main context's is the one Node tells.
const realProcess = vm.runInThisContext('process') as NodeJS.Process;

// A Map, not an object: a lookup on an object would itself read a polluted prototype.
const descriptors = () => {
  const own = Object.getOwnPropertyDescriptors(Object.prototype);
  return new Map(Reflect.ownKeys(own).map((key) => [key, own[key as string]]));
};
const PROTOTYPE = descriptors();

/**
 * The names a request added to or changed on Object.prototype, which is then put back: a
 * polluted prototype would fail every later request, and fast-check would shrink to one of them.
 */
function prototypeChanges(): string[] {
  const changed = [...descriptors()].filter(
    ([key, now]) => now?.value !== PROTOTYPE.get(key)?.value,
  );
  for (const [key] of changed) {
    const original = PROTOTYPE.get(key);
    if (original) Object.defineProperty(Object.prototype, key, original);
    else Reflect.deleteProperty(Object.prototype, key);
  }
  return changed.map(([key]) => String(key));
}

describe('hostile requests, generated', () => {
  const token = `fuzz-SECRET-${randomUUID()}`;
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);
  let harness: Harness;
  let target: FuzzTarget;
  beforeAll(async () => {
    harness = await startHarness({ [token]: [referenceInteraction()] });
    realProcess.on('unhandledRejection', onUnhandled).on('uncaughtException', onUnhandled);
    target = {
      url: harness.gateway.url,
      token,
      agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
      upstreamCalls: () => harness.upstreamCalls(),
      logMark: () => harness.logs.length,
      loggedSince: (mark) => harness.logs.slice(mark).join(''),
      faults: () => {
        const polluted = prototypeChanges();
        return [
          ...unhandled.splice(0).map((error) => `unhandled: ${String(error)}`),
          ...(polluted.length > 0 ? [`Object.prototype changed: ${polluted.join(', ')}`] : []),
        ];
      },
    };
  });
  afterAll(async () => {
    realProcess.off('unhandledRejection', onUnhandled).off('uncaughtException', onUnhandled);
    target.agent.destroy();
    await harness.stop();
  });

  it(
    'get a safe, coded answer, cost no Stats API call when invalid, and never leak the token',
    async () => {
      const property = fc.asyncProperty(hostileRequest, async (request) => {
        const problems = await problemsAfter(target, request);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      });
      await fc.assert(property, fuzzParameters(400));

      expect(harness.logs.join('').includes(token)).toBe(false);
      const origin = new URL(harness.gateway.url).origin;
      expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: 'ok' });
      const data = await harness.data(
        `{ interaction(guid: "${SAMPLE_GUID}") { guid } }`,
        {},
        {
          authorization: `Bearer ${token}`,
        },
      );
      expect(data).toEqual({ interaction: { guid: SAMPLE_GUID } });
    },
    fuzzTimeoutMs(400),
  );
});
