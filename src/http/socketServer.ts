import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type PerMessageDeflateOptions, type WebSocket } from 'ws';
import type { CompressionConfig, LiveConfig, RequestLimits } from '../config.js';
import type { Context, LiveScope, RequestScope } from '../context.js';
import type { LiveFeeds } from '../live/liveFeeds.js';
import type { Logger } from '../telemetry/logger.js';
import type { LiveMetrics } from '../telemetry/metrics.js';
import type { OperationManifest } from './allowlist.js';
import { GRAPHQL_PATH, requestIdOf } from './httpServer.js';
import { refusalBody } from './refusals.js';
import { formatErrors, operationChecker } from './socketOperations.js';
import { SocketState, SubscriptionCounts } from './socketState.js';

export interface SocketServerOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  feeds: LiveFeeds;
  live: LiveConfig;
  limits: RequestLimits;
  compression: CompressionConfig;
  operationTimeoutMs: number;
  corsOrigins: string[];
  allowlist?: OperationManifest;
  logger: Logger;
  metrics: LiveMetrics;
  context(authorization: string | undefined, scope: RequestScope, live: LiveScope): Context;
}

export interface SocketServer {
  /** Closes every socket with 1001 (going away), and accepts no new ones. */
  close(): Promise<void>;
}

// graphql-ws's Unauthorized close code: no credential came with the connection.
const UNAUTHORIZED = 4401;
// How long a closing socket may take to answer the close frame before it is cut.
const CLOSE_GRACE_MS = 2000;

/**
 * GraphQL over WebSocket (graphql-ws, `graphql-transport-ws`) on the HTTP server's port and
 * path, as Apollo Server's docs set it up. Browsers are held to CORS_ORIGINS as over HTTP (the
 * gateway's own Sandbox page is same-origin); a connection without a credential is closed with
 * 4401 before anything runs. Operations pass the same limits as over HTTP.
 */
export function attachSocketServer(options: SocketServerOptions): SocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.limits.bodyBytes,
    perMessageDeflate: messageCompression(options.compression),
  });
  // Every upgrade on the port arrives here, and Node 20 cannot hand one back to the request
  // handler: what is not a WebSocket handshake for /graphql from an allowed origin is refused
  // here, with a JSON body like every other refusal, rather than by ws's HTML page.
  options.httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, options.corsOrigins);
    if (refusal) refuseUpgrade(socket, refusal);
    else wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const counts = new SubscriptionCounts(options.live.maxSubscriptionsPerToken);
  const stateOf = trackSockets(wss, options, counts);
  const cleanup = useServer(protocol(options, stateOf, counts), wss, options.live.keepAliveMs);
  return {
    async close() {
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, CLOSE_GRACE_MS);
      await cleanup.dispose();
      clearTimeout(cut);
    },
  };
}

/**
 * permessage-deflate, when the client offers it, for messages of COMPRESSION_MIN_BYTES and
 * more. ws keeps each socket's compressor from its first compressed message on, so its size is
 * what every subscriber costs: an 8 KiB window and memLevel 5 hold 48 KiB rather than zlib's
 * default 256 KiB, and compress a page of 100 interactions as well (9.7% of its size). Context
 * takeover would pay only for pages under the 32 KiB window, and only with the full window
 * (docs/live.md, "Compression").
 */
function messageCompression({
  enabled,
  minBytes,
}: CompressionConfig): PerMessageDeflateOptions | false {
  if (!enabled) return false;
  return {
    threshold: minBytes,
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    serverMaxWindowBits: 13,
    zlibDeflateOptions: { memLevel: 5 },
  };
}

type StateOf = (ctx: { extra: Extra }) => SocketState;

/** Each socket's state, with its open and close logged and counted. */
function trackSockets(
  wss: WebSocketServer,
  { logger, metrics, live }: SocketServerOptions,
  counts: SubscriptionCounts,
): StateOf {
  const states = new WeakMap<WebSocket, SocketState>();
  // Registered before graphql-ws's own listener, so a socket's state exists before its messages.
  wss.on('connection', (socket, req) => {
    bufferSends(socket);
    const state = new SocketState(socket, requestIdOf(req), logger, metrics, live);
    states.set(socket, state);
    metrics.socket(1);
    state.logger.info({ origin: req.headers.origin }, 'socket open');
    socket.once('close', (code) => {
      metrics.socket(-1);
      state.closed(counts);
      state.logger.info(
        { code, durationMs: state.age(), subscriptions: state.started, events: state.events },
        'socket closed',
      );
    });
  });
  return (ctx) => states.get(ctx.extra.socket) as SocketState;
}

/** graphql-ws's hooks: the credential, the checks and limits, the context, error formatting. */
function protocol(
  options: SocketServerOptions,
  stateOf: StateOf,
  counts: SubscriptionCounts,
): ServerOptions<Record<string, unknown>, Extra> {
  const checkOperation = operationChecker(options);
  return {
    schema: options.schema,
    connectionInitWaitTimeout: options.live.connectionInitTimeoutMs,
    onConnect(ctx) {
      const params = ctx.connectionParams ?? {};
      const given =
        params.Authorization ?? params.authorization ?? ctx.extra.request.headers.authorization;
      if (typeof given !== 'string' || given.trim() === '') {
        ctx.extra.socket.close(UNAUTHORIZED, 'Unauthorized');
        return false;
      }
      stateOf(ctx).authenticate(given.trim());
      return true;
    },
    onSubscribe(ctx, id, payload) {
      const state = stateOf(ctx);
      const checked = checkOperation(payload);
      if (Array.isArray(checked)) return checked;
      if (checked.subscription !== undefined) {
        const refused = state.admit(id, checked.subscription, counts);
        if (refused) return [refused];
      }
      // A query has the operation deadline; a subscription lasts as long as its client wants.
      const timeoutMs = checked.subscription ? undefined : options.operationTimeoutMs;
      const scope = state.operationScope(id, timeoutMs);
      const liveScope = { feeds: options.feeds, sink: state.sink };
      return {
        schema: options.schema,
        document: checked.document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: options.context(state.authorization, scope, liveScope),
      };
    },
    onNext(ctx, id, _payload, _args, result) {
      const state = stateOf(ctx);
      state.sent(id);
      if (!result.errors) return undefined;
      return { ...result, errors: formatErrors(result.errors, state.authorization) };
    },
    onError(ctx, _id, _payload, errors) {
      return formatErrors(errors, stateOf(ctx).authorization);
    },
    onComplete(ctx, id) {
      stateOf(ctx).finished(id, counts);
    },
  };
}

/**
 * graphql-ws waits for each message to reach the kernel before it sends a subscription's next
 * one, so a client that stops reading holds one message in the socket's own buffer and the rest
 * nowhere measurable. Telling it at once that a message was sent lets every message queue on
 * the socket, where `bufferedAmount` counts them all and LIVE_MAX_BUFFERED_BYTES bounds them.
 */
function bufferSends(socket: WebSocket): void {
  const send = socket.send.bind(socket);
  socket.send = ((data: string, done?: (error?: Error) => void) => {
    send(data);
    done?.();
  }) as WebSocket['send'];
}

/**
 * Browsers send `Origin`; other clients do not, and are let in as over HTTP. A browser page
 * must be the gateway's own (Sandbox) or one of CORS_ORIGINS.
 */
interface Refusal {
  status: 400 | 403;
  message: string;
}

// RFC 6455 section 4.2.1: what makes a request a WebSocket opening handshake.
const HANDSHAKE_KEY = /^[+/0-9A-Za-z]{22}==$/;

function upgradeRefusal(req: IncomingMessage, corsOrigins: string[]): Refusal | undefined {
  const path = req.url?.split('?')[0];
  const { upgrade, 'sec-websocket-key': key, 'sec-websocket-version': version } = req.headers;
  const handshake =
    req.method === 'GET' &&
    path === GRAPHQL_PATH &&
    upgrade?.toLowerCase() === 'websocket' &&
    HANDSHAKE_KEY.test(key ?? '') &&
    (version === '13' || version === '8');
  if (!handshake) {
    return { status: 400, message: `Upgrade: only a WebSocket handshake at ${GRAPHQL_PATH}` };
  }
  const origin = req.headers.origin;
  if (!allowedOrigin(origin, req, corsOrigins)) {
    return { status: 403, message: 'Origin not allowed (CORS_ORIGINS)' };
  }
  return undefined;
}

function refuseUpgrade(socket: Duplex, { status, message }: Refusal): void {
  const body = JSON.stringify(refusalBody(message));
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function allowedOrigin(
  origin: string | undefined,
  req: IncomingMessage,
  allowed: string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
