import { type Clock, systemClock } from '../clock';
import { assertWholeNumber } from '../errors/invalid-argument-error';
import type {
  BudgetHold,
  CallOutcome,
  CallTokens,
  LimitLease,
  LimitRequest,
  ModelLimits,
  SharedBudget,
  SharedLimits,
} from '../runtime/shared-limits';
import { minuteMs } from '../runtime/sliding-window';
import { connectRedis, type RedisConnectionOptions, type ScriptedRedis } from './connect';

/** Options of {@link createRedisLimits}. */
export interface RedisLimitsOptions extends RedisConnectionOptions {
  /**
   * Where minutes and leases are counted. Every process sharing the limits must be on the same
   * timeline (a scaled clock with one origin, for tests). @default the wall clock (`Date.now()`)
   */
  clock?: Clock;
  /** Prefix of every key. @default 'hotpath' */
  prefix?: string;
  /**
   * How long a call's slot outlives a process that died holding it: live calls renew theirs
   * every third of this. @default 30_000
   */
  leaseMs?: number;
  /** How often a call waiting for a free slot asks again, in clock milliseconds. @default 50 */
  pollMs?: number;
  /**
   * How much longer than a minute a start stays counted: a request reaches the provider some
   * time after its turn, later for some than for others, and the provider counts arrivals.
   * @default 1_000
   */
  windowMarginMs?: number;
  /** How long a reserved budget amount outlives a process that died holding it. @default 600_000 */
  budgetLeaseMs?: number;
}

/** Limits in Redis, and the connection to close when done. */
export interface RedisLimits extends SharedLimits {
  budget(key: string, maxCostUsd: number): SharedBudget;
  /** Waits for pending releases and closes the connection (a client you passed stays open). */
  close(): Promise<void>;
}

/** The wall clock on the epoch: processes agree on it without sharing an origin. */
const wallClock: Clock = { now: () => Date.now(), sleep: systemClock.sleep };

/** The windows in the order the scripts take them, and what a call counts in each. */
const dimensions = [
  ['requestsPerMinute', () => 1],
  ['tokensPerMinute', (tokens: CallTokens) => tokens.inputTokens + tokens.outputTokens],
  ['inputTokensPerMinute', (tokens: CallTokens) => tokens.inputTokens],
  ['outputTokensPerMinute', (tokens: CallTokens) => tokens.outputTokens],
] as const satisfies readonly (readonly [keyof ModelLimits, (tokens: CallTokens) => number])[];

/**
 * Each model's concurrency, requests per minute and input and output tokens per minute, held
 * across every process that uses one Redis: a call reserves its estimate atomically (a Lua
 * script) before it starts and settles with its real usage when it ends; a 429 anywhere halves
 * the concurrency every process gets, and successes grow it back; a process that dies mid-call
 * gives its slot back when its lease expires. Budgets under a shared key work the same. It
 * imports `ioredis` and connects at once; while Redis cannot be reached a call waits for it at
 * most `connectTimeoutMs`, then fails with a `HotpathError` naming Redis and its URL (a step that
 * fails so has `reason: 'limits'`); `close()` ends a connection it opened.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({
 *   models: models.fromEnv(),
 *   sharedLimits: createRedisLimits({ url: process.env.REDIS_URL }),
 * });
 * ```
 */
export function createRedisLimits(options: RedisLimitsOptions = {}): RedisLimits {
  const clock = options.clock ?? wallClock;
  const prefix = options.prefix ?? 'hotpath';
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const budgetLeaseMs = options.budgetLeaseMs ?? 600_000;
  const windowMs = minuteMs + (options.windowMarginMs ?? 1_000);
  assertWholeNumber('leaseMs', leaseMs);
  if (!(pollMs > 0)) assertWholeNumber('pollMs', pollMs);
  if (options.connectTimeoutMs !== undefined) {
    assertWholeNumber('connectTimeoutMs', options.connectTimeoutMs);
  }
  const connection = connectRedis(options, 'hotpath/redis');
  // Without a handler an unreachable Redis would be an unhandled rejection until first use.
  connection.catch(() => {});
  const owner = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  let counter = 0;
  const nextId = () => `${owner}:${(counter++).toString(36)}`;
  const pending = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    const settled = promise.catch(() => {}).finally(() => pending.delete(settled));
    pending.add(settled);
  };
  /** This process's callers for a model go one after another: only the first one polls. */
  const turns = new Map<string, Promise<unknown>>();

  const keysFor = (model: string) => {
    const base = `${prefix}:limits:{${model}}`;
    return [
      `${base}:leases`,
      ...dimensions.map(([name]) => `${base}:${name}`),
      `${base}:allowance`,
    ];
  };

  async function admit(redis: ScriptedRedis, request: LimitRequest, keys: string[], id: string) {
    const { limits, tokens, signal } = request;
    const limitArgs = dimensions.map(([name]) => limits[name] ?? 0);
    const amounts = dimensions.map(([name, amount]) =>
      String(Math.min(Math.ceil(amount(tokens)), limits[name] ?? 0)),
    );
    const concurrency = limits.concurrency ?? 0;
    for (;;) {
      signal?.throwIfAborted();
      const now = clock.now();
      const [verdict, ms] = await redis.acquire(
        keys,
        [now, windowMs, id, leaseMs, concurrency, ...limitArgs, ...amounts],
        signal,
      );
      if (verdict === 'ok') return { startedAt: now, amounts };
      const waitMs = Number(ms);
      await clock.sleep(
        verdict === 'busy' ? Math.max(1e-3, Math.min(pollMs, waitMs)) : Math.max(1e-3, waitMs),
        signal,
      );
    }
  }

  return {
    async acquire(request) {
      const redis = await connection;
      const start = clock.now();
      const keys = keysFor(request.model);
      const id = nextId();
      const previous = turns.get(request.model) ?? Promise.resolve();
      // A caller that gives up while an earlier one polls leaves the line at once; the next
      // caller still waits for that earlier one.
      const turn = untilAborted(previous, request.signal).then(() =>
        admit(redis, request, keys, id),
      );
      turns.set(request.model, Promise.allSettled([previous, turn]));
      const granted = await turn;
      const { amounts } = granted;
      // The grant may have taken a while to come back: count the call from now.
      const startedAt = Math.max(granted.startedAt, clock.now());
      if (startedAt > granted.startedAt) {
        track(redis.restamp(keys.slice(1, 1 + dimensions.length), [id, startedAt, ...amounts]));
      }
      const release = (outcome: CallOutcome | 'none', kept: (index: number) => string) =>
        track(
          redis.release(keys, [
            id,
            startedAt,
            ...dimensions.flatMap((_, index) => [amounts[index]!, kept(index)]),
            outcome,
            request.limits.concurrency ?? 0,
          ]),
        );
      if (request.signal?.aborted) {
        // Granted as the caller gave up: the call never starts, so it takes nothing.
        release('none', () => 'x');
        throw request.signal.reason;
      }
      const stopRenewing = request.limits.concurrency ? renew(redis, keys[0]!, id) : undefined;
      let released = false;
      const lease: LimitLease = {
        waitedMs: clock.now() - start,
        release: (outcome, used) => {
          if (released) return;
          released = true;
          stopRenewing?.abort();
          release(outcome, (index) => {
            const [name, amount] = dimensions[index]!;
            if (used === undefined || index === 0 || !request.limits[name]) return '-1';
            return String(Math.min(Math.ceil(amount(used)), request.limits[name]!));
          });
        },
      };
      return lease;
    },
    budget(key, maxCostUsd) {
      const base = `${prefix}:budget:{${key}}`;
      const keys = [`${base}:spent`, `${base}:reserved`];
      return {
        async reserve(amountUsd, signal): Promise<BudgetHold | undefined> {
          const redis = await connection;
          const id = nextId();
          const amount = String(amountUsd);
          const now = clock.now();
          const granted = await redis.reserveBudget(
            keys,
            [now, maxCostUsd, id, amount, now + budgetLeaseMs],
            signal,
          );
          if (granted !== 1) return undefined;
          let settled = false;
          return {
            async settle(actualUsd) {
              if (settled) return;
              settled = true;
              await redis.settleBudget(keys, [id, amount, String(actualUsd)]);
            },
          };
        },
        async read() {
          const redis = await connection;
          const [spent, reserved] = await redis.readBudget(keys, clock.now());
          return { spentUsd: Number(spent), reservedUsd: Number(reserved) };
        },
      };
    },
    async close() {
      await Promise.all(pending);
      await (await connection.catch(() => undefined))?.close();
    },
  };

  /** `previous` settled, or `signal`'s abort (whichever comes first). */
  function untilAborted(previous: Promise<unknown>, signal: AbortSignal | undefined) {
    if (signal === undefined) return previous;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      previous.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, resolve);
    });
  }

  /**
   * Renews a live call's slot every third of its lease until aborted. A renewal that fails (Redis
   * away for a moment) is tried again a third later: the lease holds while two of three fail.
   */
  function renew(redis: ScriptedRedis, key: string, id: string): AbortController {
    const stop = new AbortController();
    (async () => {
      for (;;) {
        await clock.sleep(leaseMs / 3, stop.signal);
        await redis.renew(key, id, clock.now() + leaseMs).catch(() => {});
      }
    })().catch(() => {});
    return stop;
  }
}
