import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, createRuntime, createVirtualClock, fn, llm, models } from '../../index';
import type { RunTrace } from '../records';
import { formatWaterfall } from './waterfall';

const digest = chain('digest', { input: z.object({ topic: z.string() }) })
  .step('outline', llm({ prompt: ({ input }) => `Outline ${input.topic}`, maxOutputTokens: 120 }))
  .step(
    'join',
    fn(({ outline }) => outline.text.length),
  );

/** The trace of a run aborted once its first step ended: no step failed. */
async function abortedTrace(): Promise<RunTrace> {
  const runtime = createRuntime({ models: models.emulated({ clock: createVirtualClock() }) });
  const controller = new AbortController();
  runtime.on('step:end', () => controller.abort(new Error('user pressed stop')));
  const error = await runtime
    .run(digest, { topic: 'x' }, { signal: controller.signal })
    .catch((caught: { trace?: RunTrace }) => caught);
  return (error as { trace: RunTrace }).trace;
}

describe('formatWaterfall summary', () => {
  it('says why a run failed when no step did', async () => {
    const trace = await abortedTrace();
    expect(trace.steps.every((record) => record.status === 'ok')).toBe(true);
    expect(formatWaterfall(trace).split('\n').slice(0, 2)).toEqual([
      'digest failed after 0.58 s for $0.000087 (1 model call, 120 tokens)',
      'failed: RunAbortedError: Run of chain `digest` was aborted: user pressed stop',
    ]);
  });

  it('says it once when a step failed, with the step', async () => {
    const trace = await abortedTrace();
    const message = 'Step `join` of chain `digest` failed: bad';
    const failed: RunTrace = {
      ...trace,
      steps: trace.steps.map((record) => ({ ...record, status: 'error', error: message })),
      error: { type: 'StepError', message },
    };
    const text = formatWaterfall(failed);
    expect(text).not.toContain('failed: StepError');
    expect(text.split(message)).toHaveLength(2);
  });

  it('says no step ran for a run that ended before its first, with no empty axis or table', async () => {
    const trace = await abortedTrace();
    const none: RunTrace = { ...trace, steps: [], items: {}, criticalPath: [], calls: 0 };
    const lines = formatWaterfall(none).split('\n');
    expect(lines.slice(2, 5)).toEqual(['', 'no step ran', '']);
    expect(lines.join('\n')).not.toMatch(/^\s*0ms|^step\s+model/m);
    expect(lines).toContain('critical path: -');
  });
});
