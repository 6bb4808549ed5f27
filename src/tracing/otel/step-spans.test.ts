import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../../models/cost';
import { createEventHub } from '../event-hub';
import type { StepRecord } from '../records';
import { otelExporter } from './otel-exporter';

function setup() {
  const spans = new InMemorySpanExporter();
  const started: { ended: boolean }[] = [];
  const provider = new BasicTracerProvider({
    spanProcessors: [
      {
        onStart: (span) => started.push(span),
        onEnd: () => {},
        forceFlush: async () => {},
        shutdown: async () => {},
      },
      new SimpleSpanProcessor(spans),
    ],
  });
  const hub = createEventHub((_event, error) => {
    throw error;
  });
  otelExporter({ tracer: provider.getTracer('test') }).attach(hub);
  return { spans, hub, open: () => started.filter((span) => !span.ended) };
}

const record = (fields: Partial<StepRecord> & Pick<StepRecord, 'startMs' | 'endMs'>) =>
  ({
    runId: 'r',
    stepId: 'answers',
    kind: 'llm',
    status: 'ok',
    model: 'mind',
    attempt: 1,
    durationMs: fields.endMs - fields.startMs,
    usage: emptyUsage(),
    costUsd: 0,
    ...fields,
  }) satisfies StepRecord;

const endRun = (hub: ReturnType<typeof setup>['hub']) =>
  hub.emit('chain:end', {
    runId: 'r',
    chain: 'pipe',
    status: 'ok',
    startedAt: 0,
    durationMs: 800,
    costUsd: 0,
    usage: emptyUsage(),
    calls: 0,
    steps: [],
    items: {},
    criticalPath: [],
    plan: { objective: 'balanced', durationMs: 0, costUsd: 0 },
    warnings: [],
  });

describe('step spans', () => {
  it("keeps a restarted pipeline item's two runs apart, both under their map", () => {
    const { spans, hub, open } = setup();
    hub.emit('chain:start', { runId: 'r', chain: 'pipe', startedAt: 0 });
    hub.emit('step:start', { runId: 'r', stepId: 'answers', kind: 'map', atMs: 100 });
    const start = { runId: 'r', stepId: 'answers', kind: 'llm', item: 1, model: 'mind' } as const;
    hub.emit('step:start', { ...start, atMs: 150 });
    // The producer changed item 1: the pipeline starts it again before the stopped run ends.
    hub.emit('step:start', { ...start, atMs: 406 });
    const cancelled = new Error(
      "item 1 of `answers` was stopped: its producer's output changed it",
    );
    hub.emit('step:error', { runId: 'r', stepId: 'answers', item: 1, error: cancelled });
    hub.emit(
      'step:end',
      record({ item: 1, status: 'error', startMs: 150, endMs: 407, error: cancelled.message }),
    );
    hub.emit('step:end', record({ item: 1, startMs: 406, endMs: 756 }));
    hub.emit('step:end', record({ kind: 'map', startMs: 100, endMs: 760, items: 2 }));
    endRun(hub);

    expect(open()).toEqual([]);
    const finished = spans.getFinishedSpans();
    const map = finished.find((span) => span.name === 'map answers')!;
    const items = finished.filter((span) => span.attributes['hotpath.item'] === 1);
    expect(items.map((span) => span.name)).toEqual(['chat mind', 'chat mind']);
    expect(items.map((span) => span.parentSpanContext?.spanId)).toEqual([
      map.spanContext().spanId,
      map.spanContext().spanId,
    ]);
    const [stopped, rerun] = items;
    expect(stopped!.status.code).toBe(2);
    expect(stopped!.events.map((event) => event.name)).toEqual(['hotpath.restarted', 'exception']);
    expect(rerun!.status.code).toBe(0);
    expect(rerun!.events).toEqual([]);
  });

  it('puts a record heard without its start under its map', () => {
    const { spans, hub } = setup();
    hub.emit('chain:start', { runId: 'r', chain: 'pipe', startedAt: 0 });
    hub.emit('step:start', { runId: 'r', stepId: 'answers', kind: 'map', atMs: 0 });
    hub.emit('step:end', record({ item: 0, startMs: 10, endMs: 20 }));
    hub.emit('step:end', record({ kind: 'map', startMs: 0, endMs: 30 }));
    const finished = spans.getFinishedSpans();
    const map = finished.find((span) => span.name === 'map answers')!;
    const item = finished.find((span) => span.attributes['hotpath.item'] === 0)!;
    expect(item.parentSpanContext?.spanId).toBe(map.spanContext().spanId);
  });
});
