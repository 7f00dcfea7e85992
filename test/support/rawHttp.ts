import { connect, type Socket } from 'node:net';
import { within } from './wait.js';

/**
 * A plain TCP connection to the gateway, for what fetch cannot do: send a request a byte at a
 * time, or keep one connection for several requests and read exactly what came back.
 */
export interface RawConnection {
  socket: Socket;
  /** Everything the gateway sent so far. */
  received(): string;
  /**
   * Milliseconds from connecting to the gateway closing the connection, or `Infinity` if it is
   * still open `waitMs` from now; then this end closes it.
   */
  closedWithin(waitMs: number): Promise<number>;
  /** Writes `text` one character every `everyMs`, until it is all sent or the connection ends. */
  trickle(text: string, everyMs: number): Promise<void>;
  /** Resolves once `received()` holds `count` complete answers (ends of their bodies). */
  answers(count: number, timeoutMs?: number): Promise<string>;
}

export async function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
  socket.on('error', () => {}); // a reset is one way of being closed; `closed` reports it
  await new Promise((resolve) => socket.once('connect', resolve));
  const opened = performance.now();
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const closed = new Promise<number>((resolve) => {
    socket.once('close', () => resolve(performance.now() - opened));
  });
  return {
    socket,
    received: () => text,
    async closedWithin(waitMs) {
      const ms = await within(closed, waitMs, Infinity);
      socket.destroy();
      return ms;
    },
    async trickle(data, everyMs) {
      for (const char of data) {
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(char);
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    },
    async answers(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (countAnswers(text) < count) {
        if (Date.now() > until) throw new Error(`${count} answers not received: ${text}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return text;
    },
  };
}

/** Answers with a Content-Length body that has fully arrived in `text`. */
function countAnswers(text: string): number {
  let count = 0;
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return count;
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
    if (Buffer.byteLength(rest.slice(end + 4)) < length) return count;
    rest = Buffer.from(rest.slice(end + 4))
      .subarray(length)
      .toString();
    count++;
  }
}

/** A complete POST of a GraphQL operation, as HTTP/1.1 text. */
export function postText(url: string, body: string, headers: Record<string, string> = {}): string {
  const { host, pathname } = new URL(url);
  const lines = [
    `POST ${pathname} HTTP/1.1`,
    `host: ${host}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
