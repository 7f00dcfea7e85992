import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { createClient } from '@redis/client';
import type { Logger } from '../telemetry/logger.js';
import { checkedInteraction, checkQueueVisit } from '../upstream/parse.js';
import type { InteractionPageDto } from '../upstream/types.js';
import type { Endpoint, FeedMessage, PollerState, PollProgress } from './poller.js';
import { sharedTokenName } from './tokenKeys.js';

// What the replicas share in Redis for the live feeds, one set of names per token and
// endpoint: the poller's lease, the channel its findings are published on, and where it stands
// (so that a replica taking over resumes). Names carry an HMAC of the token, never the token.

type RedisClient = ReturnType<typeof createClient>;

const PREFIX = 'stats-gateway:live';
const SECRET_KEY = `${PREFIX}:secret`;
// How long start-up waits for Redis before going on without it (feeds join it when it comes).
const CONNECT_WAIT_MS = 1000;
// The lease is renewed once per poll interval; one missing three renewals has died.
const LEASE_INTERVALS = 3;

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** One token and endpoint's names in Redis. */
export interface SharedNames {
  channel: string;
  lease: string;
  cursor: string;
  seen: string;
  ongoing: string;
}

export interface SharedState {
  /** This process among the replicas, as lease holder. */
  readonly replica: string;
  /** Whether Redis is reachable now and the replicas' secret is known. */
  ready(): boolean;
  /** The feed's names; `undefined` until the replicas' secret is known. */
  names(authorization: string, endpoint: Endpoint): SharedNames | undefined;
  /** Takes the lease if nobody holds it; renews it if this process does. False: someone else. */
  lease(names: SharedNames, held: boolean): Promise<boolean>;
  release(names: SharedNames): Promise<void>;
  resume(names: SharedNames): Promise<PollerState>;
  save(names: SharedNames, progress: PollProgress): Promise<void>;
  publish(names: SharedNames, message: FeedMessage): Promise<void>;
  /** Hands every message published on the channel to `receive`, this process's own included. */
  listen(names: SharedNames, receive: (message: FeedMessage) => void): Promise<void>;
  unlisten(names: SharedNames): Promise<void>;
  close(): Promise<void>;
}

/** The two connections (commands, and pub/sub) and the replicas' secret once agreed. */
interface Connection {
  commands: RedisClient;
  subscriber: RedisClient;
  secret(): string | undefined;
}

/** Redis for the live feeds with REDIS_URL; the module is loaded only then. */
export async function connectSharedState(
  url: string,
  pollMs: number,
  logger: Logger,
): Promise<SharedState> {
  return new RedisState(await connect(url, logger), pollMs);
}

/**
 * Connects and agrees on the HMAC secret with the other replicas: the first to connect stores
 * a random one, the others read it. After a reconnection it is stored again if Redis lost it,
 * so replicas keep agreeing. Start-up waits a moment for Redis, not longer: while it is away,
 * feeds poll on their own.
 */
async function connect(url: string, logger: Logger): Promise<Connection> {
  const redis = await import('@redis/client');
  // Lease commands fail at once while Redis is away, so that feeds poll on their own meanwhile
  // (redisTransport.ts); subscriptions wait for the reconnection instead.
  const commands: RedisClient = redis.createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * retries, 2000) },
  });
  const subscriber: RedisClient = commands.duplicate({ disableOfflineQueue: false });
  let warned = false;
  for (const client of [commands, subscriber]) {
    client.on('error', (error: unknown) => {
      if (!warned) logger.warn({ err: error }, 'live feeds: Redis error');
      warned = true;
    });
    client.on('ready', () => (warned = false));
  }
  let secret = randomBytes(32).toString('base64url');
  let agreed = false;
  const firstAgreement = new Promise<void>((resolve) => {
    commands.on('ready', () => {
      void (async () => {
        await commands.set(SECRET_KEY, secret, { condition: 'NX' });
        secret = (await commands.get(SECRET_KEY)) ?? secret;
        agreed = true;
        resolve();
      })().catch(() => {});
    });
  });
  void commands.connect().catch(() => {});
  void subscriber.connect().catch(() => {});
  await Promise.race([firstAgreement, sleep(CONNECT_WAIT_MS)]);
  return { commands, subscriber, secret: () => (agreed ? secret : undefined) };
}

class RedisState implements SharedState {
  readonly replica = randomUUID();
  private readonly leaseMs: number;
  /** Where a poller stands outlives it a little, for a replica taking over its lease. */
  private readonly stateMs: number;

  constructor(
    private readonly redis: Connection,
    pollMs: number,
  ) {
    this.leaseMs = LEASE_INTERVALS * pollMs;
    this.stateMs = 2 * LEASE_INTERVALS * pollMs;
  }

  ready(): boolean {
    const { commands, subscriber, secret } = this.redis;
    return secret() !== undefined && commands.isReady && subscriber.isReady;
  }

  names(authorization: string, endpoint: Endpoint): SharedNames | undefined {
    const secret = this.redis.secret();
    if (secret === undefined) return undefined;
    const base = `${PREFIX}:${sharedTokenName(secret, authorization)}:${endpoint}`;
    return {
      channel: base,
      lease: `${base}:lease`,
      cursor: `${base}:cursor`,
      seen: `${base}:seen`,
      ongoing: `${base}:ongoing`,
    };
  }

  async lease(names: SharedNames, held: boolean): Promise<boolean> {
    const { commands } = this.redis;
    if (held) {
      const args = { keys: [names.lease], arguments: [this.replica, String(this.leaseMs)] };
      return (await commands.eval(RENEW, args)) === 1;
    }
    const taken = await commands.set(names.lease, this.replica, {
      condition: 'NX',
      expiration: { type: 'PX', value: this.leaseMs },
    });
    return taken === 'OK';
  }

  async release(names: SharedNames): Promise<void> {
    await this.redis.commands.eval(RELEASE, { keys: [names.lease], arguments: [this.replica] });
  }

  async resume(names: SharedNames): Promise<PollerState> {
    const { commands } = this.redis;
    const [cursor, seen, ongoing] = await Promise.all([
      commands.get(names.cursor),
      commands.hGetAll(names.seen),
      commands.get(names.ongoing),
    ]);
    const page = ongoing ? (JSON.parse(ongoing) as InteractionPageDto) : undefined;
    if (page) page.items = page.items.map(checkedInteraction);
    return { cursor: cursor ?? undefined, digests: Object.entries(seen), ongoing: page };
  }

  async save(names: SharedNames, progress: PollProgress): Promise<void> {
    const { cursor, digests, forgotten, ongoing } = progress;
    const expiration = { type: 'PX', value: this.stateMs } as const;
    const batch = this.redis.commands.multi();
    if (cursor !== undefined) batch.set(names.cursor, cursor, { expiration });
    if (digests.length > 0) batch.hSet(names.seen, Object.fromEntries(digests));
    if (forgotten.length > 0) batch.hDel(names.seen, forgotten);
    batch.pExpire(names.seen, this.stateMs);
    if (ongoing) batch.set(names.ongoing, JSON.stringify(ongoing), { expiration });
    else batch.pExpire(names.ongoing, this.stateMs);
    await batch.exec();
  }

  async publish(names: SharedNames, message: FeedMessage): Promise<void> {
    await this.redis.commands.publish(names.channel, JSON.stringify(message));
  }

  async listen(names: SharedNames, receive: (message: FeedMessage) => void): Promise<void> {
    await this.redis.subscriber.subscribe(names.channel, (text) =>
      receive(linked(JSON.parse(text) as FeedMessage)),
    );
  }

  async unlisten(names: SharedNames): Promise<void> {
    await this.redis.subscriber.unsubscribe(names.channel);
  }

  async close(): Promise<void> {
    const { commands, subscriber } = this.redis;
    const closing = [commands, subscriber].map((client) =>
      client.isReady ? client.close() : client.destroy(),
    );
    await Promise.allSettled(closing);
  }
}

/** A message as it came through Redis, its items checked (and linked) as parse.ts does. */
function linked(message: FeedMessage): FeedMessage {
  if (message.kind === 'changes') message.items = message.items.map(checkedInteraction);
  if (message.kind === 'visits') message.items = message.items.map((item) => checkQueueVisit(item));
  if (message.kind === 'ongoing') message.page.items = message.page.items.map(checkedInteraction);
  return message;
}
