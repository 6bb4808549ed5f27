import { describe, expect, it } from 'vitest';
import { describeSharedLimits, maxInWindow } from '../../test/contracts/shared-limits';
import { createVirtualClock } from '../clock';
import { createLocalLimits, ModelLimiter } from './model-limiter';

describeSharedLimits('in-process limits', () => {
  const clock = createVirtualClock();
  return { clock, limits: createLocalLimits(clock) };
});

describe('ModelLimiter', () => {
  it('counts a call above the window’s size as the size: it waits for an empty window', async () => {
    const clock = createVirtualClock();
    const limiter = new ModelLimiter({ outputTokensPerMinute: 100 }, clock);
    const starts: number[] = [];
    for (let call = 0; call < 3; call++) {
      const lease = await limiter.acquire({ inputTokens: 0, outputTokens: 500 });
      starts.push(clock.now());
      lease.release('ok');
    }
    expect(starts).toEqual([0, 60_000, 120_000]);
  });

  it('keeps the combined `tokensPerMinute` of providers with one token limit', async () => {
    const clock = createVirtualClock();
    const limiter = new ModelLimiter({ tokensPerMinute: 1_000 }, clock);
    const starts: { at: number; amount: number }[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const lease = await limiter.acquire({ inputTokens: 150, outputTokens: 150 });
        starts.push({ at: clock.now(), amount: 300 });
        lease.release('ok');
      }),
    );
    expect(maxInWindow(starts)).toBeLessThanOrEqual(1_000);
    expect(Math.max(...starts.map((start) => start.at))).toBe(180_000);
  });
});
