import {
  chain,
  createRuntime,
  createVirtualClock,
  type EmulatedPoolOptions,
  type HotpathEventName,
  hotpathEventNames,
  llm,
  models,
} from 'hotpath';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const branching = chain('branching', { input: z.object({ topic: z.string() }) })
  .parallel({
    pros: llm({ prompt: ({ input }) => `Pros of ${input.topic}`, maxOutputTokens: 80 }),
    cons: llm({ prompt: ({ input }) => `Cons of ${input.topic}`, maxOutputTokens: 80 }),
  })
  .map(
    'checks',
    () => ['x', 'y', 'z'],
    llm({ prompt: (claim: string) => `Check ${claim}`, maxOutputTokens: 60 }),
    {
      concurrency: 2,
    },
  )
  .step(
    'verdict',
    llm({ prompt: ({ pros, cons }) => `${pros.text} ${cons.text}`, maxOutputTokens: 60 }),
  );

async function recordEvents(faults?: EmulatedPoolOptions['faults']) {
  const runtime = createRuntime({
    models: models.emulated({ clock: createVirtualClock(), faults }),
    _internal: { generateRunId: () => 'run-events' },
  });
  const seen: { event: HotpathEventName; payload: any }[] = [];
  for (const event of hotpathEventNames)
    runtime.on(event, (payload: unknown) => seen.push({ event, payload }));
  const { trace } = await runtime.run(branching, { topic: 'tracing' });
  return { seen, trace };
}

const label = ({ event, payload }: { event: HotpathEventName; payload: any }) =>
  `${event} ${payload.stepId ?? ''}${payload.item === undefined ? '' : `[${payload.item}]`}`.trim();

describe('events of a run with a parallel branch and a map', () => {
  it('come in order: chain, plan, each call start → first token → end, chain end', async () => {
    const { seen } = await recordEvents();
    const order = seen.map(label);
    expect(order[0]).toBe('chain:start');
    expect(order[1]).toBe('plan');
    expect(order.at(-1)).toBe('chain:end');
    const at = (text: string) => order.indexOf(text);
    for (const unit of ['pros', 'cons', 'checks[0]', 'checks[1]', 'checks[2]', 'verdict']) {
      expect(at(`step:start ${unit}`)).toBeGreaterThan(1);
      expect(at(`step:first-token ${unit}`)).toBeGreaterThan(at(`step:start ${unit}`));
      expect(at(`step:end ${unit}`)).toBeGreaterThan(at(`step:first-token ${unit}`));
    }
    // The parallel branch: both start before either ends.
    expect(Math.max(at('step:start pros'), at('step:start cons'))).toBeLessThan(
      Math.min(at('step:end pros'), at('step:end cons')),
    );
    // The map opens before its items and closes after all of them; concurrency 2 holds item 2 back.
    expect(at('step:start checks')).toBeLessThan(at('step:start checks[0]'));
    expect(at('step:start checks[2]')).toBeGreaterThan(
      Math.min(at('step:end checks[0]'), at('step:end checks[1]')),
    );
    expect(at('step:end checks')).toBeGreaterThan(at('step:end checks[2]'));
    expect(at('step:start verdict')).toBeGreaterThan(at('step:end checks'));
    expect(order.filter((text) => text.startsWith('step:error'))).toEqual([]);
  });

  it('carry payloads that agree with each other and with the trace', async () => {
    const { seen, trace } = await recordEvents();
    for (const { payload } of seen) expect(payload.runId).toBe('run-events');
    const ends = seen.filter((entry) => entry.event === 'step:end').map((entry) => entry.payload);
    const firsts = seen
      .filter((entry) => entry.event === 'step:first-token')
      .map((entry) => entry.payload);
    for (const record of ends.filter((end) => end.kind === 'llm')) {
      const first = firsts.find((f) => f.stepId === record.stepId && f.item === record.item)!;
      expect(record.status).toBe('ok');
      expect(record.model).toBe(first.model);
      expect(record.firstTokenMs).toBe(first.atMs);
      expect(record.timeToFirstTokenMs).toBeCloseTo(first.timeToFirstTokenMs, 9);
      expect(record.durationMs).toBeCloseTo(record.endMs - record.startMs, 9);
      expect(record.usage.outputTokens).toBeGreaterThan(0);
      expect(record.costUsd).toBeGreaterThan(0);
    }
    const map = ends.find((end) => end.stepId === 'checks' && end.item === undefined)!;
    const items = ends.filter((end) => end.stepId === 'checks' && end.item !== undefined);
    expect(map.items).toBe(3);
    expect(map.costUsd).toBeCloseTo(
      items.reduce((sum, end) => sum + end.costUsd, 0),
      12,
    );
    const last = seen.at(-1)!.payload;
    expect(last).toBe(trace);
    expect(trace.calls).toBe(6);
    expect(trace.criticalPath.at(-1)).toBe('verdict');
    // Waiting per model: the union of the calls' intervals, never more than the run.
    const models = Object.values(trace.models ?? {});
    expect(models.reduce((sum, totals) => sum + totals.calls, 0)).toBe(6);
    for (const totals of models) expect(totals.waitMs).toBeLessThanOrEqual(trace.durationMs + 1e-9);
    expect(trace.baselines?.reference?.model).toBe('claude-haiku-4-5');
    expect(trace.baselines!.reference!.costUsd).toBeGreaterThan(trace.costUsd);
    expect(trace.baselines!.allCheap).toBeLessThanOrEqual(trace.baselines!.allFast);
  });

  it('put a failed-then-retried call between its start and its end, with no error', async () => {
    const { seen, trace } = await recordEvents([
      { fault: { kind: 'server-error' }, model: 'mercury-2', requests: [1] },
    ]);
    const order = seen.map(label);
    const retries = seen.filter((entry) => entry.event === 'step:retry');
    expect(retries).toHaveLength(1);
    const retry = retries[0]!.payload;
    expect(retry).toMatchObject({
      runId: 'run-events',
      model: 'mercury-2',
      attempt: 2,
      reason: 'server-error',
    });
    const unit = `${retry.stepId}${retry.item === undefined ? '' : `[${retry.item}]`}`;
    const at = order.indexOf(`step:retry ${unit}`);
    expect(order.indexOf(`step:start ${unit}`)).toBeLessThan(at);
    expect(order.indexOf(`step:first-token ${unit}`)).toBeGreaterThan(at);
    expect(order.indexOf(`step:end ${unit}`)).toBeGreaterThan(at);
    expect(order.filter((text) => text.startsWith('step:error'))).toEqual([]);
    const record = trace.steps.find((step) => step.stepId === retry.stepId)!;
    expect(record).toMatchObject({ status: 'ok', attempt: 2, model: 'mercury-2' });
    expect(trace.status).toBe('ok');
  });

  it("time a retried step's first token from the step's start, in the event as in its record", async () => {
    const { seen, trace } = await recordEvents([
      { fault: { kind: 'server-error' }, model: 'mercury-2', requests: [1] },
    ]);
    const retry = seen.find((entry) => entry.event === 'step:retry')!.payload;
    const first = seen.find(
      (entry) =>
        entry.event === 'step:first-token' &&
        entry.payload.stepId === retry.stepId &&
        entry.payload.item === retry.item,
    )!.payload;
    const record = trace.steps.find((step) => step.stepId === retry.stepId)!;
    // The failed call and the backoff before the retry are part of what the step waited for.
    expect(record.callStartMs! - record.startMs).toBeGreaterThanOrEqual(retry.delayMs);
    expect(first.timeToFirstTokenMs).toBeCloseTo(record.timeToFirstTokenMs!, 9);
    expect(first.timeToFirstTokenMs).toBeCloseTo(first.atMs - record.startMs, 9);
  });
});
