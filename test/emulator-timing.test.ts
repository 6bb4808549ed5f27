import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../src/emulator/tokens';
import { catalog } from '../src/models/catalog';

const timeScale = 10;
const perModel = 5;

/** Time to first token and decoding rate of one streamed request, in model time. */
async function measure(baseURL: string, modelId: string, index: number) {
  const model = createOpenAI({ baseURL, apiKey: 'k' }).chat(modelId);
  const start = performance.now();
  const result = streamText({ model, prompt: `Timing probe ${index}.`, maxOutputTokens: 800 });
  const arrivals: Array<{ at: number; text: string }> = [];
  for await (const text of result.textStream) arrivals.push({ at: performance.now(), text });
  const usage = await result.usage;
  const first = arrivals[0]!;
  const decodeMs = (arrivals.at(-1)!.at - first.at) * timeScale;
  // The first chunk comes with the first token; the rate counts what was decoded after it.
  const decoded = usage.outputTokens! - countTokens(first.text);
  return { ttftMs: (first.at - start) * timeScale, tokensPerSecond: decoded / (decodeMs / 1000) };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('the emulator follows the profiles over HTTP (wide bands, noise-tolerant)', () => {
  it('decodes Mercury about as much faster than DeepSeek as the profiles say; first tokens in profile order', async () => {
    const emulator = await startEmulator({ timeScale });
    try {
      const ids = Object.keys(catalog);
      // A first call pays the client's one-off set-up (schemas, connections): keep it out.
      await Promise.all(ids.map((id) => measure(emulator.baseURL, id, -1)));
      const runs = await Promise.all(
        ids.map(async (id) => {
          const samples = await Promise.all(
            Array.from({ length: perModel }, (_, index) => measure(emulator.baseURL, id, index)),
          );
          return {
            id,
            ttftMs: median(samples.map((sample) => sample.ttftMs)),
            tokensPerSecond: median(samples.map((sample) => sample.tokensPerSecond)),
          };
        }),
      );
      const byId = Object.fromEntries(runs.map((run) => [run.id, run]));
      const mercury = byId['mercury-2']!;
      const deepseek = byId['deepseek-v4-flash']!;
      const expected =
        catalog['mercury-2']!.outputTokensPerSecond /
        catalog['deepseek-v4-flash']!.outputTokensPerSecond;
      const ratio = mercury.tokensPerSecond / deepseek.tokensPerSecond;
      expect(ratio).toBeGreaterThan(expected / 2.5);
      expect(ratio).toBeLessThan(expected * 2.5);

      // Profile order of the first-token time (round trip + TTFT): Mercury, Haiku, GPT-5 mini,
      // DeepSeek. Neighbours may tie within 10% on a busy machine; distant ones may not.
      const order = [...ids].sort((a, b) => firstTokenMs(a) - firstTokenMs(b));
      expect(order).toEqual(['mercury-2', 'claude-haiku-4-5', 'gpt-5-mini', 'deepseek-v4-flash']);
      for (const [a, b] of order.slice(1).map((id, index) => [order[index]!, id] as const)) {
        expect(byId[a]!.ttftMs).toBeLessThan(byId[b]!.ttftMs * 1.1);
      }
      expect(mercury.ttftMs).toBeLessThan(deepseek.ttftMs);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});

function firstTokenMs(id: string): number {
  const profile = catalog[id]!;
  return profile.roundTripMs + profile.timeToFirstTokenMs;
}
