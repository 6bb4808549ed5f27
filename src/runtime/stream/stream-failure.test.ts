import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import type { EmulatorFaults } from '../../emulator/faults';
import { RunAbortedError, StepError } from '../../errors';
import { mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createRuntime } from '../runtime';
import type { StreamResult } from './stream-result';

const input = z.object({ question: z.string() });

const answer = chain('answer', { input })
  .step('report', llm({ prompt: 'Write the report.', maxOutputTokens: 400 }))
  .returns(({ report }) => report.text);

function setup(faults?: EmulatorFaults) {
  const models = createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock(), faults });
  const retry = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 };
  return createRuntime({ models, retry });
}

/** Reads the text stream to its end: the text it gave, and the error it ended with, if any. */
async function readText(result: StreamResult<unknown>, onChunk?: (count: number) => void) {
  let text = '';
  let count = 0;
  try {
    for await (const chunk of result.textStream) {
      text += chunk;
      onChunk?.(++count);
    }
    return { text, error: undefined };
  } catch (error) {
    return { text, error };
  }
}

describe('runtime.stream when the answer does not end well', () => {
  it('fails the text stream and the text response with the step error of a cut answer', async () => {
    const result = setup([{ fault: { kind: 'cut' } }]).stream(answer, { question: 'q' });
    const { text, error } = await readText(result);
    const output = await result.output.catch((caught: unknown) => caught);
    expect(StepError.isInstance(output)).toBe(true);
    expect(text.length).toBeGreaterThan(0);
    expect(error).toBe(output);
    await expect(result.toTextStreamResponse().text()).rejects.toBe(output);
    // The UI stream already told the failure apart: a failed run and its error, last.
    const chunks = [];
    for await (const chunk of result.toUIMessageStream()) chunks.push(chunk);
    expect(chunks.at(-2)).toMatchObject({ type: 'data-run', data: { status: 'error' } });
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: (output as Error).message });
  });

  it('fails the text stream of a run aborted while the answer is written', async () => {
    const controller = new AbortController();
    const result = setup().stream(answer, { question: 'q' }, { signal: controller.signal });
    const { text, error } = await readText(result, (count) => {
      if (count === 3) controller.abort(new Error('server shutting down'));
    });
    expect(text.length).toBeGreaterThan(0);
    expect(RunAbortedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Run of chain `answer` was aborted: server shutting down',
    );
    await expect(result.toTextStreamResponse().text()).rejects.toBe(error);
  });

  it('fails the text stream of a run that fails before the answer starts', async () => {
    const early = chain('early', { input })
      .step(
        'check',
        fn((): string => {
          throw new Error('no good');
        }),
      )
      .step('report', llm({ prompt: ({ check }) => `Write on ${check}.`, maxOutputTokens: 50 }))
      .returns(({ report }) => report.text);
    const result = setup().stream(early, { question: 'q' });
    const { text, error } = await readText(result);
    expect(text).toBe('');
    expect(error).toBe(await result.output.catch((caught: unknown) => caught));
    expect((error as Error).message).toContain('no good');
  });

  it('still ends well when a cut answer is tried again and completes', async () => {
    const result = setup([{ fault: { kind: 'cut' }, requests: [1] }]).stream(answer, {
      question: 'q',
    });
    const { text, error } = await readText(result);
    expect(error).toBeUndefined();
    expect(text).toBe(await result.output);
    expect((await result.trace).steps[0]!.retries).toBe(1);
  });

  it('times the first token of a cut answer tried again by the call that answered, everywhere', async () => {
    const runtime = setup([{ fault: { kind: 'cut' }, requests: [1] }]);
    const heard: number[] = [];
    runtime.on('step:first-token', (event) => heard.push(event.atMs));
    const result = runtime.stream(answer, { question: 'q' });
    const chunks = [];
    for await (const chunk of result.toUIMessageStream()) chunks.push(chunk);
    const trace = await result.trace;
    // Each call that streamed says so: the last is the answering call's, as the step record's.
    expect(heard).toHaveLength(2);
    expect(heard[1]).toBeGreaterThan(heard[0]!);
    expect(trace.answer?.firstTokenMs).toBe(heard[1]);
    const run = chunks.find((chunk) => chunk.type === 'data-run');
    expect(run).toMatchObject({ data: { answer: { stepId: 'report', firstTokenMs: heard[1] } } });
  });
});
