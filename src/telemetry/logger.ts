import { pino, type DestinationStream, type Logger } from 'pino';

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

/**
 * The process's logger on stdout: JSON wherever a machine reads it (containers, pipes, files),
 * human-readable lines when a person is watching a terminal, as with `npm start` by hand.
 */
export async function createStdoutLogger(level: string): Promise<Logger> {
  if (!process.stdout.isTTY) return createLogger(level);
  const { default: pretty } = await import('pino-pretty');
  return createLogger(
    level,
    pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }),
  );
}
