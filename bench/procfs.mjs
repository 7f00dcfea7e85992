import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// What the benchmark reads from Linux's /proc: a process's own CPU time and peak memory, and
// the whole machine's CPU time including what the hypervisor stole.

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU time the process has used, in milliseconds (utime + stime). */
export const processCpuMs = (pid) => cpuMsIn(`/proc/${pid}/stat`);
/** The same for its main thread alone (JavaScript runs there; zlib's async work does not). */
export const mainThreadCpuMs = (pid) => cpuMsIn(`/proc/${pid}/task/${pid}/stat`);

function cpuMsIn(statFile) {
  const stat = readFileSync(statFile, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

function statusKiB(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match ? Number(match[1]) : NaN;
}

/** The process's peak resident set since it started (VmHWM), in MiB. */
export const peakRssMiB = (pid) => statusKiB(pid, 'VmHWM') / 1024;
/** Its resident set now (VmRSS), in MiB. */
export const rssMiB = (pid) => statusKiB(pid, 'VmRSS') / 1024;

/** The machine's CPU time so far, in ticks: all of it, and the part stolen by the hypervisor. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already
  // counted in user, so the total stops at steal.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return {
    total: ticks.reduce((a, b) => a + b, 0),
    idle: (ticks[3] ?? 0) + (ticks[4] ?? 0),
    steal: ticks[7] ?? 0,
  };
}

/** CPU time in use between two `machineCpu()` readings, in percent of one core. */
export function busyPercentOfCore(before, after, cores) {
  const total = after.total - before.total;
  const busy = total - (after.idle - before.idle) - (after.steal - before.steal);
  return total > 0 ? (busy / total) * cores * 100 : 0;
}

/** Steal between two `machineCpu()` readings, as a percentage of all CPU time. */
export function stealPercent(before, after) {
  const total = after.total - before.total;
  return total > 0 ? ((after.steal - before.steal) / total) * 100 : 0;
}
