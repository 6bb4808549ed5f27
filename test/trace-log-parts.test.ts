import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chain,
  createMemoryRunStore,
  createRuntime,
  createVirtualClock,
  fn,
  llm,
  models,
} from 'hotpath';
import { jsonlExporter, readTraceLog } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunTrace } from '../src/tracing/records';

const tempDir = () => mkdtempSync(join(tmpdir(), 'hotpath-log-parts-'));

const sum = (records: readonly { costUsd: number }[]) =>
  records.reduce((total, record) => total + record.costUsd, 0);

/** The records of a trace as `stepId/source/status`, map items by step. */
const shape = (trace: RunTrace) => ({
  steps: trace.steps.map((record) => `${record.stepId}/${record.source}/${record.status}`),
  items: Object.fromEntries(
    Object.entries(trace.items).map(([stepId, list]) => [stepId, list.length]),
  ),
});

describe('a resumed run read from a trace log', () => {
  it('has the records of its last attempt only, as the runtime returned it', async () => {
    const path = join(tempDir(), 'traces.jsonl');
    let fail = true;
    const resumable = chain('resumable', { input: z.object({ topic: z.string() }) })
      .step(
        'outline',
        llm({ prompt: ({ input }) => `Outline ${input.topic}`, maxOutputTokens: 60 }),
      )
      .map('sections', () => ['a', 'b'], llm({ prompt: (s: string) => s, maxOutputTokens: 30 }))
      .step(
        'join',
        fn(({ sections }) => {
          if (fail) throw new Error('flaky');
          return sections.length;
        }),
      );
    const exporter = jsonlExporter({ path });
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      store: createMemoryRunStore(),
      exporters: [exporter],
    });
    await expect(runtime.run(resumable, { topic: 'x' }, { runId: 'job-1' })).rejects.toThrow(
      'flaky',
    );
    fail = false;
    const { trace } = await runtime.run(resumable, { topic: 'x' }, { runId: 'job-1' });
    await exporter.close?.();

    const { runs, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    expect(runs).toHaveLength(1);
    const read = runs[0]!.trace!;
    expect(shape(read)).toEqual(shape(trace));
    expect(shape(read).steps).toEqual([
      'outline/resumed/ok',
      'sections/resumed/ok',
      'join/call/ok',
    ]);
    const records = [...read.steps, ...Object.values(read.items).flat()];
    expect(sum(records.filter((record) => record.kind !== 'map'))).toBeCloseTo(read.costUsd, 12);
  });
});
