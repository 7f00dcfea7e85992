import type { IncomingMessage } from 'node:http';

export type BodyRead = { text: string } | { unread: 'too large' | 'late' | 'ended' };

/**
 * The body as text; or why it was not read: over `maxBytes`, not in by the operation's deadline
 * (`late`), or the operation ended otherwise (the caller went, the gateway is stopping). Reading
 * stops at once in each case instead of buffering whatever, and whenever, a caller sends.
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (read: BodyRead) => {
      signal.removeEventListener('abort', onAbort);
      if ('unread' in read) req.removeAllListeners('data').pause();
      resolve(read);
    };
    const onAbort = () =>
      finish({
        unread: (signal.reason as Error | undefined)?.name === 'TimeoutError' ? 'late' : 'ended',
      });
    if (Number(req.headers['content-length']) > maxBytes) {
      finish({ unread: 'too large' });
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish({ unread: 'too large' });
      else chunks.push(chunk);
    });
    req.on('end', () => finish({ text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

// Media types are case-insensitive and may carry parameters (`; charset=utf-8`).
export function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
