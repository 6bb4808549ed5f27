import { readUIMessageStream } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import { mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createMemoryRunStore } from '../../stores/memory-run-store';
import type { RunStore } from '../../stores/run-store';
import { createRuntime } from '../runtime';
import type { HotpathUIMessage, StreamResult } from './stream-result';

const input = z.object({ topic: z.string() });

/** A report, then a check that fails while `failing.now` is set (a crash after the answer). */
function reportChain(failing = { now: false }) {
  return chain('report', { input })
    .step(
      'report',
      llm({ prompt: ({ input }) => `Write about ${input.topic}.`, maxOutputTokens: 200 }),
    )
    .step(
      'check',
      fn(() => {
        if (failing.now) throw new Error('the disk went away');
        return true;
      }),
    )
    .returns(({ report }) => report.text);
}

function setup(store: RunStore, cache?: true) {
  const models = createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() });
  const runtime = createRuntime({ models, store, cache });
  return { runtime, requests: () => models.stats().requests };
}

/** What a streamed run delivered: its text stream, the UI message's text, and its output. */
async function delivered(result: StreamResult<unknown>) {
  let text = '';
  for await (const chunk of result.textStream) text += chunk;
  let message: HotpathUIMessage | undefined;
  for await (const state of readUIMessageStream<HotpathUIMessage>({
    stream: result.toUIMessageStream(),
  }))
    message = state;
  const parts = message!.parts.filter((part) => part.type === 'text');
  const trace = await result.trace;
  const source = trace.steps.find((step) => step.stepId === 'report')!.source;
  return { text, parts, output: await result.output, source };
}

describe('runtime.stream of an answer read back', () => {
  it('streams the answer the development cache gives back, as the call did', async () => {
    const store = createMemoryRunStore();
    const first = await delivered(setup(store, true).runtime.stream(reportChain(), { topic: 'x' }));
    const second = setup(store, true);
    const cached = await delivered(second.runtime.stream(reportChain(), { topic: 'x' }));
    expect(second.requests()).toBe(0);
    expect(cached.source).toBe('cache');
    expect(cached.output).toBe(first.output);
    expect(cached.text).toBe(first.text);
    expect(cached.parts).toEqual([{ type: 'text', text: cached.output, state: 'done' }]);
  });

  it('streams the answer of a finished run replayed by its id', async () => {
    const { runtime, requests } = setup(createMemoryRunStore());
    const first = await delivered(runtime.stream(reportChain(), { topic: 'x' }, { runId: 'r1' }));
    const replayed = await delivered(
      runtime.stream(reportChain(), { topic: 'x' }, { runId: 'r1' }),
    );
    expect(requests()).toBe(1);
    expect(replayed.source).toBe('resumed');
    expect(replayed.text).toBe(first.output);
    expect(replayed.parts).toEqual([{ type: 'text', text: first.output, state: 'done' }]);
  });

  it('streams the answer a resumed run reads from its journal', async () => {
    const { runtime, requests } = setup(createMemoryRunStore());
    const failing = { now: true };
    const crashed = runtime.stream(reportChain(failing), { topic: 'x' }, { runId: 'r2' });
    await expect(crashed.output).rejects.toThrow('the disk went away');
    failing.now = false;
    const resumed = await delivered(
      runtime.stream(reportChain(failing), { topic: 'x' }, { runId: 'r2' }),
    );
    expect(requests()).toBe(1);
    expect(resumed.source).toBe('resumed');
    expect(resumed.text).toBe(resumed.output);
    expect(resumed.text.length).toBeGreaterThan(100);
  });
});
