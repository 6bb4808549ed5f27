import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn } from '../chain';
import { createVirtualClock } from '../clock';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';

describe('buildTrace', () => {
  it('builds the trace of a 200,000-item map', async () => {
    const runtime = createRuntime({ models: createEmulatedPool({ clock: createVirtualClock() }) });
    const wide = chain('wide', { input: z.object({ n: z.number() }) }).map(
      'items',
      ({ input }) => Array.from({ length: input.n }, (_, index) => index),
      fn((index: number) => index * 2),
      { concurrency: 64 },
    );
    const { output, trace } = await runtime.run(wide, { n: 200_000 });
    expect(output.items).toHaveLength(200_000);
    expect(trace.items.items).toHaveLength(200_000);
    expect(trace.steps.map((record) => [record.stepId, record.items])).toEqual([
      ['items', 200_000],
    ]);
    // About 2 s alone; the limit is for a loaded machine, not a speed goal.
  }, 30_000);
});
