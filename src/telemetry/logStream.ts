import type { Writable } from 'node:stream';

/**
 * Where the process's JSON log lines go: stdout, with a bound on what waits to be written. A
 * reader that stalls (a stuck log shipper, a full pipe) must never stop the gateway: the
 * default pino destination either blocks the event loop on a full pipe or retries for ever at
 * exit, and an unbounded buffer grows until the process dies. Past the bound, lines are dropped
 * and counted, with one line saying so when dropping starts and one when it stops.
 */
export interface LogStream {
  write(line: string): void;
  /** Lines dropped since the process started (stats_gateway_log_lines_dropped_total). */
  droppedLines(): number;
  /** Waits until what is buffered is written, or `timeoutMs` passes, whichever comes first. */
  flush(timeoutMs: number): Promise<void>;
}

/** Written beside pino's own lines, in their shape, so log pipelines parse them alike. */
function notice(msg: string, fields: Record<string, number> = {}): string {
  const line = { level: 40, time: Date.now(), service: 'stats-gateway', ...fields, msg };
  return `${JSON.stringify(line)}\n`;
}

export function createLogStream(out: Writable, maxBufferedBytes: number): LogStream {
  let dropped = 0;
  // Lines dropped since dropping last started; `undefined` while nothing is being dropped.
  let episode: number | undefined;
  const resume = () => {
    if (episode === undefined) return;
    out.write(notice('log lines no longer dropped', { droppedLines: episode }));
    episode = undefined;
  };
  out.on('drain', resume);
  return {
    write(line) {
      if (out.writableLength + line.length > maxBufferedBytes) {
        dropped++;
        if (episode === undefined) {
          episode = 0;
          out.write(notice('log lines dropped: stdout is not being read fast enough'));
        }
        episode++;
        return;
      }
      resume();
      out.write(line);
    },
    droppedLines: () => dropped,
    flush(timeoutMs) {
      if (out.writableLength === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          out.off('drain', done);
          resolve();
        }
        out.once('drain', done);
      });
    },
  };
}
