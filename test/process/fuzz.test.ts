// The fuzz test of test/integration/fuzz.test.ts, fewer requests, against the built gateway
// (`node dist/index.js`) in front of a recording stand-in: here a crash would end the process
// (Node's default for an uncaught exception or an unhandled rejection), and the log is its real
// stdout. FUZZ_RUNS, FUZZ_SECONDS and FUZZ_SEED apply as there; a failure is reported as found,
// not shrunk.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { startStatsApi, type StatsApi } from '../../src/demo/statsApi.js';
import { referenceInteraction } from '../support/fixture.js';
import { fuzzParameters, fuzzTimeoutMs, problemsAfter } from '../support/fuzzing.js';
import { hostileRequest } from '../support/hostile.js';
import {
  startGatewayProcess,
  stopGatewayProcesses,
  type GatewayProcess,
} from '../support/process.js';

/** Whether /healthz answers 200, on a connection of its own (a kept-alive one may be closing). */
function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(new URL('/healthz', url), { agent: false, timeout: 5000 }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

describe('the built gateway under generated hostile requests', () => {
  const token = `fuzz-SECRET-${randomUUID()}`;
  let api: StatsApi;
  afterEach(async () => {
    stopGatewayProcesses();
    await api?.close();
  });

  it(
    'keeps running, answers each safely, logs no token and exits 0 on SIGTERM',
    async () => {
      api = await startStatsApi({ accounts: { [token]: [referenceInteraction()] }, record: true });
      const gateway: GatewayProcess = await startGatewayProcess({
        env: { STATS_API_URL: api.url, LOG_LEVEL: 'info' },
      });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const target = {
        url: gateway.url,
        token,
        agent,
        upstreamCalls: () => api.requests.length,
        logMark: () => gateway.stdout().length,
        loggedSince: (mark: number) => gateway.stdout().slice(mark),
        // A crash often comes just after the answer: /healthz tells, and the exit says why.
        faults: async () => {
          if ((await healthy(gateway.url)) || (await healthy(gateway.url))) return [];
          return [`the gateway stopped (exit ${gateway.child.exitCode}): ${gateway.stderr()}`];
        },
      };
      const property = fc.asyncProperty(hostileRequest, async (request) => {
        const problems = await problemsAfter(target, request);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      });
      // No shrinking: after a crash there is no gateway left to shrink against.
      await fc.assert(property, fuzzParameters(150, { endOnFailure: true }));
      agent.destroy();

      // Node's one warning when undici's decompression is first used is all stderr may hold.
      const warning = /ExperimentalWarning: DecompressInterceptor|--trace-warnings/;
      expect(
        gateway
          .stderr()
          .split('\n')
          .filter((line) => line && !warning.test(line)),
      ).toEqual([]);
      expect(gateway.stdout()).not.toContain(token);
      expect(await gateway.terminate(10_000)).toBe(0);
    },
    fuzzTimeoutMs(150),
  );
});
