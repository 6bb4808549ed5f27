import { chain, createRuntime, fromEnv, llm, RunAbortedError } from 'hotpath';
import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const research = chain('stream-http', { input: z.object({ question: z.string() }) })
  .step('plan', llm({ prompt: ({ input }) => `Plan: ${input.question}`, maxOutputTokens: 40 }))
  .map(
    'answers',
    () => ['one', 'two', 'three'],
    llm({ prompt: (question: string) => question, maxOutputTokens: 40 }),
  )
  .step('report', llm({ prompt: 'Write the report.', maxOutputTokens: 3000, lane: 'cheap' }))
  .returns(({ report }) => report.text);

describe('runtime.stream over HTTP', () => {
  it('cancelling the response body aborts the run and closes every request at the emulator', async () => {
    const emulator = await startEmulator({ timeScale: 5 });
    try {
      const env = { HOTPATH_EMULATOR_URL: emulator.url, HOTPATH_EMULATOR_TIME_SCALE: '5' };
      const runtime = createRuntime({ models: fromEnv({ env, log: false }) });
      const result = runtime.stream(research, { question: 'Why?' });
      const response = result.toUIMessageStreamResponse();
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let body = '';
      while (!body.includes('"type":"text-delta"')) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended before any answer text');
        body += decoder.decode(value);
      }
      expect(emulator.stats().openStreams).toBeGreaterThan(0);
      await reader.cancel(new Error('the browser went away'));
      const error = await result.output.catch((caught) => caught);
      expect(RunAbortedError.isInstance(error)).toBe(true);
      expect(error.message).toBe('Run of chain `stream-http` was aborted: the browser went away');
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
