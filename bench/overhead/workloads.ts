import type { LanguageModelV4 } from '@ai-sdk/provider';
import { streamText } from 'ai';
import { type AnyChain, chain, llm } from 'hotpath';
import { z } from 'zod';
import { zeroOutputTokens } from './zero-model';

/** One overhead workload: a hotpath chain and the same model calls made by hand. */
export interface Workload {
  readonly id: string;
  readonly label: string;
  /** Model calls per run. */
  readonly calls: number;
  readonly chain: AnyChain;
  /** The same calls with plain `async`/`await` (and `Promise.all` for a map); `tick` after each. */
  readonly baseline: (model: LanguageModelV4, tick?: () => void) => Promise<unknown>;
}

const input = z.object({ topic: z.string() });
export const workloadInput = { topic: 'overhead' };

const stepPrompt = (index: number) => `Step ${index}: one line on ${workloadInput.topic}.`;
const itemPrompt = (item: number) => `Item ${item}: one line.`;

/** One call as hotpath makes it: `streamText`, the full stream read, usage and text awaited. */
export async function callPlain(model: LanguageModelV4, prompt: string): Promise<string> {
  const result = streamText({ model, prompt, maxOutputTokens: zeroOutputTokens, maxRetries: 0 });
  for await (const _part of result.fullStream) {
    // read every part, as the runtime does
  }
  await result.totalUsage;
  return result.text;
}

/** `steps` calls one after another. */
export function sequentialWorkload(steps: number): Workload {
  let built: any = chain(`sequential-${steps}`, { input });
  for (let index = 0; index < steps; index++) {
    built = built.step(
      `s${index}`,
      llm({ prompt: stepPrompt(index), maxOutputTokens: zeroOutputTokens }),
    );
  }
  return {
    id: `seq-${steps}`,
    label: `${steps.toLocaleString('en-US')} sequential steps`,
    calls: steps,
    chain: built,
    async baseline(model, tick) {
      const outputs: Record<string, { text: string }> = {};
      for (let index = 0; index < steps; index++) {
        outputs[`s${index}`] = { text: await callPlain(model, stepPrompt(index)) };
        tick?.();
      }
      return outputs;
    },
  };
}

/** A map of `items` calls, `concurrency` at once. */
export function mapWorkload(items: number, concurrency: number): Workload {
  const list = Array.from({ length: items }, (_, index) => index);
  const built = chain(`map-${items}`, { input }).map(
    'items',
    () => list,
    llm({ prompt: itemPrompt, maxOutputTokens: zeroOutputTokens }),
    { concurrency, expect: { items } },
  );
  return {
    id: `map-${items}`,
    label: `${items.toLocaleString('en-US')}-item map, concurrency ${concurrency}`,
    calls: items,
    chain: built,
    async baseline(model, tick) {
      const results = new Array<{ text: string }>(items);
      let next = 0;
      const worker = async () => {
        while (next < items) {
          const index = next++;
          results[index] = { text: await callPlain(model, itemPrompt(index)) };
          tick?.();
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items) }, worker));
      return { items: results };
    },
  };
}
