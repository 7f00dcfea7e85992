import type { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import type { LiveConfig } from '../config.js';
import type { RequestScope } from '../context.js';
import { tooManySubscriptions } from '../errors.js';
import type { LiveSink } from '../live/liveFeeds.js';
import { credentialKey as tokenKey } from '../upstream/credential.js';
import type { Logger } from '../telemetry/logger.js';
import type { LiveMetrics } from '../telemetry/metrics.js';

/** Subscriptions open per token in this process, against LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN. */
export class SubscriptionCounts {
  private readonly byToken = new Map<string, number>();

  constructor(readonly max: number) {}

  take(token: string): boolean {
    const count = this.byToken.get(token) ?? 0;
    if (count >= this.max) return false;
    this.byToken.set(token, count + 1);
    return true;
  }

  give(token: string): void {
    const count = (this.byToken.get(token) ?? 1) - 1;
    if (count > 0) this.byToken.set(token, count);
    else this.byToken.delete(token);
  }
}

/** One WebSocket: its caller, its subscriptions and operations, and what it was sent. */
export class SocketState {
  readonly logger: Logger;
  authorization: string | undefined;
  /** Subscriptions open, by operation id: their root field. */
  private readonly active = new Map<string, string>();
  /** Each operation's signal, aborted when it completes or the socket closes. */
  private readonly operations = new Map<string, AbortController>();
  private token = '';
  private readonly opened = Date.now();
  private dropped = false;
  started = 0;
  events = 0;
  readonly sink: LiveSink = {
    backlogged: () => this.socket.bufferedAmount > this.live.maxBufferedBytes,
    drop: () => this.drop(),
  };

  constructor(
    private readonly socket: WebSocket,
    readonly requestId: string,
    logger: Logger,
    private readonly metrics: LiveMetrics,
    private readonly live: LiveConfig,
  ) {
    this.logger = logger.child({ requestId });
  }

  authenticate(authorization: string): void {
    this.authorization = authorization;
    this.token = tokenKey(authorization);
  }

  /** Opens subscription `id` on `field`, or the error refusing it at a limit. */
  admit(id: string, field: string, counts: SubscriptionCounts): GraphQLError | undefined {
    if (this.active.size >= this.live.maxSubscriptionsPerSocket) {
      return tooManySubscriptions(
        'LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET',
        this.live.maxSubscriptionsPerSocket,
      );
    }
    if (!counts.take(this.token)) {
      return tooManySubscriptions('LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN', counts.max);
    }
    this.active.set(id, field);
    this.started++;
    this.metrics.subscription(field, 1);
    return undefined;
  }

  /** Operation `id`'s scope: its signal, and for a query its deadline. */
  operationScope(id: string, timeoutMs: number | undefined): RequestScope {
    const controller = new AbortController();
    this.operations.set(id, controller);
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    if (timeoutMs !== undefined) {
      const timer = setTimeout(
        () => controller.abort(new DOMException('The operation deadline passed', 'TimeoutError')),
        timeoutMs,
      );
      controller.signal.addEventListener('abort', () => clearTimeout(timer));
    }
    return { requestId: `${this.requestId}:${id}`, signal: controller.signal, deadline };
  }

  /** A result is about to be sent for `id`; a client already that far behind is dropped. */
  sent(id: string): void {
    const field = this.active.get(id);
    if (field !== undefined) {
      this.events++;
      this.metrics.event(field);
    }
    if (this.sink.backlogged()) this.drop();
  }

  finished(id: string, counts: SubscriptionCounts): void {
    this.operations.get(id)?.abort(new Error('The operation completed'));
    this.operations.delete(id);
    const field = this.active.get(id);
    if (field === undefined) return;
    this.active.delete(id);
    counts.give(this.token);
    this.metrics.subscription(field, -1);
  }

  closed(counts: SubscriptionCounts): void {
    for (const id of [...this.operations.keys(), ...this.active.keys()]) this.finished(id, counts);
  }

  age(): number {
    return Date.now() - this.opened;
  }

  /** Too slow: the socket is cut at once, since a close frame would wait behind the backlog. */
  private drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.metrics.slowClientDropped();
    this.logger.warn({ bufferedBytes: this.socket.bufferedAmount }, 'slow client dropped');
    this.socket.terminate();
  }
}
