import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { describeSharedLimits } from '../../test/contracts/shared-limits';
import { freePort } from '../../test/helpers/redis-server';
import { chain, llm } from '../chain';
import { type Clock, createVirtualClock } from '../clock';
import { BudgetExceededError, HotpathError, StepError } from '../errors';
import { deepseekV4Flash } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';
import type { SharedLimits } from '../runtime/shared-limits';
import { loadPeer } from './load-peer';
import { createRedisLimits } from './redis-limits';

const url = inject('redisUrl');

/**
 * `clock` with the sleeps of lease renewals (a third of `leaseMs`, or longer) left waiting until
 * aborted: they never wake, so the clock never jumps to them.
 */
function withoutRenewals(clock: Clock, leaseMs: number): Clock {
  return {
    ...clock,
    sleep(ms, signal) {
      if (ms < leaseMs / 3) return clock.sleep(ms, signal);
      return new Promise<void>((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        else signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
}
let run = 0;
const prefix = () => `test-${process.pid}-${Date.now()}-${run++}`;
/** A one-token call to model `m` under a concurrency limit alone. */
const slotRequest = (concurrency: number) => ({
  model: 'm',
  limits: { concurrency },
  tokens: { inputTokens: 1, outputTokens: 1 },
});

// Skipped, and said so by the test setup, only where redis-server is missing (a failure under CI).
describe.skipIf(!url)('Redis limits, the shared-limits contract', () => {
  describeSharedLimits('Redis limits', () => {
    // The virtual clock jumps to the next sleeper whenever the process waits, Redis round trips
    // included: a caller polling for a slot moves it by `pollMs` per round trip, hundreds of
    // seconds within a test, and would let held slots' leases lapse. No contract test is about
    // lapsed leases (the cross-connection tests below are), so they last a virtual day here, and
    // their renewals do not sleep on the clock: while a renewal's round trip was under way the
    // clock jumped to the next renewal, a third of a day on, and a loaded machine could run a
    // lease out that way (the 429 test once saw a fifth slot granted at a limit of four).
    const leaseMs = 86_400_000;
    const clock = withoutRenewals(createVirtualClock(), leaseMs);
    const limits = createRedisLimits({ url: url!, clock, prefix: prefix(), leaseMs });
    return { clock, limits, close: () => limits.close() };
  });
});

describe.skipIf(!url)('Redis limits across connections', () => {
  it('a process that dies holding a slot gives it back when its lease expires', async () => {
    const clock = createVirtualClock();
    const shared = prefix();
    const dying = createRedisLimits({ url, clock, prefix: shared, leaseMs: 3_000 });
    const living = createRedisLimits({ url, clock, prefix: shared, leaseMs: 3_000 });
    const request = slotRequest(1);
    try {
      await dying.acquire(request);
      const grantedAt = clock.now();
      // The process dies mid-call: its connection goes, nothing is released or renewed.
      await dying.close();
      const lease = await living.acquire(request);
      expect(clock.now() - grantedAt).toBeGreaterThanOrEqual(3_000);
      expect(clock.now() - grantedAt).toBeLessThan(3_500);
      lease.release('ok');
    } finally {
      await living.close();
    }
  }, 30_000);

  it('a live call keeps its slot past the lease by renewing it', async () => {
    const clock = createVirtualClock();
    const shared = prefix();
    const first = createRedisLimits({ url, clock, prefix: shared, leaseMs: 3_000 });
    const second = createRedisLimits({ url, clock, prefix: shared, leaseMs: 3_000 });
    const request = slotRequest(1);
    try {
      const held = await first.acquire(request);
      const waiting = second.acquire(request);
      await clock.sleep(10_000);
      held.release('ok');
      const lease = await waiting;
      expect(lease.waitedMs).toBeGreaterThanOrEqual(10_000);
      lease.release('ok');
    } finally {
      await first.close();
      await second.close();
    }
  }, 30_000);

  it('a live call keeps renewing its slot after a renewal fails', async () => {
    const clock = createVirtualClock();
    const shared = prefix();
    const { Redis } = await loadPeer<typeof import('ioredis')>('ioredis', 'test');
    const client = new Redis(url!);
    const first = createRedisLimits({ client, clock, prefix: shared, leaseMs: 3_000 });
    const second = createRedisLimits({ url, clock, prefix: shared, leaseMs: 3_000 });
    const request = slotRequest(1);
    try {
      const held = await first.acquire(request);
      // The first renewal fails, as when Redis is away for a moment.
      const commands = client as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      const renewOnce = commands.hotpathRenew!.bind(client);
      let failures = 0;
      commands.hotpathRenew = (...args) =>
        failures++ === 0 ? Promise.reject(new Error('connection lost')) : renewOnce(...args);
      const waiting = second.acquire(request);
      await clock.sleep(10_000);
      held.release('ok');
      const lease = await waiting;
      expect(failures).toBeGreaterThan(1);
      expect(lease.waitedMs).toBeGreaterThanOrEqual(10_000);
      lease.release('ok');
    } finally {
      await first.close();
      await second.close();
      client.disconnect();
    }
  }, 30_000);

  it('a 429 in one process halves the concurrency every process gets', async () => {
    const clock = createVirtualClock();
    const shared = prefix();
    const first = createRedisLimits({ url, clock, prefix: shared });
    const second = createRedisLimits({ url, clock, prefix: shared });
    const request = slotRequest(4);
    try {
      const limited = await first.acquire(request);
      limited.release('rate-limited');
      // The first process ends: its release is written before its connection closes.
      await first.close();
      // Allowance 2: the second process gets two slots at once, and its third call waits.
      const held = [await second.acquire(request), await second.acquire(request)];
      let third = false;
      const waiting = second.acquire(request).then((lease) => {
        third = true;
        return lease;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(third).toBe(false);
      held[0]!.release('error');
      (await waiting).release('ok');
      held[1]!.release('ok');
    } finally {
      await second.close();
    }
  }, 30_000);

  it('shares one budget: reservations from two processes never cross it', async () => {
    const clock = createVirtualClock();
    const shared = prefix();
    const a = createRedisLimits({ url, clock, prefix: shared }).budget('run-1', 1);
    const bLimits = createRedisLimits({ url, clock, prefix: shared });
    const b = bLimits.budget('run-1', 1);
    const holds = await Promise.all(
      Array.from({ length: 6 }, (_, index) => (index % 2 === 0 ? a : b).reserve(0.3)),
    );
    const granted = holds.filter((hold) => hold !== undefined);
    expect(granted).toHaveLength(3);
    await granted[0]!.settle(0.1);
    expect(await b.read()).toEqual({ spentUsd: 0.1, reservedUsd: expect.closeTo(0.6, 9) });
    // 0.1 spent and 0.6 reserved leave 0.3.
    expect(await a.reserve(0.3)).toBeDefined();
    expect(await b.reserve(0.01)).toBeUndefined();
    await bLimits.close();
  }, 30_000);
});

describe('a missing peer', () => {
  it('fails at once, naming the package to install', async () => {
    const missing = loadPeer('ioredis', 'hotpath/redis', async () => {
      throw new Error("Cannot find package 'ioredis'");
    });
    await expect(missing).rejects.toSatisfy(HotpathError.isInstance);
    await expect(missing).rejects.toThrow(
      "Expected `ioredis` to be installed for `hotpath/redis` (npm install ioredis), but it could not be imported: Cannot find package 'ioredis'",
    );
  });
});

describe.skipIf(!url)('a budget shared by runs in two processes', () => {
  const fanOut = chain('shared-budget', { input: z.object({}) }).map(
    'items',
    () => Array.from({ length: 40 }, (_, index) => `item ${index}`),
    llm({ prompt: (item: string) => `Answer: ${item}`, maxOutputTokens: 50 }),
    { concurrency: 4 },
  );
  const maxCostUsd = 0.0004;
  /** Two runtimes, as two processes would have, each with its own connection. */
  async function spend(budgetKey: string | undefined) {
    const shared = prefix();
    const runtimes = [0, 1].map(() => {
      const clock = createVirtualClock();
      const sharedLimits = createRedisLimits({ url, clock, prefix: shared });
      const runtime = createRuntime({
        models: createEmulatedPool({ profiles: [deepseekV4Flash], clock }),
        sharedLimits,
      });
      return { runtime, sharedLimits };
    });
    const spent = await Promise.all(
      runtimes.map(async ({ runtime }) => {
        const error = await runtime.run(fanOut, {}, { maxCostUsd, budgetKey }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(BudgetExceededError.isInstance(error)).toBe(true);
        return (error as BudgetExceededError).trace!.costUsd;
      }),
    );
    await Promise.all(runtimes.map(({ sharedLimits }) => sharedLimits.close()));
    return spent[0]! + spent[1]!;
  }

  it('two runs with one `budgetKey` spend at most `maxCostUsd` together', async () => {
    const together = await spend('nightly');
    expect(together).toBeLessThanOrEqual(maxCostUsd);
    expect(together).toBeGreaterThan(maxCostUsd * 0.5);
    // Without the key each run spends its own limit.
    expect(await spend(undefined)).toBeGreaterThan(maxCostUsd * 1.2);
  }, 90_000);
});

describe('a Redis that cannot be reached', () => {
  const report = chain('unreachable', { input: z.object({}) }).step(
    'report',
    llm({ prompt: 'Write a line.', maxOutputTokens: 20 }),
  );
  /** Limits on a loopback port where nothing listens. */
  const unreachable = async (connectTimeoutMs: number) => {
    const target = `redis://127.0.0.1:${await freePort()}`;
    return { target, limits: createRedisLimits({ url: target, connectTimeoutMs }) };
  };
  /** With `budgetOnly`, slots come from a stub at once: only the budget is on Redis. */
  const runOn = (limits: ReturnType<typeof createRedisLimits>, budgetOnly = false) => {
    const models = createEmulatedPool({ profiles: [deepseekV4Flash] });
    const sharedLimits: SharedLimits = budgetOnly
      ? {
          acquire: async () => ({ waitedMs: 0, release: () => {} }),
          budget: (key, maxCostUsd) => limits.budget(key, maxCostUsd),
        }
      : limits;
    return { models, runtime: createRuntime({ models, sharedLimits }) };
  };

  it('fails a call after `connectTimeoutMs`, naming Redis and its URL', async () => {
    const { target, limits } = await unreachable(200);
    try {
      const started = performance.now();
      const error = await limits.acquire(slotRequest(1)).catch((caught: unknown) => caught);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(HotpathError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        `Expected Redis at \`${target}\` to answer within 200 ms for \`hotpath/redis\`, got no connection (connect ECONNREFUSED`,
      );
    } finally {
      await limits.close();
    }
  });

  it.each([
    ['a slot', false, {}],
    ['the shared budget', true, { maxCostUsd: 1, budgetKey: 'team' }],
  ])(
    'fails the step waiting for %s with `reason: limits`, not on its model, with no retry',
    async (_, budgetOnly, options) => {
      const { target, limits } = await unreachable(200);
      const { models, runtime } = runOn(limits, budgetOnly);
      const retries: unknown[] = [];
      runtime.on('step:retry', (event) => retries.push(event));
      try {
        const error = await runtime.run(report, {}, options).catch((caught: unknown) => caught);
        expect(StepError.isInstance(error)).toBe(true);
        const stepError = error as StepError;
        expect(stepError.reason).toBe('limits');
        expect(stepError.model).toBeUndefined();
        expect(stepError.message).toMatch(
          `Step \`report\` of chain \`unreachable\` failed: Expected Redis at \`${target}\``,
        );
        expect(retries).toEqual([]);
        expect(models.stats().requests).toBe(0);
      } finally {
        await limits.close();
      }
    },
  );

  it.each([
    ['a slot', false, {}],
    ['the shared budget', true, { maxCostUsd: 1, budgetKey: 'team' }],
  ])('ends a run cancelled while waiting for %s at once', async (_, budgetOnly, options) => {
    const { limits } = await unreachable(60_000);
    const { runtime } = runOn(limits, budgetOnly);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    try {
      const started = performance.now();
      const run = runtime.run(report, {}, { ...options, signal: controller.signal });
      await expect(run).rejects.toThrow('Run of chain `unreachable` was aborted: user left');
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await limits.close();
    }
  });
});

describe.skipIf(!url)('a call waiting behind another for a slot', () => {
  it('leaves the line at once when its signal aborts', async () => {
    const limits = createRedisLimits({ url, prefix: prefix(), pollMs: 20 });
    try {
      const held = await limits.acquire(slotRequest(1));
      // The first in line polls for the slot; the second waits for its turn to poll.
      const first = limits.acquire(slotRequest(1));
      const controller = new AbortController();
      const second = limits.acquire({ ...slotRequest(1), signal: controller.signal });
      const outcome = second.then(
        () => 'granted',
        (error: Error) => error.message,
      );
      controller.abort(new Error('gave up'));
      const waited = await Promise.race([
        outcome,
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
      ]);
      expect(waited).toBe('gave up');
      held.release('ok');
      (await first).release('ok');
    } finally {
      await limits.close();
    }
  });
});
