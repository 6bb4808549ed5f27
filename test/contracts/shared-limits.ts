import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock';
import type { SharedLimits } from '../../src/runtime/shared-limits';

/** What one implementation under the contract gives each test. */
export interface LimitsFixture {
  readonly limits: SharedLimits;
  readonly clock: Clock;
  /** Closes connections; called after each test. */
  close?(): Promise<void>;
}

/** The most `amounts` that start inside any window of `windowMs`, by their start times. */
export function maxInWindow(
  starts: readonly { at: number; amount?: number }[],
  windowMs = 60_000,
): number {
  const sorted = [...starts].sort((a, b) => a.at - b.at);
  let most = 0;
  let sum = 0;
  let first = 0;
  for (const start of sorted) {
    sum += start.amount ?? 1;
    while (sorted[first]!.at <= start.at - windowMs) sum -= sorted[first++]!.amount ?? 1;
    most = Math.max(most, sum);
  }
  return most;
}

/**
 * The contract every `SharedLimits` keeps: the in-process limiter and the Redis one run the
 * same suite. `create` gets a fresh model id per test, so implementations may share a server.
 */
export function describeSharedLimits(
  name: string,
  create: () => Promise<LimitsFixture> | LimitsFixture,
): void {
  let counter = 0;
  const model = () => `contract-model-${Date.now()}-${counter++}`;
  const withFixture = (test: (fixture: LimitsFixture) => Promise<void>) => async () => {
    const fixture = await create();
    try {
      await test(fixture);
    } finally {
      await fixture.close?.();
    }
  };

  describe(`${name}: the SharedLimits contract`, () => {
    it(
      'starts at most `requestsPerMinute` requests in any sliding minute',
      withFixture(async ({ limits, clock }) => {
        const id = model();
        const starts: { at: number }[] = [];
        await Promise.all(
          Array.from({ length: 150 }, async () => {
            const lease = await limits.acquire({
              model: id,
              limits: { requestsPerMinute: 60 },
              tokens: { inputTokens: 10, outputTokens: 10 },
            });
            starts.push({ at: clock.now() });
            await clock.sleep(100);
            lease.release('ok');
          }),
        );
        expect(maxInWindow(starts)).toBeLessThanOrEqual(60);
        // 60 at once, 60 a minute later, the last 30 two minutes in: no slower than the rule.
        const last = Math.max(...starts.map((start) => start.at));
        expect(last).toBeGreaterThanOrEqual(120_000);
        expect(last).toBeLessThan(130_000);
      }),
      30_000,
    );

    it(
      'holds `concurrency` calls in flight at most',
      withFixture(async ({ limits }) => {
        const id = model();
        const calls = 12;
        let inFlight = 0;
        let done = 0;
        let peak = 0;
        // Each call holds its slot until the slots are full (or too few calls are left to fill
        // them), on real time: an implementation's I/O may move a virtual clock on.
        const full = () => inFlight >= Math.min(3, calls - done);
        await Promise.all(
          Array.from({ length: calls }, async () => {
            const lease = await limits.acquire({
              model: id,
              limits: { concurrency: 3 },
              tokens: { inputTokens: 1, outputTokens: 1 },
            });
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            for (let tries = 0; tries < 400 && !full(); tries++) {
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
            inFlight -= 1;
            done += 1;
            lease.release('ok');
          }),
        );
        expect(peak).toBe(3);
      }),
      30_000,
    );

    it(
      'halves `concurrency` after a 429 and grows it back with every success',
      withFixture(async ({ limits }) => {
        const id = model();
        const request = {
          model: id,
          limits: { concurrency: 4 },
          tokens: { inputTokens: 1, outputTokens: 1 },
        };
        /** Whether `lease` is granted within 100 ms of real time (polling implementations poll). */
        const grantedSoon = async (lease: Promise<unknown>) => {
          const late = new Promise<false>((resolve) => setTimeout(() => resolve(false), 100));
          return Promise.race([lease.then(() => true), late]);
        };
        const held = await Promise.all(Array.from({ length: 4 }, () => limits.acquire(request)));
        // 4 to 2 in flight: with 3 calls still in flight, a new one waits until fewer than 2 are.
        held[0]!.release('rate-limited');
        const waiting = limits.acquire(request);
        held[1]!.release('error');
        expect(await grantedSoon(waiting)).toBe(false);
        held[2]!.release('error');
        expect(await grantedSoon(waiting)).toBe(true);
        const fifth = await waiting;
        // At 2, with 2 in flight: full.
        const sixth = limits.acquire(request);
        expect(await grantedSoon(sixth)).toBe(false);
        held[3]!.release('ok');
        fifth.release('ok');
        (await sixth).release('ok');
        // Each success adds 1 / allowance: 2 grows past 4 (capped there) in the successes above
        // and three more, so four calls fit at once again, and a fifth does not.
        for (let call = 0; call < 3; call++) (await limits.acquire(request)).release('ok');
        const again = await Promise.all(Array.from({ length: 4 }, () => limits.acquire(request)));
        const over = limits.acquire(request);
        expect(await grantedSoon(over)).toBe(false);
        for (const lease of again) lease.release('ok');
        (await over).release('ok');
      }),
      30_000,
    );

    it(
      'counts input and output tokens in separate windows, and reconciles with real usage',
      withFixture(async ({ limits, clock }) => {
        const id = model();
        const modelLimits = { inputTokensPerMinute: 10_000, outputTokensPerMinute: 1_000 };
        const call = () =>
          limits.acquire({
            model: id,
            limits: modelLimits,
            tokens: { inputTokens: 100, outputTokens: 400 },
          });
        const startedAt = clock.now();
        const first = await call();
        const second = await call();
        // Two estimates of 400 leave 200 of 1,000: a third waits, unless the first two give
        // back what they did not use.
        expect(clock.now() - startedAt).toBeLessThan(1_000);
        first.release('ok', { inputTokens: 100, outputTokens: 100 });
        second.release('ok', { inputTokens: 100, outputTokens: 100 });
        await new Promise((resolve) => setTimeout(resolve, 20));
        const third = await call();
        expect(clock.now() - startedAt).toBeLessThan(1_000);
        // 100 + 100 + 400 used: a fourth and fifth of 400 cannot both fit inside the minute.
        const fourth = await call();
        expect(clock.now() - startedAt).toBeLessThan(1_000);
        const fifth = await call();
        expect(clock.now() - startedAt).toBeGreaterThanOrEqual(60_000);
        for (const lease of [third, fourth, fifth]) lease.release('ok');
      }),
      30_000,
    );

    it(
      'a call aborted while it waits rejects with the reason and takes nothing',
      withFixture(async ({ limits, clock }) => {
        const id = model();
        const modelLimits = { requestsPerMinute: 1 };
        const tokens = { inputTokens: 1, outputTokens: 1 };
        const first = await limits.acquire({ model: id, limits: modelLimits, tokens });
        first.release('ok');
        const controller = new AbortController();
        const waiting = limits.acquire({
          model: id,
          limits: modelLimits,
          tokens,
          signal: controller.signal,
        });
        const reason = new Error('stop');
        queueMicrotask(() => controller.abort(reason));
        await expect(waiting).rejects.toBe(reason);
        // The aborted call took no room: the next one starts one minute after the first.
        const startedAt = clock.now();
        const next = await limits.acquire({ model: id, limits: modelLimits, tokens });
        expect(clock.now()).toBeLessThanOrEqual(Math.max(startedAt, 60_000) + 1_000);
        next.release('ok');
      }),
      30_000,
    );
  });
}
