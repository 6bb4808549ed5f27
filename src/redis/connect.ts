import type { Redis } from 'ioredis';
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

type Arg = string | number;

/** A Redis connection with hotpath's scripts defined on it. */
export interface ScriptedRedis {
  readonly client: Redis;
  acquire(keys: readonly string[], args: readonly Arg[]): Promise<[string, string?]>;
  release(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  renew(key: string, id: string, expiresAt: number): Promise<unknown>;
  restamp(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  reserveBudget(keys: readonly string[], args: readonly Arg[]): Promise<number>;
  settleBudget(keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  readBudget(keys: readonly string[], now: number): Promise<[string, string]>;
}

/** How to reach Redis: a URL, or a client of your own (kept open on `close`). */
export interface RedisConnectionOptions {
  /** `redis://host:port/db`. @default 'redis://127.0.0.1:6379' */
  url?: string;
  /** An `ioredis` client to use instead of opening one. */
  client?: Redis;
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
  let client = options.client;
  if (client === undefined) {
    const { Redis } = await loadPeer<typeof import('ioredis')>('ioredis', entry);
    client = new Redis(options.url ?? 'redis://127.0.0.1:6379');
    // Errors reach the calls that fail; without a listener ioredis also prints each one.
    client.on('error', () => {});
  }
  for (const [name, [lua, numberOfKeys]] of Object.entries(scripts)) {
    if (!(name in client)) client.defineCommand(name, { lua, numberOfKeys });
  }
  const call = (name: keyof typeof scripts, keys: readonly string[], args: readonly Arg[]) =>
    (client as unknown as Record<string, (...all: Arg[]) => Promise<any>>)[name]!(...keys, ...args);
  const owned = options.client === undefined;
  const redis = client;
  return {
    client: redis,
    acquire: (keys, args) => call('hotpathAcquire', keys, args),
    release: (keys, args) => call('hotpathRelease', keys, args),
    renew: (key, id, expiresAt) => call('hotpathRenew', [key], [id, expiresAt]),
    restamp: (keys, args) => call('hotpathRestamp', keys, args),
    reserveBudget: (keys, args) => call('hotpathReserveBudget', keys, args),
    settleBudget: (keys, args) => call('hotpathSettleBudget', keys, args),
    readBudget: (keys, now) => call('hotpathReadBudget', keys, [now]),
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
