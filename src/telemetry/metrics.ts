import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics, one registry per gateway (tests run several in one process). Served at
 * /metrics by http/httpServer.ts; fed by plugins/operationOutcome.ts (operations and persisted queries),
 * the Stats API client (upstream requests) and the interaction loader (batch sizes).
 */
export interface Metrics {
  registry: Registry;
  /** Counts one finished operation. */
  operation(name: string | null, outcome: 'ok' | 'error', seconds: number): void;
  /** One Stats API attempt: `status` is the HTTP status, or the failure kind when none came. */
  upstream(endpoint: string, status: string, seconds: number): void;
  loaderBatch(size: number): void;
  /** Upstream's pushback halved a token's window of Stats API requests in flight. */
  windowDecrease(): void;
  /** With UPSTREAM_CACHE_SECONDS: a Stats API request kept, joined while in flight, or sent. */
  sharedAnswer(result: 'hit' | 'shared' | 'miss'): void;
  /**
   * An automatic persisted query: found by its hash, not found, or registered with its text; or
   * a registration that Redis did not store (it failed, or is being skipped after failures).
   */
  persistedQuery(result: 'hit' | 'miss' | 'register' | 'dropped'): void;
  /** Live dashboards (subscriptions over WebSocket). */
  live: LiveMetrics;
}

export interface LiveMetrics {
  /** A WebSocket opened (+1) or closed (-1). */
  socket(change: 1 | -1): void;
  /** A subscription began (+1) or ended (-1), by its root field. */
  subscription(field: string, change: 1 | -1): void;
  /** A poller of this process started (+1) or stopped (-1), by endpoint. */
  poller(endpoint: string, change: 1 | -1): void;
  /** One poll and its outcome: `ok`, or the failure kind in lower case. */
  poll(endpoint: string, outcome: string): void;
  /** One event sent to one subscriber, by root field. */
  event(field: string): void;
  /** A socket dropped because its client did not read what it was sent. */
  slowClientDropped(): void;
}

// Operation names come from callers: only plain names are kept as label values, and only so
// many, so that nobody can grow the registry without bound by inventing names.
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_NAMES = 200;

/** What the metrics read when scraped rather than being told as it happens. */
export interface MetricSources {
  /**
   * The process's count of log lines dropped because stdout was not being read
   * (telemetry/logStream.ts); tests, which log elsewhere, leave it out.
   */
  logLinesDropped?: () => number;
  /** Each known token's window of Stats API requests in flight. */
  tokenWindows: () => Iterable<number>;
}

export function createMetrics({ logLinesDropped = () => 0, tokenWindows }: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // One observation per token, taken at each scrape: how many tokens have learned which window.
  new Histogram({
    name: 'stats_gateway_upstream_token_window',
    help: 'Stats API requests each known access token may have in flight (its window), read at each scrape; one observation per token, no token named.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096],
    registers: [registry],
    collect() {
      this.reset();
      for (const size of tokenWindows()) this.observe(size);
    },
  });
  const windowDecreases = new Counter({
    name: 'stats_gateway_upstream_window_decreases_total',
    help: "Times upstream's pushback (429, or 503 with Retry-After) halved a token's window of Stats API requests in flight.",
    registers: [registry],
  });
  new Counter({
    name: 'stats_gateway_log_lines_dropped_total',
    help: 'Log lines dropped because stdout was not being read fast enough.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(logLinesDropped());
    },
  });
  const operations = new Counter({
    name: 'stats_gateway_operations_total',
    help: 'GraphQL operations answered, by operation name and outcome.',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const operationSeconds = new Histogram({
    name: 'stats_gateway_operation_duration_seconds',
    help: 'Time from the start of an operation to its answer.',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'stats_gateway_upstream_request_duration_seconds',
    help: 'Stats API attempts, by endpoint and status (or failure kind when no status came).',
    labelNames: ['endpoint', 'status'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const batchSizes = new Histogram({
    name: 'stats_gateway_loader_batch_size',
    help: 'Guids per interaction DataLoader batch.',
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  });
  const persisted = new Counter({
    name: 'stats_gateway_persisted_queries_total',
    help: 'Automatic persisted queries: hits, misses (the client then sends the text), registrations, and registrations Redis did not store (dropped).',
    labelNames: ['result'],
    registers: [registry],
  });
  const shared = new Counter({
    name: 'stats_gateway_upstream_shared_total',
    help: 'Stats API requests answered from a kept answer (hit, UPSTREAM_CACHE_SECONDS), by joining the same request in flight (shared, UPSTREAM_DEDUPLICATE), or sent (miss).',
    labelNames: ['result'],
    registers: [registry],
  });
  const live = liveMetrics(registry);
  const names = new Set<string>();
  const label = (name: string | null): string => {
    if (name === null) return '(anonymous)';
    if (!OPERATION_NAME.test(name)) return '(other)';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return '(other)';
    names.add(name);
    return name;
  };
  return {
    registry,
    operation(name, outcome, seconds) {
      const operation = label(name);
      operations.inc({ operation, outcome });
      operationSeconds.observe({ operation }, seconds);
    },
    upstream(endpoint, status, seconds) {
      upstreamSeconds.observe({ endpoint, status }, seconds);
    },
    loaderBatch(size) {
      batchSizes.observe(size);
    },
    windowDecrease() {
      windowDecreases.inc();
    },
    sharedAnswer(result) {
      shared.inc({ result });
    },
    persistedQuery(result) {
      persisted.inc({ result });
    },
    live,
  };
}

function liveMetrics(registry: Registry): LiveMetrics {
  const registers = [registry];
  const sockets = new Gauge({
    name: 'stats_gateway_live_sockets',
    help: 'WebSockets open.',
    registers,
  });
  const subscriptions = new Gauge({
    name: 'stats_gateway_live_subscriptions',
    help: 'Subscriptions active, by root field.',
    labelNames: ['subscription'],
    registers,
  });
  const pollers = new Gauge({
    name: 'stats_gateway_live_pollers',
    help: 'Stats API pollers this process runs (one per token and endpoint; with Redis, one across the replicas).',
    labelNames: ['endpoint'],
    registers,
  });
  const polls = new Counter({
    name: 'stats_gateway_live_polls_total',
    help: 'Live polls of the Stats API, by endpoint and outcome (ok, or the failure kind).',
    labelNames: ['endpoint', 'outcome'],
    registers,
  });
  const events = new Counter({
    name: 'stats_gateway_live_events_total',
    help: 'Subscription events sent, by root field.',
    labelNames: ['subscription'],
    registers,
  });
  const slow = new Counter({
    name: 'stats_gateway_live_slow_clients_dropped_total',
    help: 'WebSockets dropped because their client did not read what it was sent (LIVE_MAX_BUFFERED_BYTES).',
    registers,
  });
  return {
    socket: (change) => sockets.inc(change),
    subscription: (field, change) => subscriptions.inc({ subscription: field }, change),
    poller: (endpoint, change) => pollers.inc({ endpoint }, change),
    poll: (endpoint, outcome) => polls.inc({ endpoint, outcome }),
    event: (field) => events.inc({ subscription: field }),
    slowClientDropped: () => slow.inc(),
  };
}
