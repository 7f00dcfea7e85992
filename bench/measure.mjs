import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNode, stop } from './processes.mjs';
import {
  busyPercentOfCore,
  machineCpu,
  peakRssMiB,
  processCpuMs,
  stealPercent,
} from './procfs.mjs';
import { upstreamStats } from './servers.mjs';

/**
 * One measurement of the server `pid` at `origin`: the load generator (load.mjs) warms it up,
 * then loads it for the measured window, with the server's CPU time, the machine's CPU and
 * steal, and the stand-in's request count read just before and just after the window.
 */
export async function measure({ origin, items, pid, standIn, settings, dir }) {
  const specFile = path.join(dir, 'load.json');
  writeFileSync(
    specFile,
    JSON.stringify({
      origin,
      items,
      connections: settings.connections,
      warmup: settings.warmupS,
      duration: settings.durationS,
    }),
  );
  const load = startNode('load generator', ['bench/load.mjs', specFile]);
  const phase = (name) => (line) => {
    try {
      const message = JSON.parse(line);
      return message.phase === name ? message : undefined;
    } catch {
      return undefined;
    }
  };
  const snapshot = async () => ({
    at: performance.now(),
    server: processCpuMs(pid),
    load: processCpuMs(load.pid),
    upstream: processCpuMs(standIn.child.pid),
    machine: machineCpu(),
    stats: await upstreamStats(standIn),
  });
  try {
    const { warm } = await load.firstLine(phase('warm'), (settings.warmupS + 60) * 1000);
    await sleep(250); // the warm-up's last operations finish outside the window
    const done = load.firstLine(phase('done'), (settings.durationS + 60) * 1000);
    const before = await snapshot();
    load.stdin.write('go\n');
    const { result } = await done;
    const after = await snapshot();
    // CPU time as a percentage of one core: a single-threaded server tops out near 100.
    const percent = (key) => ((after[key] - before[key]) / (after.at - before.at)) * 100;
    const upstreamCpuPercent = pid === standIn.child.pid ? 0 : percent('upstream');
    return {
      ...result,
      warmupErrors: warm?.errors ?? 0,
      cpuMsPerOp: (after.server - before.server) / result.completed,
      upstreamCallsPerOp: (after.stats.requests - before.stats.requests) / result.completed,
      upstreamPeakInFlight: after.stats.peakInFlight,
      stealPercent: stealPercent(before.machine, after.machine),
      peakRssMiB: peakRssMiB(pid),
      serverCpuPercent: percent('server'),
      loadGeneratorCpuPercent: percent('load'),
      upstreamCpuPercent,
      // What the rest of the machine took meanwhile: another build or test run skews figures.
      otherCpuPercent:
        busyPercentOfCore(before.machine, after.machine, os.cpus().length) -
        percent('server') -
        percent('load') -
        upstreamCpuPercent,
    };
  } finally {
    await stop(load);
  }
}

/** One line of progress for a measurement. */
export function describe(r) {
  const others = r.otherCpuPercent > 10;
  return (
    `${r.rps.toFixed(0)} req/s, ${r.cpuMsPerOp.toFixed(3)} ms CPU/op (server ` +
    `${r.serverCpuPercent.toFixed(0)}% of a core, load generator ` +
    `${r.loadGeneratorCpuPercent.toFixed(0)}%), ${r.errors} errors, upstream peak ` +
    `${r.upstreamPeakInFlight} in flight` +
    (others ? `; other processes took ${r.otherCpuPercent.toFixed(0)}% of a core` : '')
  );
}
