import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulatedPool, createRuntime, createVirtualClock, mercury2 } from '../src/index';
import { createFileRunStore } from '../src/node';
import { journalV1Chain } from './fixtures/journal-v1-chain';

const folder = await mkdtemp(join(tmpdir(), 'hotpath-journal-format-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

/** A runtime on a fresh emulated pool, as the fixture's journal was written (seed 7). */
function setup(store?: ReturnType<typeof createFileRunStore>) {
  const clock = createVirtualClock();
  const models = createEmulatedPool({ profiles: [mercury2], clock, seed: 7 });
  return { runtime: createRuntime({ models, store }), requests: () => models.stats().requests };
}

describe('journals of earlier formats', () => {
  it('resumes a journal written before entry versions (one `unit` line per item), torn tail and all', async () => {
    // format-1.jsonl: the plan and 5 of 12 items journaled, the run aborted, then a torn line.
    const dir = join(folder, 'v1');
    await cp(new URL('./fixtures/journal-v1', import.meta.url), join(dir, 'runs'), {
      recursive: true,
    });
    const reference = setup();
    const expected = await reference.runtime.run(journalV1Chain, { topic: 'tides' });
    const store = createFileRunStore({ dir });
    const resumed = setup(store);
    const { output, trace } = await resumed.runtime.run(
      journalV1Chain,
      { topic: 'tides' },
      { runId: 'format-1' },
    );
    await store.close();
    expect(output).toEqual(expected.output);
    // The plan and the 5 journaled items are read back; 7 items and the report are called.
    expect(resumed.requests()).toBe(8);
    expect(trace.durable).toMatchObject({ resumed: 6, called: 8 });
    expect(trace.steps.map((record) => record.source)).toEqual(['resumed', 'call', 'call']);
    const items = trace.items.notes!;
    expect(items.filter((record) => record.source === 'resumed').map((r) => r.item)).toEqual([
      0, 1, 2, 3, 4,
    ]);
    // Read back as the run that wrote them had them: each item's usage and cost (and its output:
    // the report's prompt holds every note, and the report equals the uninterrupted run's).
    const lines = (
      await readFile(new URL('./fixtures/journal-v1/format-1.jsonl', import.meta.url), 'utf8')
    )
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line));
    const journaled = lines.filter((entry) => entry.type === 'unit' && entry.item !== undefined);
    expect(journaled).toHaveLength(5);
    for (const entry of journaled) {
      const record = items.find((candidate) => candidate.item === entry.item)!;
      expect([record.usage, record.costUsd]).toEqual([entry.record.usage, entry.record.costUsd]);
    }
    expect(trace.costUsd).toBeCloseTo(expected.trace.costUsd, 12);
    expect((await store.list())[0]).toMatchObject({ status: 'ok', attempts: 2, items: 12 });
  });
});
