import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, createRuntime, createVirtualClock, fn, llm, models } from '../../index';
import type { RunTrace } from '../records';
import { renderHtmlReport } from './render-html';

const digest = chain('digest', { input: z.object({ topic: z.string() }) })
  .step('outline', llm({ prompt: ({ input }) => `Outline ${input.topic}`, maxOutputTokens: 120 }))
  .step(
    'join',
    fn(({ outline }) => outline.text.length),
  );

async function digestTrace(): Promise<RunTrace> {
  const runtime = createRuntime({
    models: models.emulated({ clock: createVirtualClock() }),
    _internal: { generateRunId: () => 'run-1' },
  });
  return (await runtime.run(digest, { topic: 'tracing' })).trace;
}

/** A trace as a log can hold it: any field any value. */
type Loose = { -readonly [K in keyof RunTrace]: any };

describe('renderHtmlReport', () => {
  it('escapes every value a trace log can bring, and sets only known class names', async () => {
    const trace = structuredClone(await digestTrace()) as Loose;
    trace.steps = trace.steps.map((record: RunTrace['steps'][number], index: number) =>
      index === 0 ? { ...record, lane: 'x" onmouseover="alert(1)" data-x="' } : record,
    );
    trace.status = 'ok" onclick="alert(2)';
    trace.calls = '<span><img src=x onerror=alert(3)>';
    trace.plan = { ...trace.plan, objective: '<span><b>objective</b>' };
    trace.models = {
      m: { ...Object.values(trace.models!)[0]!, calls: '<span><script>alert(4)</script>' },
    };
    const html = renderHtmlReport([trace as RunTrace]);
    expect(html).not.toMatch(/<img|<script|<b>objective| onmouseover="| onclick="/);
    expect(html).toContain('<div class="bar fn critical" data-step="outline"');
    expect(html).toContain('<span class="status error">failed</span>');
    expect(html).toContain('&lt;span&gt;&lt;img src=x onerror=alert(3)&gt;');
  });
});
