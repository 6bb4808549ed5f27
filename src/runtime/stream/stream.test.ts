import { readUIMessageStream } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import type { EmulatorFaults } from '../../emulator/faults';
import { InvalidArgumentError, RunAbortedError, StepError } from '../../errors';
import { deepseekFlash, mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createRuntime } from '../runtime';
import type { HotpathUIMessage } from './stream-result';

const input = z.object({ question: z.string() });

const research = chain('research', { input })
  .step(
    'plan',
    llm({
      prompt: ({ input }) => `Plan: ${input.question}`,
      output: z.object({ queries: z.array(z.string()) }),
      maxOutputTokens: 120,
    }),
  )
  .map(
    'answers',
    ({ plan }) => plan.queries.slice(0, 3),
    llm({ prompt: (q: string) => q, maxOutputTokens: 60 }),
  )
  .step(
    'report',
    llm({ prompt: ({ answers }) => `Report on ${answers.length} answers`, maxOutputTokens: 400 }),
  )
  .returns(({ report }) => report.text);

function setup(faults?: EmulatorFaults) {
  const clock = createVirtualClock();
  const models = createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock, faults });
  let runs = 0;
  const runtime = createRuntime({ models, _internal: { generateRunId: () => `run-${++runs}` } });
  return { clock, models, runtime };
}

describe('runtime.stream', () => {
  it('delivers the answer text before the output resolves, and the same text in the end', async () => {
    const { clock, runtime } = setup();
    const result = runtime.stream(research, { question: 'Why are diffusion LLMs fast?' });
    expect(result.answerStep).toBe('report');
    const order: string[] = [];
    result.output.then(() => order.push('output'));
    let text = '';
    let firstChunkAt: number | undefined;
    for await (const chunk of result.textStream) {
      if (firstChunkAt === undefined) {
        firstChunkAt = clock.now();
        order.push('first chunk');
      }
      text += chunk;
    }
    const output = await result.output;
    const trace = await result.trace;
    expect(order).toEqual(['first chunk', 'output']);
    expect(text).toBe(output);
    expect(text.length).toBeGreaterThan(100);
    expect(firstChunkAt).toBeLessThan(trace.durationMs);
    expect(trace.answer?.stepId).toBe('report');
    expect(trace.answer?.firstTokenMs).toBeGreaterThan(0);
    expect(trace.answer?.firstTokenMs).toBeLessThan(trace.durationMs);
    const report = trace.steps.find((step) => step.stepId === 'report')!;
    expect(trace.answer?.firstTokenMs).toBe(report.startMs + report.timeToFirstTokenMs!);
  });

  it('yields every event of its run, in order, and none of another run', async () => {
    const { runtime } = setup();
    const other = runtime.run(research, { question: 'other' });
    const result = runtime.stream(research, { question: 'q' });
    const events = [];
    for await (const event of result.events) events.push(event);
    await other;
    expect(events[0]!.type).toBe('chain:start');
    expect(events.at(-1)!.type).toBe('chain:end');
    expect(new Set(events.map((event) => event.payload.runId))).toEqual(new Set(['run-2']));
    const ends = events.filter(
      (event) => event.type === 'step:end' && event.payload.item === undefined,
    );
    expect(ends.map((event) => (event.payload as { stepId: string }).stepId)).toEqual([
      'plan',
      'answers',
      'report',
    ]);
    // Streams read from the run's start: a late reader still sees everything.
    const text = [];
    for await (const chunk of result.textStream) text.push(chunk);
    expect(text.join('')).toBe(await result.output);
  });

  it('writes a UI message stream that readUIMessageStream reads: the answer and step progress', async () => {
    const { runtime } = setup();
    const result = runtime.stream(research, { question: 'q' });
    let last: HotpathUIMessage | undefined;
    let states = 0;
    let textBeforeReport = false;
    for await (const message of readUIMessageStream<HotpathUIMessage>({
      stream: result.toUIMessageStream(),
      terminateOnError: true,
    })) {
      states += 1;
      const report = message.parts.find(
        (part) => part.type === 'data-step' && part.id === 'report',
      );
      const text = message.parts.find((part) => part.type === 'text');
      if (text && report?.type === 'data-step' && report.data.status === 'running')
        textBeforeReport = true;
      last = message;
    }
    expect(states).toBeGreaterThan(10);
    expect(textBeforeReport).toBe(true);
    const output = await result.output;
    const text = last!.parts.filter((part) => part.type === 'text');
    expect(text).toHaveLength(1);
    expect(text[0]).toMatchObject({ type: 'text', text: output, state: 'done' });
    const steps = last!.parts.flatMap((part) => (part.type === 'data-step' ? [part.data] : []));
    expect(steps.map((step) => [step.stepId, step.status])).toEqual([
      ['plan', 'ok'],
      ['answers', 'ok'],
      ['report', 'ok'],
    ]);
    expect(steps[1]).toMatchObject({ items: 3, itemsDone: 3 });
    const run = last!.parts.find((part) => part.type === 'data-run');
    const trace = await result.trace;
    expect(run?.type === 'data-run' && run.data).toEqual({
      status: 'ok',
      durationMs: trace.durationMs,
      costUsd: trace.costUsd,
      answer: { stepId: trace.answer!.stepId, firstTokenMs: trace.answer!.firstTokenMs },
    });
  });

  it('serves the answer as a plain-text response and the UI stream as server-sent events', async () => {
    const { runtime } = setup();
    const result = runtime.stream(research, { question: 'q' });
    const text = await result.toTextStreamResponse().text();
    expect(text).toBe(await result.output);
    const sse = result.toUIMessageStreamResponse();
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const body = await sse.text();
    expect(body).toContain('"type":"data-step"');
    expect(body.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('rejects output and trace as run does, and the UI stream carries the error', async () => {
    const { runtime } = setup();
    const failing = chain('failing', { input })
      .step('report', llm({ prompt: 'Write.', maxOutputTokens: 50 }))
      .step(
        'check',
        fn(() => {
          throw new Error('no good');
        }),
      )
      .returns(({ report }) => report.text);
    const viaRun = await runtime.run(failing, { question: 'q' }).catch((error) => error);
    const result = runtime.stream(failing, { question: 'q' });
    const [output, trace] = await Promise.all([
      result.output.catch((error) => error),
      result.trace.catch((error) => error),
    ]);
    expect(StepError.isInstance(output)).toBe(true);
    expect(trace).toBe(output);
    expect(output.message).toBe(viaRun.message);
    // The answer step ended well before the failure: its text is complete.
    let text = '';
    for await (const chunk of result.textStream) text += chunk;
    expect(text.length).toBeGreaterThan(0);
    const chunks = [];
    for await (const chunk of result.toUIMessageStream()) chunks.push(chunk);
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: output.message });
  });

  it('aborts the run when its consumer cancels the text stream', async () => {
    const { runtime, models } = setup();
    const result = runtime.stream(research, { question: 'q' });
    for await (const _chunk of result.textStream) break;
    const error = await result.output.catch((caught) => caught);
    expect(RunAbortedError.isInstance(error)).toBe(true);
    expect(
      error.trace.steps.find((step: { stepId: string }) => step.stepId === 'report').status,
    ).toBe('error');
    expect(models.stats().inFlight ?? 0).toBe(0);
  });

  it('aborts through its signal', async () => {
    const { runtime } = setup();
    const controller = new AbortController();
    const result = runtime.stream(research, { question: 'q' }, { signal: controller.signal });
    for await (const event of result.events) {
      if (event.type === 'step:first-token' && event.payload.stepId === 'answers') {
        controller.abort(new Error('user left'));
      }
    }
    const error = await result.output.catch((caught) => caught);
    expect(RunAbortedError.isInstance(error)).toBe(true);
    expect(error.message).toBe('Run of chain `research` was aborted: user left');
  });

  it('keeps the answer continuous when its call is cut and tried again', async () => {
    const { runtime } = setup([{ fault: { kind: 'cut' }, model: 'mercury-2', requests: [2] }]);
    const result = runtime.stream(research, { question: 'q' });
    let text = '';
    for await (const chunk of result.textStream) text += chunk;
    const trace = await result.trace;
    expect(trace.steps.find((step) => step.stepId === 'report')!.retries).toBe(1);
    expect(text).toBe(await result.output);
  });

  describe('the answer step', () => {
    it('is the one named with { answer }', () => {
      const { runtime } = setup();
      const both = chain('both', { input })
        .step('draft', llm({ prompt: 'Draft.' }))
        .step('final', llm({ prompt: 'Final.' }))
        .returns(({ draft, final }) => ({ draft: draft.text, final: final.text }));
      expect(runtime.stream(both, { question: 'q' }, { answer: 'draft' }).answerStep).toBe('draft');
    });

    it('is an error to leave out when .returns selects no text as it is', () => {
      const { runtime } = setup();
      const both = chain('both', { input })
        .step('draft', llm({ prompt: 'Draft.' }))
        .step('final', llm({ prompt: 'Final.' }))
        .returns(({ draft, final }) => ({ draft: draft.text, final: final.text }));
      const error = (() => {
        try {
          runtime.stream(both, { question: 'q' });
        } catch (caught) {
          return caught as Error;
        }
      })();
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error!.message).toBe(
        "Expected `answer` to be given: the `.returns` of chain `both` returns no text step's `text` as it is, so name the answer step (one of `draft`, `final`), got `undefined` (undefined)",
      );
    });

    it('must be a text step of the chain', () => {
      const { runtime } = setup();
      expect(() => runtime.stream(research, { question: 'q' }, { answer: 'plan' })).toThrow(
        'Expected `answer` to be the name of an `llm` step without an `output` schema in chain `research` (one of `report`), got `plan` (string)',
      );
    });
  });
});
