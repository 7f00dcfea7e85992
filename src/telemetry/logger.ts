import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createLogStream } from './logStream.js';

export type { Logger };

/**
 * JSON logs. Redaction is a second line of defence: nothing should log a header object in the
 * first place, but if something does, the token never reaches the log.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'stats-gateway' },
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'headers.authorization',
          '*.headers.authorization',
          'headers.cookie',
          '*.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** The process's logger on stdout, and what shutdown and /metrics need to know of it. */
export interface ProcessLog {
  logger: Logger;
  droppedLines(): number;
  flush(timeoutMs: number): Promise<void>;
}

/**
 * JSON wherever a machine reads stdout (containers, pipes, files), bounded so that a stalled
 * reader never stops the gateway (see logStream.ts); human-readable lines when a person is
 * watching a terminal, as with `npm start` by hand.
 */
export async function createProcessLog(level: string, bufferBytes: number): Promise<ProcessLog> {
  // isatty, not process.stdout.isTTY: that getter would open stdout before it is needed.
  if (isatty(1)) {
    const { default: pretty } = await import('pino-pretty');
    const options = {
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
    };
    return {
      logger: createLogger(level, pretty(options)),
      droppedLines: () => 0,
      flush: async () => {},
    };
  }
  const stream = createLogStream(process.stdout, bufferBytes);
  return { logger: createLogger(level, stream), ...stream };
}
