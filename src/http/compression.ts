import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Negotiator from 'negotiator';
import type { CompressionConfig } from '../config.js';

// Levels for answers made per request, measured on a page of 100 interactions with their
// timelines (docs/clients.md, "Compressed answers"): brotli's default quality, 11, takes 280 ms
// of CPU for it; 5 makes 8.0% of the page in 1.3 ms, where 4 makes 9.4% and 6 only 7.9%.
// gzip's default, 6, makes 8.9% in 1.4 ms; 9 saves 7% more for 2.6 times the CPU.
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);

// zlib's asynchronous calls compress on libuv's threads, off the JavaScript thread that every
// operation shares: it spends about 0.4 ms per page on br rather than about 1 ms, for about
// 2 ms more CPU in all (measured with npm run bench:compression).
const ENCODERS = {
  br: (body: string, bytes: number) =>
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes,
      },
    }),
  gzip: (body: string) => gzip(body, { level: GZIP_LEVEL }),
  deflate: (body: string) => deflate(body, { level: GZIP_LEVEL }),
};

// The gateway's order where a client likes several codings as well as each other: the
// smallest first. `identity` is last, and is what a client that accepts none of them gets.
const CODINGS = ['br', 'gzip', 'deflate', 'identity'] as const;
const PREFERRED = { preferred: CODINGS };

export interface AnswerCompression {
  /** Says on a /graphql answer, before anything is written, that it varies by coding. */
  vary(res: ServerResponse): void;
  /** Ends `res` with `body`, compressed as the request's Accept-Encoding allows. */
  end(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> | void;
}

/** Compression of /graphql answers (COMPRESSION, COMPRESSION_MIN_BYTES). */
export function answerCompression({ enabled, minBytes }: CompressionConfig): AnswerCompression {
  if (!enabled) return { vary() {}, end: (_req, res, body) => void res.end(body) };
  return {
    vary(res) {
      const vary = res.getHeader('vary');
      res.setHeader('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
    },
    async end(req, res, body) {
      // A client that asks for nothing, and a small answer, cost no more than before.
      if (!req.headers['accept-encoding']) {
        res.end(body);
        return;
      }
      const bytes = Buffer.byteLength(body);
      const coding =
        bytes < minBytes ? 'identity' : new Negotiator(req).encoding(CODINGS, PREFERRED);
      if (coding === undefined || coding === 'identity') {
        res.end(body);
        return;
      }
      const compressed = await ENCODERS[coding as keyof typeof ENCODERS](body, bytes);
      res.setHeader('content-encoding', coding);
      res.end(compressed);
    },
  };
}
