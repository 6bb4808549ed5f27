import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, createRuntime, createVirtualClock, fn, llm, models } from '../../index';
import { formatWaterfall } from '../format/waterfall';
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

const crm = chain('crm', { input: z.object({ q: z.string() }) })
  .step(
    'sk-learn-classifier',
    llm({ prompt: ({ input }) => `Classify ${input.q}`, maxOutputTokens: 20 }),
  )
  .step(
    'pk-lookup-customers',
    fn(() => 1),
  );

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

  it('shows step ids that look like keys, and masks the free text', async () => {
    const runtime = createRuntime({ models: models.emulated({ clock: createVirtualClock() }) });
    const { trace } = await runtime.run(crm, { q: 'x' });
    const [first, ...rest] = trace.steps;
    const failed = {
      ...trace,
      status: 'error' as const,
      steps: [
        { ...first!, status: 'error' as const, error: 'got sk-abcdefghijklmnopqrstu back' },
        ...rest,
      ],
    };
    const html = renderHtmlReport([failed]);
    const rows = [...html.matchAll(/<div class="row" data-step="([^"]*)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['sk-learn-classifier', 'pk-lookup-customers']);
    expect(html).toContain('<dd>got [redacted] back</dd>');
    expect(html).not.toContain('abcdefghijklmnopqrstu');
  });

  it('masks secrets that hold characters the page escapes', async () => {
    const trace = await digestTrace();
    const [first, ...rest] = trace.steps;
    const failed = {
      ...trace,
      status: 'error' as const,
      steps: [
        {
          ...first!,
          status: 'error' as const,
          error: `login failed for Tr0ub4dor&3x and O'Brien"Secret1 and hunter2<prod>`,
        },
        ...rest,
      ],
    };
    const html = renderHtmlReport([failed], {
      secrets: ['Tr0ub4dor&3x', `O'Brien"Secret1`, 'hunter2<prod>'],
    });
    expect(html).toContain('<dd>login failed for [redacted] and [redacted] and [redacted]</dd>');
    expect(html).not.toMatch(/Tr0ub4dor|Secret1|hunter2/);
  });

  it('says why a failed run failed, under its header, masked', async () => {
    const trace = await digestTrace();
    const failed = {
      ...trace,
      status: 'error' as const,
      error: {
        type: 'RunAbortedError',
        message: 'Run of chain `digest` was aborted: <stop> with sk-abcdefghijklmnopqrstu',
      },
    };
    const html = renderHtmlReport([failed]);
    expect(html).toContain(
      '</header>\n<p class="failure">RunAbortedError: Run of chain `digest` was aborted: &lt;stop&gt; with [redacted]</p>',
    );
    expect(renderHtmlReport([trace])).not.toContain('class="failure"');
  });

  it('cuts the bar of a step that starts before the run at the axis', async () => {
    const trace = await digestTrace();
    const [first] = trace.steps;
    const early = {
      ...first!,
      startMs: -500,
      endMs: 500,
      durationMs: 1000,
      timeToFirstTokenMs: 750,
    };
    const html = renderHtmlReport([{ ...trace, durationMs: 1000, steps: [early], items: {} }]);
    expect(html).toContain(
      'style="left:0.00%;width:50.00%"><span class="wait" style="width:50.00%">',
    );
  });

  it('cuts the stripes of map items that start before the run at their bar', async () => {
    const trace = await digestTrace();
    const [first] = trace.steps;
    const map = { ...first!, kind: 'map' as const, startMs: -500, endMs: 500, durationMs: 1000 };
    const item = { ...map, kind: 'llm' as const, item: 0, timeToFirstTokenMs: 750 };
    const html = renderHtmlReport([
      { ...trace, durationMs: 1000, steps: [map], items: { [map.stepId]: [item] } },
    ]);
    expect(html).toContain(
      'style="left:0.00%;width:50.00%"><span class="item" style="left:0.00%;width:100.00%;',
    );
    expect(html).toContain('<span class="wait" style="width:50.00%"></span></span>');
  });

  it('states the saving against the reference model as the terminal does', async () => {
    const trace = await digestTrace();
    for (const [ratio, note] of [
      [0.996, '0% saved'],
      [0.13, '87% saved'],
      [1.05, undefined],
    ] as const) {
      const reference = { model: 'claude-haiku-4-5', costUsd: trace.costUsd / ratio };
      const priced = { ...trace, baselines: { ...trace.baselines!, reference } };
      const html = renderHtmlReport([priced]);
      const terminal = formatWaterfall(priced, { width: 120 });
      if (note === undefined) {
        expect(html).not.toContain('% saved');
        expect(terminal).not.toContain('% saved');
      } else {
        expect(html).toContain(`<span class="saved">${note}</span>`);
        expect(terminal).toContain(`(${note})`);
      }
    }
  });

  it('renders a start that is no time as `unknown start`, and does not throw', async () => {
    const trace = await digestTrace();
    for (const startedAt of [Number.NaN, 'yesterday', undefined]) {
      const html = renderHtmlReport([{ ...trace, startedAt: startedAt as number }]);
      expect(html).toContain('run run-1 · unknown start</span>');
    }
  });

  it('writes figures that are not finite as `$?` and `? s`, as the terminal does, never NaN', async () => {
    const trace = await digestTrace();
    const [first, ...rest] = trace.steps;
    const odd = {
      ...trace,
      costUsd: Number.NaN,
      durationMs: Number.POSITIVE_INFINITY,
      calls: Number.NaN,
      steps: [{ ...first!, costUsd: Number.NaN, durationMs: Number.NaN }, ...rest],
    };
    const html = renderHtmlReport([odd]);
    const terminal = formatWaterfall(odd, { width: 120 });
    for (const text of [html, terminal]) {
      expect(text).not.toMatch(/NaN|Infinity/);
      expect(text).toContain('$?');
      expect(text).toContain('? s');
    }
    expect(html).toContain('<b>$?</b><span>cost</span>');
    expect(html).toContain('<b>?</b><span>model calls</span>');
    expect(terminal).toContain('digest finished in ? s for $? (? model calls, ');
  });
});
