import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';

describe('the request log of the HTTP emulator', () => {
  it('marks as completed only the answers that went out whole, as the in-process emulator does', async () => {
    const emulator = await startEmulator({
      timeScale: 50,
      requestLog: true,
      models: ['mercury-2'],
      faults: [
        { fault: { kind: 'cut', after: 0.5 }, requests: [2, 3] },
        { fault: { kind: 'server-error' }, requests: [4] },
        { fault: { kind: 'reset' }, requests: [5] },
      ],
    });
    try {
      const model = createOpenAI({ baseURL: emulator.baseURL, apiKey: 'any' }).chat('mercury-2');
      const ask = { model, prompt: 'Why?', maxOutputTokens: 300, maxRetries: 0 };
      const streamed = () => streamText({ ...ask, onError: () => {} }).text;
      await streamed();
      await expect(streamed()).rejects.toThrow();
      await expect(generateText(ask)).rejects.toThrow();
      await expect(generateText(ask)).rejects.toThrow();
      await expect(generateText(ask)).rejects.toThrow();
      // The server's end of a dropped or reset connection can come a moment after the client's.
      for (let waited = 0; waited < 2000 && emulator.stats().inFlight > 0; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const log = emulator.stats().requestLog!;
      expect(log.map((request) => [request.number, request.completed])).toEqual([
        [1, true],
        [2, false],
        [3, false],
        [4, false],
        [5, false],
      ]);
      // The streamed cut is billed for the half it sent.
      expect(log[1]!.outputTokens).toBeGreaterThan(0);
      expect(log[1]!.outputTokens).toBeLessThan(log[0]!.outputTokens);
    } finally {
      await emulator.close();
    }
  });
});
