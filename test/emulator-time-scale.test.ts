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
      // The pool's clock turns to the emulator's 10x once `GET /v1/models` has answered: the trace
      // reads up to ten times the real time the run took (on a clock left at 1x, the ratio is at
      // most 1 and the plan's seconds read as tenths). The time before that answer counts at 1x,
      // so a loaded machine (other suites, a hypervisor stealing 30-40%: 4.4 seen) pulls the
      // ratio down; anything above 2 is the 10x clock.
      expect(trace.durationMs / realMs).toBeGreaterThan(2);
      expect(trace.durationMs / realMs).toBeLessThan(11);
      expect(trace.steps[0]!.timeToFirstTokenMs).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});
