import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { research } from '../examples/research';
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

describe('a run whose lines are in two logs (rotation)', () => {
  it('is read whole from both, in either order', async () => {
    const dir = tempDir();
    const whole = join(dir, 'whole.jsonl');
    const exporter = jsonlExporter({ path: whole });
    const { trace } = await createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    }).run(research, { question: 'Why are diffusion LLMs fast?' });
    await exporter.close?.();

    // Rotated after the run's third step:end line: its end is in the newer log.
    const lines = readFileSync(whole, 'utf8').trimEnd().split('\n');
    let ends = 0;
    const cut = lines.findIndex((line) => line.includes('"step:end"') && ++ends === 3) + 1;
    const older = join(dir, 'traces.1.jsonl');
    const newer = join(dir, 'traces.jsonl');
    writeFileSync(older, `${lines.slice(0, cut).join('\n')}\n`);
    writeFileSync(newer, `${lines.slice(cut).join('\n')}\n`);
    expect(readFileSync(newer, 'utf8')).toContain('"chain:end"');

    for (const files of [
      [older, newer],
      [newer, older],
    ]) {
      const { runs, problems } = await readTraceLog(files);
      expect(problems).toEqual([]);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.lines).toHaveLength(lines.length);
      expect(runs[0]!.startedAt).toBe(trace.startedAt);
      expect(shape(runs[0]!.trace!)).toEqual(shape(trace));
      expect(runs[0]!.trace!.costUsd).toBe(trace.costUsd);
    }
    // The same log given twice is read once.
    const twice = await readTraceLog([whole, whole]);
    expect(twice.runs[0]!.lines).toHaveLength(lines.length);
  });
});
