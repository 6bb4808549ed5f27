import type { Redis } from 'ioredis';
import { HotpathError } from '../errors';
import { loadPeer } from './load-peer';
import {
  acquireScript,
  readBudgetScript,
  releaseScript,
  renewScript,
  reserveBudgetScript,
  restampScript,
  settleBudgetScript,
} from './scripts';
import { createRedisWait, maskRedisUrl } from './unreachable';

type Arg = string | number;

/** A Redis connection with hotpath's scripts defined on it; a `signal` ends a wait for Redis. */
export interface ScriptedRedis {
  readonly client: Redis;
  acquire(
    keys: readonly string[],
    args: readonly Arg[],
    signal?: AbortSignal,
  ): Promise<[string, string?]>;
  release(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  renew(key: string, id: string, expiresAt: number): Promise<unknown>;
  restamp(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  reserveBudget(
    keys: readonly string[],
    args: readonly Arg[],
    signal?: AbortSignal,
  ): Promise<number>;
  settleBudget(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  readBudget(keys: readonly string[], now: number): Promise<[string, string]>;
}

/** How to reach Redis: a URL, or a client of your own (kept open on `close`). */
export interface RedisConnectionOptions {
  /** `redis://host:port/db`. @default 'redis://127.0.0.1:6379' */
  url?: string;
  /** An `ioredis` client to use instead of opening one (its own retry settings apply). */
  client?: Redis;
  /**
   * How long a call waits for the connection this opens to be ready before it fails, naming the
   * URL (the connection is retried meanwhile, for later calls). Commands are never queued while
   * Redis is away, so none runs late. @default 5_000
   */
  connectTimeoutMs?: number;
}

const scripts = {
  hotpathAcquire: [acquireScript, 6],
  hotpathRelease: [releaseScript, 6],
  hotpathRenew: [renewScript, 1],
  hotpathRestamp: [restampScript, 4],
  hotpathReserveBudget: [reserveBudgetScript, 2],
  hotpathSettleBudget: [settleBudgetScript, 2],
  hotpathReadBudget: [readBudgetScript, 2],
} as const;

/** Opens (or adopts) a connection and defines the scripts; `ioredis` is imported here only. */
export async function connectRedis(
  options: RedisConnectionOptions,
  entry: string,
): Promise<ScriptedRedis & { close(): Promise<void> }> {
  const owned = options.client === undefined;
  const url = options.url ?? 'redis://127.0.0.1:6379';
  // Only an owned connection is waited for: the URL it names is `url`.
  const redisWait = createRedisWait(url, entry, options.connectTimeoutMs ?? 5_000);
  let client = options.client;
  if (client === undefined) {
    const { Redis } = await loadPeer<typeof import('ioredis')>('ioredis', entry);
    // No offline queue: a command sent while Redis is away fails at once (and is never sent
    // late, holding a slot nobody waits for); one sent as the connection drops is tried once more.
    client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // Errors reach the calls that fail; without a listener ioredis also prints each one.
    client.on('error', redisWait.onError);
  }
  for (const [name, [lua, numberOfKeys]] of Object.entries(scripts)) {
    if (!(name in client)) client.defineCommand(name, { lua, numberOfKeys });
  }
  const redis = client;
  const where = owned ? url : clientUrl(redis);
  /** The owned connection's next `ready`, one listener for every call waiting for it. */
  let nextReady: Promise<void> | undefined;
  /** Nothing to wait for when the connection is ready; else its next `ready`, or a failure. */
  const ready = (signal: AbortSignal | undefined): Promise<void> | undefined => {
    if (!owned || redis.status === 'ready') return undefined;
    nextReady ??= new Promise<void>((resolve) =>
      redis.once('ready', () => {
        nextReady = undefined;
        resolve();
      }),
    );
    return redisWait.wait(nextReady, signal);
  };
  const run = (name: keyof typeof scripts, keys: readonly string[], args: readonly Arg[]) =>
    (redis as unknown as Record<string, (...all: Arg[]) => Promise<any>>)[name]!(
      ...keys,
      ...args,
    ).catch((error: unknown) => {
      throw new HotpathError({
        name: 'HotpathConnectionError',
        message: `Expected Redis at \`${maskRedisUrl(where)}\` to answer \`${name}\` for \`${entry}\`, got ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    });
  const call = (
    name: keyof typeof scripts,
    keys: readonly string[],
    args: readonly Arg[],
    signal?: AbortSignal,
  ) => {
    const waiting = ready(signal);
    return waiting === undefined
      ? run(name, keys, args)
      : waiting.then(() => run(name, keys, args));
  };
  return {
    client: redis,
    acquire: (keys, args, signal) => call('hotpathAcquire', keys, args, signal),
    release: (keys, args) => call('hotpathRelease', keys, args),
    renew: (key, id, expiresAt) => call('hotpathRenew', [key], [id, expiresAt]),
    restamp: (keys, args) => call('hotpathRestamp', keys, args),
    reserveBudget: (keys, args, signal) => call('hotpathReserveBudget', keys, args, signal),
    settleBudget: (keys, args) => call('hotpathSettleBudget', keys, args),
    readBudget: (keys, now) => call('hotpathReadBudget', keys, [now]),
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Where a client passed in connects, as a URL for messages. */
function clientUrl(client: Redis): string {
  const { host, port, db } = client.options as { host?: string; port?: number; db?: number };
  return `redis://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
}
