import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  chain,
  createMemoryRunStore,
  createRuntime,
  createVirtualClock,
  fn,
  llm,
  models,
} from '../../index';
import type { StepRecord } from '../records';
import { stripAnsi } from './ansi';
import { formatWaterfall } from './waterfall';
import { tookOf } from './waterfall-parts';

const fixed = chain('digest', { input: z.object({ topic: z.string() }) })
  .step('outline', llm({ prompt: ({ input }) => `Outline ${input.topic}`, maxOutputTokens: 120 }))
  .map(
    'sections',
    () => ['a', 'b', 'c'],
    llm({ prompt: (s: string) => `Write ${s}`, maxOutputTokens: 200 }),
    {
      expect: { items: 3 },
    },
  )
  .step(
    'join',
    fn(({ sections }) => sections.length),
  );

async function fixedTrace() {
  const runtime = createRuntime({
    models: models.emulated({ clock: createVirtualClock() }),
    _internal: { generateRunId: () => 'run-1' },
  });
  return (await runtime.run(fixed, { topic: 'tracing' })).trace;
}

/** The colours the waterfall paints itself: `ESC [ n m`. */
const stripped = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');

describe('formatWaterfall', () => {
  it('draws a fixed emulated run at 80 columns', async () => {
    const text = formatWaterfall(await fixedTrace());
    expect(Math.max(...text.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(80);
    expect(text).toMatchInlineSnapshot(`
      "digest finished in 4.40 s for $0.000413 (4 model calls, 678 tokens)

                    0s           1s            2s           3s            4s
      ● outline     ░░░░░░░██                                                   0.66 s
      ● sections ×3         ░░░░░░░░░░░░░░░░░░░░░░█████████████████████████████ 3.75 s
      ● join                                                                  █ 0.00 s
      ● critical path  ░ waiting for the first token  █ generating

      step         model           lane     ttft    took  in  out       cost
      outline      mercury-2       fast   0.58 s  0.66 s   8  117  $0.000090
      sections ×3  deepseek-flash  cheap  1.64 s  3.75 s  18  535  $0.000324
      join         -               -           -  0.00 s   0    0         $0

      critical path: outline → sections → join
      planned: 4.35 s, $0.000498 (balanced) · ran: 4.40 s, $0.000413
      waited on: deepseek-flash 3.75 s (3 calls) · mercury-2 0.66 s (1 call)
      same tokens on: all fast $0.000496 · all cheap $0.000395
        claude-haiku-4-5 $0.003286 (87% saved)"
    `);
  });

  it('colours the same waterfall, and only adds escapes', async () => {
    const trace = await fixedTrace();
    const text = formatWaterfall(trace, { color: true });
    expect(text).toContain('\x1b[35m'); // the fast lane
    expect(stripAnsi(text)).toBe(formatWaterfall(trace));
    expect(
      Math.max(
        ...stripAnsi(text)
          .split('\n')
          .map((line) => [...line].length),
      ),
    ).toBeLessThanOrEqual(80);
    expect(text.split('\n').slice(2, 6).join('\n')).toMatchInlineSnapshot(`
      "              [2m0s           1s            2s           3s            4s[22m
      [33m●[39m outline     [2m[35m░░░░░░░[39m[22m[35m██[39m[90m                                                  [39m 0.66 s
      [33m●[39m sections ×3 [90m        [39m[2m[36m░░░░░░░░░░░░░░░░░░░░░░[39m[22m[36m█████████████████████████████[39m 3.75 s
      [33m●[39m join        [90m                                                          [39m[90m█[39m 0.00 s"
    `);
  });

  it('fits narrower widths and keeps long errors on their line', async () => {
    const trace = await fixedTrace();
    const failed = {
      ...trace,
      status: 'error' as const,
      steps: trace.steps.map((record) =>
        record.stepId === 'join'
          ? { ...record, status: 'error' as const, error: 'x'.repeat(300) }
          : record,
      ),
    };
    for (const width of [60, 80, 100]) {
      const lines = formatWaterfall(failed, { width }).split('\n');
      expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(width);
    }
    expect(formatWaterfall(failed)).toMatch(/digest failed after/);
  });

  it('says a run that has not ended is running or interrupted, and invents no plan for it', async () => {
    const { plan: _plan, status: _status, ...trace } = await fixedTrace();
    for (const status of ['running', 'interrupted'] as const) {
      const text = formatWaterfall({ ...trace, status, partialSteps: [] });
      const said = status === 'running' ? 'is running' : 'was interrupted';
      expect(text.split('\n')[0]).toBe(
        `digest ${said}: 4.40 s done for $0.000413 (4 model calls, 678 tokens)`,
      );
      expect(text).not.toMatch(/failed|planned|ran:/);
      expect(text).toContain('critical path: outline → sections → join\nwaited on: ');
    }
    expect(
      formatWaterfall({ ...trace, status: 'running', partialSteps: [] }, { color: true }),
    ).toContain('\x1b[33mis running\x1b[39m');
  });

  it('makes text from errors, warnings and logs inert, and keeps it within the width', async () => {
    const trace = await fixedTrace();
    const hostile = {
      ...trace,
      status: 'error' as const,
      steps: trace.steps.map((record) =>
        record.stepId === 'join'
          ? {
              ...record,
              stepId: 'jo\x1b[2Jin',
              status: 'error' as const,
              error: `\x1b]0;pwned\x07bad <b>thing</b>\nsecond line \x1b[31mRED\x1b[0m ${'z'.repeat(200)}`,
            }
          : record,
      ),
      warnings: [{ source: 'exporter\x07', message: 'first line\nsecond\tline\x9b2J\x01 end' }],
    };
    for (const color of [false, true]) {
      const text = formatWaterfall(hostile, { width: 80, color });
      // Only the colours the waterfall paints itself are left: `ESC [ n m`, nothing else.
      const controls = [...text.replace(stripped, '')].filter((char) => {
        const code = char.codePointAt(0)!;
        return (code < 0x20 && char !== '\n') || (code >= 0x7f && code <= 0x9f);
      });
      expect(controls).toEqual([]);
      const lines = stripAnsi(text).split('\n');
      expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(80);
      expect(lines.find((line) => line.includes('bad <b>thing</b>'))).toMatch(
        /^join failed: bad <b>thing<\/b> second line RED z+…$/,
      );
      expect(lines).toContain('warning (exporter\ufffd): first line second line\ufffd end');
      expect(lines.some((line) => line.startsWith('second line'))).toBe(false);
    }
  });

  it.each([0, -5, 10.5, 39, Number.NaN, Number.POSITIVE_INFINITY, '80'])(
    'refuses width %s, naming the option',
    async (width) => {
      const trace = await fixedTrace();
      expect(() => formatWaterfall(trace, { width: width as number })).toThrow(
        `Expected \`width\` to be a whole number from 40 up, got \`${String(width)}\` (${typeof width})`,
      );
    },
  );

  it('fits 40 columns', async () => {
    const lines = formatWaterfall(await fixedTrace(), { width: 40 }).split('\n');
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(40);
    expect(lines).toContain('  ░ waiting for the first token');
  });

  it('cuts long step and model ids to fit before it drops the token columns', async () => {
    const trace = await fixedTrace();
    const long = {
      ...trace,
      steps: trace.steps.map((record) =>
        record.stepId === 'outline'
          ? {
              ...record,
              stepId: 'summarise-the-customer-ticket-history',
              model: 'accounts/fireworks/models/deepseek-v4-pro',
              endpoint: 'us-east-1-gateway',
            }
          : record,
      ),
    };
    const lines = formatWaterfall(long, { width: 80 }).split('\n');
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(80);
    const head = lines.findIndex((line) => line.startsWith('step '));
    expect(lines[head]).toMatch(/^step +model +took +in +out +cost$/);
    expect(lines[head + 1]).toMatch(
      /^summarise-the-cu\S*… +accounts\/fireworks\S*… +0\.66 s +8 +117 /,
    );
  });

  it('draws a deferred run from its first step, and says how long it waited', async () => {
    const trace = await fixedTrace();
    const wait = 2 * 3_600_000;
    const later = (record: StepRecord): StepRecord => ({
      ...record,
      startMs: record.startMs + wait,
      endMs: record.endMs + wait,
      ...(record.firstTokenMs !== undefined && { firstTokenMs: record.firstTokenMs + wait }),
    });
    const deferred = {
      ...trace,
      deferredMs: wait,
      durationMs: trace.durationMs + wait,
      plan: {
        ...trace.plan,
        durationMs: trace.plan.durationMs + wait,
        objective: { deadlineMs: 12 * 3_600_000 },
      },
      steps: trace.steps.map(later),
      items: Object.fromEntries(
        Object.entries(trace.items).map(([id, items]) => [id, items.map(later)]),
      ),
    };
    const lines = formatWaterfall(deferred).split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'digest finished in 4.40 s for $0.000413 (4 model calls, 678 tokens)',
      '  after waiting 2 h 00 min for cheaper prices',
    ]);
    // The same bars as the run without the wait.
    const bars = (text: string) => text.split('\n').filter((line) => line.startsWith('● '));
    expect(bars(lines.join('\n'))).toEqual(bars(formatWaterfall(trace)));
    expect(lines).toContain('  ⋯ 2 h 00 min waiting for cheaper prices (the axis starts after it)');
    expect(lines.join('\n')).toContain(
      'planned: 4.35 s, $0.000498 (deadline 12 h 00 min)\n  ran: 4.40 s, $0.000413 (times after the wait)',
    );
    expect(lines.join('\n')).not.toMatch(/\d{4}\.\d\d s/);
  });

  it('marks records read back from the cache or a journal, and counts them apart', async () => {
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      store: createMemoryRunStore(),
      cache: true,
    });
    await runtime.run(fixed, { topic: 'tracing' });
    const { trace } = await runtime.run(fixed, { topic: 'tracing' });
    const lines = formatWaterfall(trace).split('\n');
    expect(lines.find((line) => line.startsWith('● outline'))).toMatch(/ cached$/);
    expect(lines.find((line) => line.startsWith('outline '))).toMatch(/ cached +0 +0 +\$0$/);
    expect(lines.find((line) => line.startsWith('join '))).toMatch(/ 0\.00 s /);
    expect(lines).toContain('from the store: 1 called · 4 cached ($0.000413 not spent)');
    // A map part read back from a journal says how much of it.
    const sections = trace.steps.find((record) => record.stepId === 'sections')!;
    const items = trace.items.sections!.map((item, index) => ({
      ...item,
      source: index < 2 ? ('resumed' as const) : ('call' as const),
    }));
    const mixed = { ...sections, source: 'call' as const, durationMs: 2000 };
    expect(tookOf(mixed, new Set(), items)).toBe('2.00 s, 2 resumed');
  });
});
