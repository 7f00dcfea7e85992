import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Negotiator from 'negotiator';
import type { CompressionConfig } from '../config.js';

// Levels for answers made per request, chosen by measuring a page of 100 interactions with
// their timelines (docs/clients.md, "Compressed answers"): brotli's default quality (11) takes
// tens of milliseconds of CPU for a page; quality 5 keeps most of its gain at a fraction of
// its cost. gzip's default level (6) is where its gains flatten out.
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);

// zlib's asynchronous calls compress on libuv's threads: the JavaScript thread, which every
// operation shares, spends about 0.5 ms per page on it rather than the 1 to 1.5 ms of the
// synchronous calls (measured: a little more CPU in all, less where the gateway is bound).
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
