import { describe, expect, it } from 'vitest';
import type { ItemRow, ItemRowOwn, JournalEntry } from '../../stores/run-store';
import { formatWaterfall } from '../../tracing/format/waterfall';
import type { CallSpan, RecordSource, StepRecord } from '../../tracing/records';
import { traceFromJournal } from './journal-trace';

const usage = { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 };

function start(attempt: number): JournalEntry {
  const fields = { definitionHash: 'd', inputHash: 'i', input: {}, steps: 3 };
  return { type: 'start', at: 1_000 * attempt, chain: 'digest', attempt, ...fields };
}

function step(
  stepId: string,
  startMs: number,
  durationMs: number,
  more: { calls?: CallSpan[]; source?: RecordSource } = {},
): JournalEntry {
  const record = { stepId, kind: 'llm', status: 'ok', model: 'mercury-2', lane: 'fast' } as const;
  return {
    type: 'unit',
    v: 3,
    at: 0,
    stepId,
    key: stepId,
    output: null,
    record: { ...record, attempt: 1, startMs, durationMs, usage, costUsd: 0.001, ...more },
  };
}

/** Finished map items as one items entry: `[item, startMs, durationMs, source?]` each. */
function items(
  stepId: string,
  kind: StepRecord['kind'],
  rows: readonly (readonly [number, number, number, RecordSource?])[],
): JournalEntry {
  const lane = kind === 'llm' ? 'cheap' : undefined;
  const model = kind === 'llm' ? 'deepseek-flash' : undefined;
  return {
    type: 'items',
    v: 2,
    at: 0,
    stepId,
    kind,
    model,
    lane,
    rows: rows.map(([item, startMs, durationMs, source]): ItemRow => {
      const costUsd = kind === 'llm' && source !== 'cache' ? 0.0001 : 0;
      const row = [item, `${stepId}#${item}`, item, costUsd, 10, 0, 5, 0, 1, startMs, durationMs];
      const own: ItemRowOwn = { model, lane, source };
      return (source === undefined ? row : [...row, own]) as unknown as ItemRow;
    }),
  };
}

describe('traceFromJournal of a run that has not ended', () => {
  it('counts the model calls it made: llm steps and llm map items, not function items', () => {
    const trace = traceFromJournal('r', [
      start(1),
      step('outline', 0, 600),
      items('parse', 'fn', [
        [0, 600, 0],
        [1, 600, 0],
        [2, 600, 0],
        [3, 600, 0],
      ]),
      items('sections', 'llm', [
        [0, 600, 900],
        [1, 600, 1_100],
      ]),
    ]);
    expect(trace.calls).toBe(3);
  });

  it("counts only the last attempt's calls, an agent's model calls each, a cached item none", () => {
    const agentCalls: CallSpan[] = [
      { kind: 'model', name: 'mercury-2', startMs: 0, endMs: 300 },
      { kind: 'tool', name: 'search', startMs: 300, endMs: 400 },
      { kind: 'model', name: 'mercury-2', startMs: 400, endMs: 700 },
    ];
    const trace = traceFromJournal('r', [
      start(1),
      step('outline', 0, 600),
      items('sections', 'llm', [
        [0, 600, 900],
        [1, 600, 1_100],
      ]),
      start(2),
      items('sections', 'llm', [
        [2, 0, 800],
        [3, 0, 0, 'cache'],
      ]),
      step('research', 800, 700, { calls: agentCalls }),
    ]);
    // Item 2, and the agent's two model calls: what attempt 1 paid for is still in the cost.
    expect(trace.calls).toBe(3);
    expect(trace.costUsd).toBeCloseTo(0.001 * 2 + 0.0001 * 3, 12);
  });

  it('has the status it was given (interrupted unless said) and no plan', () => {
    const entries = [start(1), step('outline', 0, 600)];
    const running = traceFromJournal('r', entries, 'running');
    expect(running.status).toBe('running');
    expect(running).not.toHaveProperty('plan');
    expect(traceFromJournal('r', entries).status).toBe('interrupted');
  });

  it('draws a map part way through from its finished items, marked partial', () => {
    const trace = traceFromJournal('r', [
      start(1),
      step('outline', 0, 600),
      items('sections', 'llm', [
        [1, 600, 1_100],
        [0, 600, 900],
      ]),
      items('sections', 'llm', [[2, 1_500, 700]]),
    ]);
    const map = trace.steps.find((record) => record.stepId === 'sections');
    expect(map).toMatchObject({ kind: 'map', items: 3, startMs: 600, endMs: 2_200 });
    expect(map).toMatchObject({ durationMs: 1_600, model: 'deepseek-flash', lane: 'cheap' });
    expect(map?.costUsd).toBeCloseTo(0.0003, 12);
    expect(trace).toMatchObject({ partialSteps: ['sections'], durationMs: 2_200 });
    expect(trace.costUsd).toBeCloseTo(0.001 + 0.0003, 12);
    expect(trace.usage.inputTokens).toBe(40);
    const text = formatWaterfall(trace);
    expect(text).toMatch(/\n {2}sections ×3 +[░█]+ +1\.60 s, partial\n/);
    expect(text).toMatch(/\nsections ×3 +deepseek-flash +cheap +- +1\.60 s, partial +30 +15 /);
  });

  it('draws a map it finished, with the count its map entry gives, not as partial', () => {
    const trace = traceFromJournal('r', [
      start(1),
      items('parse', 'fn', [
        [0, 0, 10],
        [1, 0, 20],
      ]),
      { type: 'map', at: 0, stepId: 'parse', items: 2 },
      step('outline', 20, 600),
    ]);
    expect(trace.steps.map((record) => record.stepId)).toEqual(['parse', 'outline']);
    expect(trace.steps[0]).toMatchObject({ kind: 'map', items: 2, durationMs: 20 });
    expect(trace).toMatchObject({ partialSteps: [], durationMs: 620 });
    expect(formatWaterfall(trace)).toMatch(/\n {2}parse ×2 +█+ +0\.02 s\n/);
  });
});
