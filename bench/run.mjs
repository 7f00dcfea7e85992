import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { buildAccounts } from './accounts.mjs';
import { describe, measure } from './measure.mjs';
import { killAll, stop } from './processes.mjs';
import { summarise, table } from './report.mjs';
import { buildScenarios, upstreamRequest } from './scenarios.mjs';
import { gatewayLog, startGateway, startStandIn, stopGateway } from './servers.mjs';
import { verify } from './verify.mjs';

// `npm run bench`: the stand-in Stats API, the gateway (`node dist/index.js`, as users run it)
// and the load generator (autocannon), each a process of its own. Every run checks every
// scenario's answer, measures the upstream alone, then each scenario against a fresh gateway;
// the table gives the median over the runs. See docs/benchmarks.md.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (text) => process.stderr.write(`${text}\n`);
let tempDir;

function readSettings(env) {
  const problems = [];
  const number = (name, fallback, min, max) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const settings = {
    durationS: number('BENCH_DURATION', 10, 1, 3600),
    warmupS: number('BENCH_WARMUP', 5, 0, 3600),
    runs: number('BENCH_RUNS', 3, 1, 100),
    connections: number('BENCH_CONNECTIONS', 32, 1, 1000),
    latencyMs: number('BENCH_LATENCY_MS', 20, 1, 10_000),
    scenarios: (env.BENCH_SCENARIOS?.trim() || '1,2,3,4,5').split(',').map(Number),
    logLevel: env.BENCH_LOG_LEVEL?.trim() || 'warn',
  };
  if (!settings.scenarios.every((id) => Number.isInteger(id) && id >= 1 && id <= 5)) {
    problems.push(`BENCH_SCENARIOS must list scenarios 1 to 5, got "${env.BENCH_SCENARIOS}"`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid benchmark settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return settings;
}

/** One run: check every answer, then the upstream alone, then each scenario. */
async function benchRun(run, { scenarios, standIns, settings, accounts, dir }) {
  const items = await verify({ scenarios, standIns, settings, accounts, dir });
  log(`run ${run}: every scenario answers correctly`);
  const rows = [];
  const upstreamRps = new Map();
  for (const standIn of standIns.values()) {
    const label = `upstream alone, ${standIn.latencyMs} ms`;
    const result = await measure({
      origin: standIn.origin,
      items: [upstreamRequest(accounts)],
      pid: standIn.child.pid,
      standIn,
      settings,
      dir,
    });
    upstreamRps.set(standIn.latencyMs, result.rps);
    rows.push({ label, ...result, ratio: 1 });
    log(`run ${run}: ${label}: ${describe(result)}`);
  }
  for (const scenario of scenarios) {
    const label = `${scenario.id}. ${scenario.name}`;
    const standIn = standIns.get(scenario.latencyMs);
    const gateway = await startGateway(standIn, settings, dir);
    let result;
    try {
      result = await measure({
        origin: gateway.origin,
        items: items.get(scenario.id),
        pid: gateway.child.pid,
        standIn,
        settings,
        dir,
      });
    } finally {
      await stopGateway(gateway);
    }
    const logged = gatewayLog(gateway);
    rows.push({
      label,
      ...result,
      ratio: result.rps / upstreamRps.get(scenario.latencyMs),
      gatewayLog: logged,
    });
    log(`run ${run}: ${label}: ${describe(result)}`);
    if (logged.otherLines > 0) {
      log(
        `  the gateway logged ${logged.otherLines} lines, first:\n  ${logged.first.join('\n  ')}`,
      );
    }
  }
  return { run, rows };
}

function writeResults(settings, summary, runs) {
  const date = new Date().toISOString();
  const file = path.join(ROOT, 'bench/results', `${date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    kernel: os.release(),
  };
  writeFileSync(file, `${JSON.stringify({ date, settings, machine, summary, runs }, null, 2)}\n`);
  return path.relative(ROOT, file);
}

async function main() {
  const settings = readSettings(process.env);
  process.chdir(ROOT);
  const accounts = buildAccounts();
  const scenarios = buildScenarios(accounts, settings).filter((s) =>
    settings.scenarios.includes(s.id),
  );
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'stats-gateway-bench-'));
  log(
    `bench: ${settings.runs} run(s), ${settings.warmupS} s warm-up + ${settings.durationS} s ` +
      `measured each, ${settings.connections} connections, scenarios ${settings.scenarios}`,
  );
  const standIns = new Map();
  const runs = [];
  try {
    for (const latencyMs of new Set(scenarios.map((s) => s.latencyMs))) {
      standIns.set(latencyMs, await startStandIn(latencyMs));
    }
    const context = { scenarios, standIns, settings, accounts, dir: tempDir };
    for (let run = 1; run <= settings.runs; run++) runs.push(await benchRun(run, context));
  } finally {
    for (const standIn of standIns.values()) await stop(standIn.child);
    rmSync(tempDir, { recursive: true, force: true });
  }

  const summary = summarise(runs);
  const file = writeResults(settings, summary, runs);
  process.stdout.write(
    `\n${table(summary)}\n\nMedian of ${settings.runs} run(s); errors are added up. ` +
      `Results: ${file}\n`,
  );
  const busiest = Math.max(...runs.flatMap((run) => run.rows.map((row) => row.otherCpuPercent)));
  if (busiest > 10) {
    log(
      `bench: other processes took up to ${busiest.toFixed(0)}% of a core during a measurement: ` +
        'figures from a busy machine are skewed (see otherCpuPercent in the results file)',
    );
  }
  const failed = summary.reduce((sum, row) => sum + row.errors, 0);
  if (failed > 0) {
    log(`bench: ${failed} operations failed or were answered wrongly under load`);
    process.exitCode = 1;
  }
}

function abandon(code) {
  killAll();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGINT', () => abandon(130));
process.on('SIGTERM', () => abandon(143));
main().catch((error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  abandon(1);
});
