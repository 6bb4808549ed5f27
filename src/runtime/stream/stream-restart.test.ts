import { readUIMessageStream, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import { AnswerRestartedError } from '../../errors';
import { claudeHaiku45, mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createRuntime } from '../runtime';
import type { HotpathUIMessage } from './stream-result';

const answer = chain('answer', { input: z.object({ question: z.string() }) })
  .step('report', llm({ prompt: 'Write the report.', maxOutputTokens: 400 }))
  .returns(({ report }) => report.text);

/** mercury-2 cuts every answer half-way: the step falls back to Haiku, which writes another text. */
function setup() {
  const models = createEmulatedPool({
    profiles: [mercury2, claudeHaiku45],
    clock: createVirtualClock(),
    faults: [{ fault: { kind: 'cut', after: 0.5 }, model: 'mercury-2' }],
  });
  const retry = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 };
  return createRuntime({ models, retry, hedge: { enabled: false } });
}

async function readText(stream: AsyncIterable<string>) {
  let text = '';
  try {
    for await (const chunk of stream) text += chunk;
    return { text, error: undefined };
  } catch (error) {
    return { text, error };
  }
}

describe('runtime.stream when a retry writes another answer than the one delivered', () => {
  it('fails the text already read with an AnswerRestartedError; a new read gives the answer', async () => {
    const result = setup().stream(answer, { question: 'q' });
    const { text, error } = await readText(result.textStream);
    const output = await result.output;
    const trace = await result.trace;
    expect(trace.steps[0]!.model).toBe('claude-haiku-4-5');
    // What was delivered is mercury's half answer, which the output does not start with.
    expect(text.length).toBeGreaterThan(0);
    expect(output.startsWith(text)).toBe(false);
    expect(AnswerRestartedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ chain: 'answer', stepId: 'report', deliveredChars: text.length });
    expect((error as Error).message).toBe(
      `The answer of step \`report\` of chain \`answer\` was started again after ${text.length} characters had been delivered, with another text: read it again from the start`,
    );
    // A reader that starts now reads the answer as it ended, whole.
    expect(await readText(result.textStream)).toEqual({ text: output, error: undefined });
  });

  it('resets the UI message: the text part ends as the output, with every step part kept', async () => {
    const result = setup().stream(answer, { question: 'q' });
    const chunks: UIMessageChunk[] = [];
    for await (const chunk of result.toUIMessageStream()) chunks.push(chunk);
    const output = await result.output;
    expect(chunks.filter((chunk) => chunk.type === 'reset-step')).toHaveLength(1);
    const reset = chunks.findIndex((chunk) => chunk.type === 'reset-step');
    const before = chunks.slice(0, reset).filter((chunk) => chunk.type === 'text-delta');
    expect(before.length).toBeGreaterThan(0);
    let message: HotpathUIMessage | undefined;
    const replay = new ReadableStream<UIMessageChunk>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    for await (const next of readUIMessageStream<HotpathUIMessage>({ stream: replay }))
      message = next;
    const texts = message!.parts.filter((part) => part.type === 'text');
    expect(texts.map((part) => part.text)).toEqual([output]);
    const steps = message!.parts.filter((part) => part.type === 'data-step');
    expect(steps.map((part) => [part.data.stepId, part.data.status, part.data.model])).toEqual([
      ['report', 'ok', 'claude-haiku-4-5'],
    ]);
    expect(message!.parts.filter((part) => part.type === 'data-run')).toHaveLength(1);
  });
});
