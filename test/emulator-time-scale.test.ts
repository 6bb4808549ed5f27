import { chain, createRuntime, fromEnv, llm } from 'hotpath';
import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const one = chain('one', { input: z.object({}) }).step(
  'answer',
  llm({ prompt: 'Say hello.', maxOutputTokens: 20, lane: 'fast' }),
);

describe('a run over the HTTP emulator at a time scale', () => {
  it('reads in the emulator’s time without HOTPATH_EMULATOR_TIME_SCALE: the emulator tells it', async () => {
    const emulator = await startEmulator({ timeScale: 10 });
    try {
      const runtime = createRuntime({
        models: fromEnv({ env: { HOTPATH_EMULATOR_URL: emulator.url }, log: false }),
        hedge: false,
      });
      const realStart = performance.now();
      const { trace } = await runtime.run(one, {});
      const realMs = performance.now() - realStart;
      // The pool's clock runs at the emulator's 10x: the trace reads ten times the real time the
      // run took (on a clock at 1x, the ratio is 1 and the plan's seconds read as tenths).
      expect(trace.durationMs / realMs).toBeGreaterThan(5);
      expect(trace.durationMs / realMs).toBeLessThan(11);
      expect(trace.steps[0]!.timeToFirstTokenMs).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});
