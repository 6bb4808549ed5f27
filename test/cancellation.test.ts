import { chain, createRuntime, fromEnv, llm, RunAbortedError } from 'hotpath';
import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const fanOut = chain('cancel', { input: z.object({}) })
  .step('plan', llm({ prompt: 'Plan the work.', maxOutputTokens: 50 }))
  .map(
    'answers',
    () => Array.from({ length: 8 }, (_, index) => `question ${index}`),
    llm({ prompt: (question: string) => question, maxOutputTokens: 2000 }),
  );

describe('cancellation over HTTP', () => {
  it('aborts every in-flight request and pending step; the emulator soon has none open', async () => {
    const emulator = await startEmulator({ timeScale: 5 });
    try {
      const env = { HOTPATH_EMULATOR_URL: emulator.url, HOTPATH_EMULATOR_TIME_SCALE: '5' };
      const runtime = createRuntime({ models: fromEnv({ env, log: false }) });
      const controller = new AbortController();
      let firstTokens = 0;
      runtime.on('step:first-token', (event) => {
        if (event.stepId === 'answers' && ++firstTokens === 3)
          controller.abort(new Error('user left'));
      });
      const started = emulator.stats().requests;
      const error = await runtime
        .run(fanOut, {}, { signal: controller.signal })
        .catch((caught) => caught);
      expect(RunAbortedError.isInstance(error)).toBe(true);
      expect(error.message).toBe('Run of chain `cancel` was aborted: user left');
      expect(
        error.trace.steps.map((record: { stepId: string; status: string }) => [
          record.stepId,
          record.status,
        ]),
      ).toEqual([
        ['plan', 'ok'],
        ['answers', 'error'],
      ]);
      expect(emulator.stats().requests - started).toBeGreaterThanOrEqual(3);
      // The emulator sees each socket close shortly after: give two busy cores up to 2 s.
      for (let waited = 0; waited < 2000 && emulator.stats().openStreams > 0; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const stats = emulator.stats();
      expect({ inFlight: stats.inFlight, openStreams: stats.openStreams }).toEqual({
        inFlight: 0,
        openStreams: 0,
      });
    } finally {
      await emulator.close();
    }
  }, 30_000);
});
