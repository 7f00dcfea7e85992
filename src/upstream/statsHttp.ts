import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import zlib from 'node:zlib';
import got, { type Agents, type Got, type Options, type Response } from 'got';
import { BODY_TOO_LARGE, BODY_UNDECODABLE } from './upstreamError.js';

/** The one API version the gateway speaks; v2's payload differences are undocumented. */
export const STATS_ACCEPT = 'application/vnd.newvoicemedia.v3+json';

/** A whole answer: its status, its headers and its body as text, decoded. */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET to the Stats API: the HTTP exchange alone, with no retries and no classification. */
export interface StatsHttp {
  /**
   * `path` below the base URL, with the caller's `Authorization` (verbatim) and request id. It
   * fails with got's error (its `code` says why) when no whole answer came, at the timeout or
   * when `signal` aborts; an answer with any status resolves.
   */
  get(
    path: string,
    caller: { authorization: string; requestId: string; signal: AbortSignal },
  ): Promise<Answer>;
  close(): void;
}

// Bodies may come compressed (lists run to megabytes over the internet). They are decoded here
// rather than by got's `decompress`, whose count of bytes is taken after decoding: the cap must
// hold both for what arrives, counted as it arrives, and for what it decompresses to, which
// zlib's maxOutputLength stops at the cap.
type Decoder = (
  body: Buffer,
  options: { maxOutputLength: number },
  done: (error: Error | null, decoded: Buffer) => void,
) => void;
const DECODERS = new Map<string, Decoder>([
  ['gzip', zlib.gunzip],
  ['x-gzip', zlib.gunzip],
  ['deflate', zlib.inflate],
  ['br', zlib.brotliDecompress],
]);

/**
 * got, the client the design card names, on its stream API: the cheapest of got's ways to make
 * a request (bench/upstreamClients.mjs, against one local server: about 0.35 ms of CPU a
 * request, against 0.45 to 0.5 ms for its promise API), though still some 0.25 ms more than
 * bare node:http or undici (less with `nativeOptions` below). One instance, made once, on
 * keep-alive agents for both schemes.
 */
export function createStatsHttp(options: {
  /** Base URL including `/stats`, for example `https://emea.api.newvoicemedia.com/stats`. */
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number;
}): StatsHttp {
  const base = options.baseUrl.replace(/\/+$/, '');
  const max = options.maxResponseBytes;
  const agent = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  const client = statsGot(options.timeoutMs, agent);

  function get(
    path: string,
    caller: { authorization: string; requestId: string; signal: AbortSignal },
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const stream = client.stream(`${base}/${path}`, {
        headers: { authorization: caller.authorization, 'x-request-id': caller.requestId },
        signal: caller.signal,
      });
      let response: Response | undefined;
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.once('response', (answer: Response) => (response = answer));
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= max) chunks.push(chunk);
        else
          stream.destroy(Object.assign(new Error('Body over the cap'), { code: BODY_TOO_LARGE }));
      });
      stream.once('error', reject);
      stream.once('end', () => {
        // An ended stream still listens to the signal until it is destroyed.
        stream.destroy();
        const { statusCode, headers } = response as Response;
        decode(Buffer.concat(chunks, bytes), headers['content-encoding'], max).then(
          (body) => resolve({ statusCode, headers, body }),
          reject,
        );
      });
    });
  }

  return {
    get,
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

/**
 * The one got instance. It follows no redirect (one would carry the caller's token elsewhere)
 * and repeats nothing itself (the retry policy is the client's, which knows the operation's
 * deadline); its `timeout.request` is the attempt's one timer.
 */
export function statsGot(timeoutMs: number, agent: Agents): Got {
  return got.extend({
    agent,
    headers: { accept: STATS_ACCEPT, 'accept-encoding': 'gzip, br', 'user-agent': 'stats-gateway' },
    decompress: false,
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    timeout: { request: timeoutMs },
    // The cast: got's type lists every field, undefined ones too; node:http reads those as absent.
    hooks: { init: [(_, self) => void (self.createNativeRequestOptions = nativeOptions as never)] },
  });
}

/**
 * What got hands node:http for each request, in place of its own `createNativeRequestOptions`
 * (installed by the instance's `init` hook on every request's Options). Got's builds an object
 * literal that starts with a spread and goes on with some thirty named fields, a shape for which
 * V8 (Node 20) makes new hidden classes on every call: about 23 KB of garbage per request, and
 * node:http then copies all thirty fields twice more (ClientRequest, Agent), another 11 KB; about
 * a quarter of got's CPU per request, measured. For this instance, every field got would set that
 * is not `undefined` is here: test/unit/statsHttp.test.ts compares the two, so an option added
 * to the instance that got would pass on fails that test until it is added here too.
 */
function nativeOptions(this: Options): https.RequestOptions {
  const { agent, url } = this;
  return {
    agent: (url as URL).protocol === 'https:' ? agent.https : agent.http,
    method: this.method,
    headers: this.headers,
    setHost: this.setHost,
    checkServerIdentity,
  };
}

/** The body as text: decoded when it came in one encoding the gateway asked for. */
async function decode(body: Buffer, encoding: string | undefined, max: number): Promise<string> {
  const decoder = encoding && DECODERS.get(encoding.trim().toLowerCase());
  const bytes =
    decoder && body.length > 0
      ? await new Promise<Buffer>((resolve, reject) =>
          decoder(body, { maxOutputLength: max }, (error, decoded) =>
            error ? reject(undecoded(error)) : resolve(decoded),
          ),
        )
      : body;
  // A byte order mark is not part of the JSON text.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString('utf8', bom ? 3 : 0);
}

/** zlib's failure as the client classifies it: over the cap, or not what the encoding says. */
function undecoded(error: Error & { code?: string }): Error {
  if (error.code === BODY_TOO_LARGE) return error;
  return Object.assign(new Error('Body does not decode', { cause: error }), {
    code: BODY_UNDECODABLE,
  });
}
