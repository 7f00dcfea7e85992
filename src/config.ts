// The environment, parsed once at boot. Every problem is collected so that an operator fixes
// them all in one go; the variables are part of the public contract (docs/configuration.md).

const REGIONS = ['emea', 'nam', 'apac'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface UpstreamConfig {
  /** One attempt of one Stats API request. */
  timeoutMs: number;
  /** Further attempts after a 429, 502, 503, 504 or a dropped connection. */
  retries: number;
  /** Stats API requests in flight at once, over all callers. */
  concurrency: number;
  /** The most Stats API requests in flight at once for one access token (its window's ceiling). */
  concurrencyPerToken: number;
  /** The least a token's window shrinks to when upstream pushes back. */
  concurrencyPerTokenMin: number;
  /** Requests allowed to wait for a slot, over all callers and for one token. */
  queue: number;
  queuePerToken: number;
  maxResponseBytes: number;
  /** How long a token's answers may be served again (capped by upstream's max-age); 0 is off. */
  cacheSeconds: number;
  /** Body bytes kept for that, over all tokens. */
  cacheBytes: number;
  /** Join identical requests of one token while one is in flight. */
  deduplicate: boolean;
}

/** What one request may ask for, checked before anything runs. */
export interface RequestLimits {
  depth: number;
  aliases: number;
  /** Guids one operation may name, over all its `interaction` and `interactionsByGuid` fields. */
  guids: number;
  tokens: number;
  bodyBytes: number;
  /** Interactions, channels and events one operation's answer may hold, counted as resolved. */
  resultItems: number;
  /** Queue visits one queue report may read (`queueStats`, `queueStatsUpdates`). */
  queueStatsVisits: number;
}

/** Subscriptions over WebSocket (README, "Live dashboards"). */
export interface LiveConfig {
  /** How often each token's poller asks the Stats API, per endpoint. */
  pollMs: number;
  maxSubscriptionsPerSocket: number;
  /** Subscriptions one access token may hold open on one gateway process. */
  maxSubscriptionsPerToken: number;
  /** How long a new socket may take to send `connection_init` before it is closed (4408). */
  connectionInitTimeoutMs: number;
  /** WebSocket ping interval; a socket that has not answered by the next ping is dropped. 0 is off. */
  keepAliveMs: number;
  /** Bytes a socket may have waiting to be sent before its client counts as too slow and is dropped. */
  maxBufferedBytes: number;
}

/** Compressed answers (docs/clients.md, "Compressed answers"). */
export interface CompressionConfig {
  /** False leaves compression to a proxy in front: every answer goes as it is. */
  enabled: boolean;
  /** Answers and WebSocket messages under this many bytes go as they are. */
  minBytes: number;
}

export interface Config {
  /** Stats API base including `/stats`; `undefined` means demo mode (embedded stand-in). */
  statsApiUrl: string | undefined;
  port: number;
  /** Interface to listen on; `undefined` listens on all of them. */
  host: string | undefined;
  /** Deadline for a whole operation, from the request's arrival to its answer. */
  operationTimeoutMs: number;
  /** How long an idle kept-alive connection stays open; longer than a load balancer's. */
  keepAliveTimeoutMs: number;
  upstream: UpstreamConfig;
  limits: RequestLimits;
  live: LiveConfig;
  compression: CompressionConfig;
  /** OTLP/HTTP collector for traces; `undefined` turns tracing off. */
  otelEndpoint: string | undefined;
  /** A persisted query manifest: when set, only its operations run (allowlist mode). */
  persistedOperationsManifest: string | undefined;
  /** Redis for automatic persisted queries, shared by replicas; `undefined` keeps them in memory. */
  redisUrl: string | undefined;
  /** One Redis command; after repeated failures Redis is skipped for a while. */
  redisTimeoutMs: number;
  /** Browser origins allowed by CORS; empty allows none. */
  corsOrigins: string[];
  introspection: boolean;
  /** What a browser sees at /graphql: Apollo Sandbox (from Apollo's CDN), GraphiQL (served here), or nothing. */
  landingPage: LandingPage;
  /** Serve the reference wallboard at /wallboard/ (examples/wallboard/, built by `npm run build`). */
  wallboard: boolean;
  /** Serve the schema as a Federation 2 subgraph (`_service`, `_entities`): docs/federation.md. */
  federation: boolean;
  /** On SIGTERM: how long /readyz fails before the listener closes, then how long to drain. */
  shutdownDelayMs: number;
  shutdownGraceMs: number;
  logLevel: string;
  /** Log output waiting for a slow stdout reader, in bytes; past it lines are dropped. */
  logBufferBytes: number;
}

export type LandingPage = 'sandbox' | 'graphiql' | 'off';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function parseConfig(env: Env): Config {
  const problems: string[] = [];

  function integer(name: string, fallback: number, min: number, max: number): number {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  function oneOf(name: string, allowed: readonly string[]): string | undefined {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    if (!allowed.includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw;
  }

  function flag(name: string, fallback: boolean): boolean {
    const raw = oneOf(name, ['true', 'false']);
    return raw === undefined ? fallback : raw === 'true';
  }

  const region = oneOf('STATS_API_REGION', REGIONS);
  const url = env.STATS_API_URL?.trim() || undefined;
  if (url && region) {
    problems.push('set STATS_API_URL or STATS_API_REGION, not both');
  }
  const config: Config = {
    statsApiUrl: url
      ? httpUrl('STATS_API_URL', url, problems)
      : region && `https://${region}.api.newvoicemedia.com/stats`,
    port: integer('PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || undefined,
    operationTimeoutMs: integer('OPERATION_TIMEOUT_MS', 25_000, 1, 600_000),
    keepAliveTimeoutMs: integer('KEEP_ALIVE_TIMEOUT_MS', 65_000, 1000, 3_600_000),
    upstream: {
      timeoutMs: integer('UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
      retries: integer('UPSTREAM_RETRIES', 2, 0, 10),
      concurrency: integer('UPSTREAM_CONCURRENCY', 64, 1, 4096),
      concurrencyPerToken: integer('UPSTREAM_CONCURRENCY_PER_TOKEN', 64, 1, 4096),
      concurrencyPerTokenMin: integer('UPSTREAM_CONCURRENCY_PER_TOKEN_MIN', 2, 1, 4096),
      queue: integer('UPSTREAM_QUEUE', 2000, 0, 1_000_000),
      queuePerToken: integer('UPSTREAM_QUEUE_PER_TOKEN', 250, 0, 1_000_000),
      maxResponseBytes: integer('UPSTREAM_MAX_RESPONSE_BYTES', 32 * 1024 * 1024, 1024, 2 ** 31),
      cacheSeconds: integer('UPSTREAM_CACHE_SECONDS', 0, 0, 3600),
      cacheBytes: integer('UPSTREAM_CACHE_BYTES', 64 * 1024 * 1024, 0, 2 ** 31),
      deduplicate: flag('UPSTREAM_DEDUPLICATE', true),
    },
    limits: {
      depth: integer('MAX_QUERY_DEPTH', 12, 1, 1000),
      aliases: integer('MAX_ALIASES', 30, 0, 10_000),
      guids: integer('MAX_GUIDS', 100, 1, 100_000),
      tokens: integer('MAX_QUERY_TOKENS', 5000, 100, 1_000_000),
      bodyBytes: integer('MAX_BODY_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
      resultItems: integer('MAX_RESULT_ITEMS', 20_000, 1, 10_000_000),
      queueStatsVisits: integer('QUEUE_STATS_MAX_VISITS', 100_000, 1, 1_000_000),
    },
    live: {
      pollMs: integer('LIVE_POLL_MS', 5000, 1000, 600_000),
      maxSubscriptionsPerSocket: integer('LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET', 20, 1, 10_000),
      maxSubscriptionsPerToken: integer('LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN', 200, 1, 1_000_000),
      connectionInitTimeoutMs: integer('LIVE_CONNECTION_INIT_TIMEOUT_MS', 3000, 100, 60_000),
      keepAliveMs: keepAlive(integer('LIVE_KEEPALIVE_MS', 12_000, 0, 600_000), problems),
      maxBufferedBytes: integer('LIVE_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 1024, 2 ** 30),
    },
    compression: {
      enabled: flag('COMPRESSION', true),
      minBytes: integer('COMPRESSION_MIN_BYTES', 1024, 0, 64 * 1024 * 1024),
    },
    persistedOperationsManifest: env.PERSISTED_OPERATIONS_MANIFEST?.trim() || undefined,
    otelEndpoint: httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT, problems),
    redisUrl: redisUrl(env.REDIS_URL, problems),
    redisTimeoutMs: integer('REDIS_TIMEOUT_MS', 250, 10, 10_000),
    corsOrigins: corsOrigins(env.CORS_ORIGINS, problems),
    introspection: flag('INTROSPECTION', true),
    landingPage: landingPage(oneOf('LANDING_PAGE', ['true', 'false', 'sandbox', 'graphiql'])),
    // On by default in demo mode only: a deployment opts in to serving a web page.
    wallboard: flag('WALLBOARD', !url && !region),
    federation: flag('FEDERATION', false),
    shutdownDelayMs: integer('SHUTDOWN_DELAY_MS', 0, 0, 600_000),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info',
    logBufferBytes: integer('LOG_BUFFER_BYTES', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
  };
  perTokenFloor(config.upstream, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

// A floor set above the ceiling is a mistake to report; the default floor just gives way to a
// ceiling set below it. (A value that is not a number is reported already and compares false.)
function perTokenFloor(upstream: UpstreamConfig, env: Env, problems: string[]): void {
  const { concurrencyPerToken: ceiling, concurrencyPerTokenMin: floor } = upstream;
  if (!(floor > ceiling)) return;
  if (env.UPSTREAM_CONCURRENCY_PER_TOKEN_MIN?.trim()) {
    problems.push(
      `UPSTREAM_CONCURRENCY_PER_TOKEN_MIN (${floor}) must not be above UPSTREAM_CONCURRENCY_PER_TOKEN (${ceiling})`,
    );
  } else {
    upstream.concurrencyPerTokenMin = ceiling;
  }
}

// A base URL the gateway appends paths to (the Stats API's, the collector's /v1/traces): a query
// or a fragment would swallow the path, and credentials belong in headers, not in a URL.
function httpUrl(name: string, raw: string | undefined, problems: string[]): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} must be an absolute URL, got "${value}"`);
    return value;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${name} must be http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push(`${name} must not carry credentials, a query or a fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

// `true` (the default) stays Apollo Sandbox, as before GraphiQL was an option.
function landingPage(raw: string | undefined): LandingPage {
  if (raw === 'false') return 'off';
  return raw === 'graphiql' ? 'graphiql' : 'sandbox';
}

// A ping every few milliseconds would be the gateway flooding its own clients.
function keepAlive(ms: number, problems: string[]): number {
  if (ms > 0 && ms < 1000) {
    problems.push(`LIVE_KEEPALIVE_MS must be 0 (off) or at least 1000, got "${ms}"`);
  }
  return ms;
}

function redisUrl(raw: string | undefined, problems: string[]): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (!/^rediss?:\/\/\S+$/.test(value)) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return value;
}

// Exact origins only (scheme, host and port, as a browser sends them): a wildcard would let any
// web page script the gateway with a token it holds, so none is accepted.
function corsOrigins(raw: string | undefined, problems: string[]): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== origin) {
      problems.push(
        `CORS_ORIGINS entries must be origins such as https://app.example.com, got "${origin}"`,
      );
    }
  }
  return origins;
}
