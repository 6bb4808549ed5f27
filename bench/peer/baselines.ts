import type { LanguageModelV4 } from '@ai-sdk/provider';
import { generateText, streamText } from 'ai';
import {
  branchPrompt,
  diamondBranches,
  itemPrompt,
  joinPrompt,
  type PeerShape,
  planPrompt,
  pool,
  stepPrompt,
} from './shapes';

/** One plain call: the text of an awaited `generateText`. */
export async function generateCall(model: LanguageModelV4, prompt: string): Promise<string> {
  const result = await generateText({ model, prompt, maxRetries: 0 });
  return result.text;
}

/**
 * One plain streamed call: `streamText` with its full stream read to the end once, text from
 * the `text-delta` parts and usage from `finish` (what hotpath needs of a call, read the
 * cheapest way the AI SDK allows).
 */
export async function streamCall(model: LanguageModelV4, prompt: string): Promise<string> {
  const result = streamText({ model, prompt, maxRetries: 0 });
  let text = '';
  let outputTokens = 0;
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') text += part.text;
    else if (part.type === 'finish') outputTokens = part.totalUsage.outputTokens ?? 0;
  }
  return outputTokens >= 0 ? text : '';
}

export type Call = (model: LanguageModelV4, prompt: string) => Promise<string>;

/** The shape's calls made by hand with `async`/`await` and `Promise.all`, through `call`. */
export function plainRun(shape: PeerShape, model: LanguageModelV4, call: Call) {
  if (shape.kind === 'sequential') {
    return async () => {
      const outputs: string[] = [];
      for (let index = 0; index < shape.calls; index++)
        outputs.push(await call(model, stepPrompt(index)));
      return outputs;
    };
  }
  if (shape.kind === 'fanout') {
    return () => pool(shape.calls, shape.concurrency, (item) => call(model, itemPrompt(item)));
  }
  return async () => {
    const plan = await call(model, planPrompt);
    const branches = await Promise.all(
      Array.from({ length: diamondBranches }, async (_, branch) => {
        const first = await call(model, branchPrompt(branch, 'a'));
        return [first, await call(model, branchPrompt(branch, 'b'))];
      }),
    );
    return [plan, ...branches.flat(), await call(model, joinPrompt)];
  };
}
