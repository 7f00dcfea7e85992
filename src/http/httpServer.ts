import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import cors from 'cors';
import type { Registry } from 'prom-client';
import type { Context, RequestScope } from '../context.js';
import { ErrorCode } from '../errors.js';
import { persistedHashProblem } from '../graphql/persistedQueries.js';
import { admit, NOT_ALLOWED, type OperationManifest } from './allowlist.js';

export const GRAPHQL_PATH = '/graphql';

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage, scope: RequestScope) => Context;
  maxBodyBytes: number;
  operationTimeoutMs: number;
  corsOrigins: string[];
  /** Allowlist mode (PERSISTED_OPERATIONS_MANIFEST): only these operations run. */
  allowlist?: OperationManifest;
  /** Served at /metrics, in Prometheus' text format. */
  metrics: Registry;
  /** False once shutdown has begun: /readyz fails and connections are not kept alive. */
  isReady: () => boolean;
}

// Only ids a log line and a header can carry safely are taken from the caller.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface HttpServer {
  server: http.Server;
  /**
   * Ends every operation still running as if its caller had gone: their Stats API requests are
   * abandoned, not retried. Shutdown calls it before cutting connections, because Node reports
   * the listener closed before it reports those connections closed.
   */
  abortOperations(): void;
}

// A plain node:http integration (Apollo's executeHTTPGraphQLRequest) rather than Express: the
// gateway serves one endpoint plus probes, and every layer on the hot path costs CPU per request.
export function createHttpServer(options: HttpOptions): HttpServer {
  const allowCors = cors({
    origin: options.corsOrigins,
    methods: ['GET', 'POST'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'x-request-id',
    ],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
  const running = new Set<AbortController>();
  const server = http.createServer((req, res) => {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    if (!options.isReady()) res.setHeader('connection', 'close');
    // cors() answers preflight requests itself and calls next() for every other request.
    allowCors(req, res, () => {
      route(options, running, requestId, req, res).catch(() => {
        if (!res.headersSent) {
          sendError(res, 500, 'Internal server error', { code: ErrorCode.INTERNAL_SERVER_ERROR });
        } else res.destroy();
      });
    });
  });
  return {
    server,
    abortOperations() {
      for (const controller of running) controller.abort(new Error('The gateway is stopping'));
    },
  };
}

async function route(
  options: HttpOptions,
  running: Set<AbortController>,
  requestId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = requestUrl(req.url ?? '/');
  if (!url) {
    sendError(res, 400, 'The request-target is not a valid path or URL');
    return;
  }
  switch (url.pathname) {
    case '/':
      res.writeHead(302, { location: GRAPHQL_PATH }).end();
      return;
    case '/healthz':
      sendJson(res, 200, { status: 'ok' });
      return;
    case '/readyz':
      if (options.isReady()) sendJson(res, 200, { status: 'ready' });
      else sendJson(res, 503, { status: 'draining' });
      return;
    case '/metrics':
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(await options.metrics.metrics());
      return;
    case GRAPHQL_PATH:
      break;
    default:
      sendJson(res, 404, { error: `Not found: the GraphQL endpoint is ${GRAPHQL_PATH}` });
      return;
  }

  const body = await readBody(req, options.maxBodyBytes);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    sendError(res, 413, `Request body over MAX_BODY_BYTES (${options.maxBodyBytes} bytes)`, {
      limit: 'MAX_BODY_BYTES',
    });
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let parsed: unknown = body;
  if (body !== '' && isJson(headers.get('content-type'))) {
    try {
      parsed = JSON.parse(body);
    } catch {
      sendError(res, 400, 'Request body is not valid JSON');
      return;
    }
  }

  const problem = persistedHashProblem(extensionsOf(req.method, parsed, url.searchParams));
  if (problem) {
    sendError(res, 400, problem);
    return;
  }

  if (options.allowlist && !admitted(options.allowlist, req.method, parsed, url.searchParams)) {
    sendJson(res, 400, NOT_ALLOWED);
    return;
  }

  const scope = operationScope(requestId, options.operationTimeoutMs, running, res);
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
    context: async () => options.context(req, scope),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // Shutdown may have begun while this operation ran: let the connection close after it.
  if (!options.isReady()) res.setHeader('connection', 'close');
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The operation's deadline and disconnect signal. Aborting it stops the operation's Stats API
 * requests, queued or in flight; the reason tells which: a TimeoutError (as AbortSignal.timeout
 * gives) for the deadline, anything else for a caller who went away.
 */
function operationScope(
  requestId: string,
  timeoutMs: number,
  running: Set<AbortController>,
  res: ServerResponse,
): RequestScope {
  const controller = new AbortController();
  // Each of the operation's upstream requests listens to it (at most MAX_GUIDS plus its lists):
  // many listeners here are expected, not a leak.
  setMaxListeners(0, controller.signal);
  running.add(controller);
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation deadline passed', 'TimeoutError')),
    timeoutMs,
  );
  res.on('close', () => {
    clearTimeout(timer);
    running.delete(controller);
    if (!res.writableFinished) controller.abort(new Error('The caller disconnected'));
  });
  return { requestId, signal: controller.signal, deadline: Date.now() + timeoutMs };
}

/**
 * Whether allowlist mode lets the request run; if it came as an id alone, the registered text
 * is put where Apollo reads the query (the JSON body, or the GET parameters).
 */
function admitted(
  manifest: OperationManifest,
  method: string | undefined,
  body: unknown,
  search: URLSearchParams,
): boolean {
  if (method === 'GET') {
    let extensions: unknown;
    try {
      extensions = JSON.parse(search.get('extensions') ?? 'null');
    } catch {
      return false;
    }
    const text = admit(manifest, { query: search.get('query') ?? undefined, extensions });
    if (text !== undefined) search.set('query', text);
    return text !== undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const request = body as { query?: unknown; extensions?: unknown };
  const text = admit(manifest, request);
  if (text !== undefined) request.query = text;
  return text !== undefined;
}

/** The request's `extensions`: in the JSON body, or a GET's parameter (unread when not JSON). */
function extensionsOf(method: string | undefined, body: unknown, search: URLSearchParams): unknown {
  if (method !== 'GET') return (body as { extensions?: unknown } | null | undefined)?.extensions;
  try {
    return JSON.parse(search.get('extensions') ?? 'null');
  } catch {
    return undefined; // Apollo refuses it, saying so
  }
}

/**
 * The body as text, or `undefined` when it is over `maxBytes`: then reading stops at once
 * (the 413 closes the connection) instead of buffering whatever a caller chooses to send.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > maxBytes) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data').pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The request-target as a URL. A path (origin-form) is read as a path: `new URL('//x', base)`
 * would take `//x` as a host, and throws on `//` and `/\`. An absolute URL, as sent to a proxy,
 * is read as it is. `undefined` when it is neither.
 */
function requestUrl(target: string): URL | undefined {
  try {
    return new URL(target.startsWith('/') ? `http://gateway${target}` : target);
  } catch {
    return undefined;
  }
}

// Media types are case-insensitive and may carry parameters (`; charset=utf-8`).
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Refused before GraphQL, but shaped as a GraphQL error: clients read every failure one way. */
function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  sendJson(res, status, {
    errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST, ...extensions } }],
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
