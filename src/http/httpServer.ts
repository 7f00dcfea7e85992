import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import cors from 'cors';
import type { Registry } from 'prom-client';
import type { CompressionConfig } from '../config.js';
import type { Context, RequestScope } from '../context.js';
import { ErrorCode } from '../errors.js';
import { persistedHashProblem } from '../graphql/persistedQueries.js';
import { admit, NOT_ALLOWED, type OperationManifest } from './allowlist.js';
import { answerCompression, type AnswerCompression } from './compression.js';
import { connectionLimits } from './connectionLimits.js';
import { sendError, sendJson, sendUnread } from './refusals.js';
import { isJson, readBody } from './requestBody.js';
import type { StaticSite } from './staticSite.js';

export const GRAPHQL_PATH = '/graphql';

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage, scope: RequestScope) => Context;
  maxBodyBytes: number;
  /** From a request's arrival to its answer; its headers and body must be in by then too. */
  operationTimeoutMs: number;
  /** How long an idle kept-alive connection stays open after an answer. */
  keepAliveTimeoutMs: number;
  corsOrigins: string[];
  /** Allowlist mode (PERSISTED_OPERATIONS_MANIFEST): only these operations run. */
  allowlist?: OperationManifest;
  /** Served at /metrics, in Prometheus' text format. */
  metrics: Registry;
  /** Browser apps served beside the API: the wallboard, GraphiQL's scripts. */
  sites?: StaticSite[];
  /** False once shutdown has begun: /readyz fails and connections are not kept alive. */
  isReady: () => boolean;
  compression: CompressionConfig;
}

// Only ids a log line and a header can carry safely are taken from the caller.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is safe to log and echo, a new one otherwise. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export interface HttpServer {
  server: http.Server;
  /**
   * Ends every operation still running as if its caller had gone: their Stats API requests are
   * abandoned, not retried. Shutdown calls it before cutting connections, because Node reports
   * the listener closed before it reports those connections closed.
   */
  abortOperations(): void;
  /**
   * Resolves once no HTTP connection is open. Connections upgraded to WebSocket are not
   * counted: shutdown closes those itself, after HTTP has drained.
   */
  drained(): Promise<void>;
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
  const compression = answerCompression(options.compression);
  const limits = connectionLimits(options.operationTimeoutMs, options.keepAliveTimeoutMs);
  const server = http.createServer(limits, (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    // Nothing answered here (a refusal, a 404, a probe) is worth keeping; an operation's answer
    // replaces this with the Cache-Control its fields allow (graphql/plugins/cacheControl.ts).
    res.setHeader('cache-control', 'no-store');
    if (!options.isReady()) res.setHeader('connection', 'close');
    // cors() answers preflight requests itself and calls next() for every other request.
    allowCors(req, res, () => {
      route(options, compression, running, requestId, req, res).catch(() => {
        if (!res.headersSent) {
          sendError(res, 500, 'Internal server error', { code: ErrorCode.INTERNAL_SERVER_ERROR });
        } else res.destroy();
      });
    });
  });
  const connections = trackConnections(server);
  return {
    server,
    abortOperations() {
      for (const controller of running) controller.abort(new Error('The gateway is stopping'));
    },
    drained: connections.drained,
  };
}

function trackConnections(server: http.Server): { drained(): Promise<void> } {
  const open = new Set<Duplex>();
  const waiting: (() => void)[] = [];
  const forget = (socket: Duplex) => {
    open.delete(socket);
    if (open.size === 0) waiting.splice(0).forEach((resolve) => resolve());
  };
  server.on('connection', (socket: Duplex) => {
    open.add(socket);
    socket.once('close', () => forget(socket));
  });
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => forget(socket));
  return {
    drained: () =>
      open.size === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)),
  };
}

async function route(
  options: HttpOptions,
  compression: AnswerCompression,
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
      compression.vary(res);
      break;
    default:
      if (options.sites?.some((site) => site.serve(req, res, url.pathname))) return;
      sendJson(res, 404, { error: `Not found: the GraphQL endpoint is ${GRAPHQL_PATH}` });
      return;
  }

  // The deadline counts from arrival: reading the body spends it too.
  const scope = operationScope(requestId, options.operationTimeoutMs, running, res);
  const read = await readBody(req, options.maxBodyBytes, scope.signal);
  if ('unread' in read) {
    if (read.unread === 'late') {
      sendUnread(
        res,
        408,
        `Request body not received within OPERATION_TIMEOUT_MS (${options.operationTimeoutMs} ms)`,
        'OPERATION_TIMEOUT_MS',
      );
    } else if (read.unread === 'too large') {
      const error = `Request body over MAX_BODY_BYTES (${options.maxBodyBytes} bytes)`;
      sendUnread(res, 413, error, 'MAX_BODY_BYTES');
    } else {
      req.destroy();
    }
    return;
  }
  const body = read.text;
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

  const extensions = extensionsOf(req.method, parsed, url.searchParams);
  const problem = extensions === UNREADABLE ? undefined : persistedHashProblem(extensions);
  if (problem) {
    sendError(res, 400, problem);
    return;
  }

  if (
    options.allowlist &&
    !admitted(options.allowlist, req.method, parsed, extensions, url.searchParams)
  ) {
    sendJson(res, 400, NOT_ALLOWED);
    return;
  }

  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
    context: async () => options.context(req, scope),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // Shutdown may have begun while this operation ran: let the connection close after it.
  if (!options.isReady()) res.setHeader('connection', 'close');
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    await compression.end(req, res, response.body.string);
    return;
  }
  // Incremental delivery (@defer) needs graphql 17, so no answer streams today; one that did
  // would go uncompressed, each part written as it comes.
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
  extensions: unknown,
  search: URLSearchParams,
): boolean {
  if (method === 'GET') {
    if (extensions === UNREADABLE) return false;
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

/** A GET's `extensions` parameter that is not JSON: Apollo refuses it, saying so. */
const UNREADABLE = Symbol('extensions that are not JSON');

/** The request's `extensions`: in the JSON body, or a GET's parameter, read once. */
function extensionsOf(method: string | undefined, body: unknown, search: URLSearchParams): unknown {
  if (method !== 'GET') return (body as { extensions?: unknown } | null | undefined)?.extensions;
  try {
    return JSON.parse(search.get('extensions') ?? 'null');
  } catch {
    return UNREADABLE;
  }
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
