import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';
import { createEmulatedClock } from './emulated-clock';

/** Keeps the CPU busy for `ms` of real time, as a cold start or a heavy step does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('createEmulatedClock', () => {
  it('runs sleeps at the time scale and everything else at the wall clock', async () => {
    const clock = createEmulatedClock({ timeScale: 100 });
    const start = clock.now();
    busy(30);
    await clock.sleep(1000);
    // 30 ms of work reads as 30 ms (a plain scaled clock reads it as 3 s), the sleep as 1 s.
    const elapsed = clock.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(1030);
    expect(elapsed).toBeLessThan(2000);
  });

  it('keeps concurrent sleeps in order and never goes back', async () => {
    const clock = createEmulatedClock({ timeScale: 50 });
    const woke: number[] = [];
    await Promise.all(
      [300, 100, 200].map((ms) => clock.sleep(ms).then(() => woke.push(clock.now()))),
    );
    expect(woke).toEqual([...woke].sort((a, b) => a - b));
    expect(woke[0]).toBeGreaterThanOrEqual(100);
    expect(woke[2]).toBeGreaterThanOrEqual(300);
  });
});

describe('an in-process emulator at timeScale 100', () => {
  it('reports a run in the models’ time, not hotpath’s own work scaled up a hundred times', async () => {
    // No time limits: at 100x a 10 s limit is 100 ms of real time, which a loaded machine's
    // scheduling can eat; this test is about how time reads, not about limits.
    const runtime = createRuntime({
      models: createEmulatedPool({ timeScale: 100 }),
      timeouts: false,
      hedge: false,
    });
    const steps = chain('steps', { input: z.object({ q: z.string() }) })
      .step(
        'work',
        fn(({ input }) => {
          busy(40);
          return input.q;
        }),
      )
      .step('answer', llm({ prompt: ({ work }) => `Say ${work}`, maxOutputTokens: 20 }));
    const { trace } = await runtime.run(steps, { q: 'hello' });
    // The plan's time plus 40 ms of real work and timers' overshoot at 1x (a plain scaled clock
    // adds 4 s for the work alone, and 100 ms for every millisecond a timer is late).
    expect(trace.durationMs).toBeLessThan(trace.plan.durationMs + 3000);
    expect(trace.steps[0]!.durationMs).toBeLessThan(1000);
  });
});
