import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../src/chain';
import { createVirtualClock } from '../src/clock';
import { mercury2 } from '../src/models/catalog';
import { createEmulatedPool } from '../src/models/emulated-pool';
import { createRuntime } from '../src/runtime/runtime';
import { createMemoryRunStore } from '../src/stores/memory-run-store';
import { createEventHub } from '../src/tracing/event-hub';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Whether `ref`'s target was collected, after a full collection on a later turn. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let round = 0; round < 5; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

describe('an event hub', () => {
  it('lets go of a listener once it is unsubscribed from every event it heard', async () => {
    const hub = createEventHub(() => {});
    let ref: WeakRef<object> | undefined;
    (() => {
      // What a run's listener holds: its run's events (here a stand-in payload).
      const held = { events: new Array(1000).fill('event') };
      ref = new WeakRef(held);
      const listener = () => held.events.length;
      const offStart = hub.on('chain:start', listener);
      hub.on('chain:end', listener);
      offStart();
      hub.off('chain:end', listener);
    })();
    expect(await collected(ref!)).toBe(true);
  });

  it('keeps a listener still subscribed to another event, and it still hears it', async () => {
    const hub = createEventHub(() => {});
    const heard: string[] = [];
    let ref: WeakRef<object> | undefined;
    (() => {
      const held = { name: 'kept' };
      ref = new WeakRef(held);
      const listener = () => heard.push(held.name);
      hub.on('chain:start', listener);
      const offEnd = hub.on('chain:end', listener);
      offEnd();
    })();
    expect(await collected(ref!)).toBe(false);
    hub.emit('chain:start', { runId: 'r', chain: 'c', startedAt: 0 });
    hub.emit('chain:end', {} as never);
    expect(heard).toEqual(['kept']);
  });
});

describe('a runtime', () => {
  const input = z.object({ topic: z.string() });
  const notes = chain('notes', { input })
    .step('plan', llm({ prompt: ({ input }) => `Plan notes on ${input.topic}` }))
    .step('report', llm({ prompt: ({ plan }) => `Report: ${plan.text}`, maxOutputTokens: 30 }))
    .returns(({ report }) => report.text);
  const runtimeOn = (store?: ReturnType<typeof createMemoryRunStore>) =>
    createRuntime({
      models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock(), seed: 3 }),
      store,
    });

  it('keeps no trace of a durable run once it has ended', async () => {
    const runtime = runtimeOn(createMemoryRunStore());
    let ref: WeakRef<object> | undefined;
    await (async () => {
      const { trace } = await runtime.run(notes, { topic: 'tides' }, { runId: 'kept-not' });
      ref = new WeakRef(trace);
    })();
    expect(await collected(ref!)).toBe(true);
  });

  it('keeps no events of a streamed run once it has ended', async () => {
    const runtime = runtimeOn();
    let ref: WeakRef<object> | undefined;
    await (async () => {
      // The stream's listeners hold its replayed events, the trace among them.
      ref = new WeakRef(await runtime.stream(notes, { topic: 'tides' }).trace);
    })();
    expect(await collected(ref!)).toBe(true);
  });
});
