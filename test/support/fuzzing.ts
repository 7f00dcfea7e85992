import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type fc from 'fast-check';
import type { HostileRequest } from './hostile.js';
import { problemsWith, send, withToken } from './hostileAnswers.js';
import { refusedBeforeUpstream } from './hostileOracle.js';

// The run shared by the fuzz tests (test/integration/fuzz.test.ts against the gateway in the
// test's process, test/process/fuzz.test.ts against the built one): how many requests, from
// which seed, and what is checked after each.

/**
 * A fixed number of requests from a fixed seed, so that a failure reproduces; FUZZ_RUNS sends
 * more, FUZZ_SECONDS sends them for that long from a random seed (printed on failure), and
 * FUZZ_SEED with FUZZ_PATH replays a reported failure.
 */
export function fuzzParameters(
  runs: number,
  more: fc.Parameters<[HostileRequest]> = {},
): fc.Parameters<[HostileRequest]> {
  const seconds = fuzzSeconds();
  return {
    ...more,
    seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : seconds ? Date.now() : 20_240_613,
    path: process.env.FUZZ_PATH,
    ...(seconds
      ? { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000 }
      : { numRuns: Number(process.env.FUZZ_RUNS ?? runs) }),
  };
}

const fuzzSeconds = (): number => Number(process.env.FUZZ_SECONDS ?? 0);

/** Jest's time limit for a run of `fuzzParameters(runs)`: generous, as requests vary a lot. */
export function fuzzTimeoutMs(runs: number): number {
  const seconds = fuzzSeconds();
  if (seconds) return (seconds + 120) * 1000;
  return Math.max(60_000, Number(process.env.FUZZ_RUNS ?? runs) * 100);
}

/** A gateway under test, and what it lets a test observe besides its answers. */
export interface FuzzTarget {
  url: string;
  token: string;
  agent: http.Agent;
  upstreamCalls(): number;
  /** A mark in the gateway's log, and what it has logged since a mark. */
  logMark(): number;
  loggedSince(mark: number): string;
  /** What went wrong in the gateway beyond its answer (a crash, a polluted prototype). */
  faults(): string[] | Promise<string[]>;
}

/** Sends one generated request and lists what is wrong: with its answer, logs or upstream use. */
export async function problemsAfter(
  target: FuzzTarget,
  generated: HostileRequest,
): Promise<string[]> {
  const request = withToken(generated, target.token);
  const calls = target.upstreamCalls();
  const mark = target.logMark();
  const answer = await send(target.url, request, target.agent);
  await sleep(1); // lets a rejection or a throw the request left behind be reported
  const problems = problemsWith(request, answer, target.token);
  if (refusedBeforeUpstream(request) && target.upstreamCalls() > calls) {
    problems.push(`${target.upstreamCalls() - calls} Stats API calls for refused input`);
  }
  if (target.loggedSince(mark).includes(target.token)) {
    problems.push('the token is in a log line');
  }
  problems.push(...(await target.faults()));
  if (problems.length === 0) return [];
  return [...problems, `status ${answer.status}: ${answer.body.toString('utf8').slice(0, 600)}`];
}
