import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../tracing/records';
import { itemRow, journaledUnits, keptRecord, openItemsEntry, rowRecord } from './journal-units';
import type { JournalEntry } from './run-store';

const record = (item: number, extra: Partial<StepRecord> = {}): StepRecord => ({
  runId: 'r',
  stepId: 'notes',
  kind: 'llm',
  item,
  status: 'ok',
  model: 'mercury-2',
  lane: 'fast',
  provider: 'inception',
  attempt: 2,
  startMs: 1.8485650000002352,
  firstTokenMs: 9.99142000000029,
  endMs: 21.370832000000064,
  durationMs: 19.52226699999983,
  usage: { inputTokens: 9, cachedInputTokens: 3, outputTokens: 13, reasoningTokens: 1 },
  costUsd: 0.0000135,
  queueWaitMs: 0,
  retries: 1,
  source: 'call',
  ...extra,
});

const toMicros = (ms: number) => Math.round(ms * 1000) / 1000;

/** What resume reads of a record (and `hotpath runs show` prints); times to the microsecond. */
const kept = (r: StepRecord) => ({
  stepId: r.stepId,
  kind: r.kind,
  item: r.item,
  model: r.model,
  lane: r.lane,
  provider: r.provider,
  attempt: r.attempt,
  startMs: toMicros(r.startMs),
  durationMs: toMicros(r.durationMs),
  usage: r.usage,
  costUsd: r.costUsd,
  source: r.source,
});

describe('map items in rows', () => {
  it('reads back through JSON what resume needs of each record, exactly', () => {
    const records = [
      record(0),
      record(1, { model: 'deepseek-flash', lane: undefined, provider: 'deepseek' }),
      record(2, { source: 'cache', costUsd: 0 }),
    ];
    const entry = openItemsEntry(records[0]!, 5);
    for (const r of records)
      entry.rows.push(itemRow(entry, r, `k${r.item}`, { text: `${r.item}` }));
    // Only the rows that differ from the entry name a model of their own.
    expect(entry.rows.map((row) => row.length)).toEqual([11, 12, 12]);
    const [read] = JSON.parse(`[${JSON.stringify(entry)}]`) as JournalEntry[];
    const units = journaledUnits('r', [read!]);
    expect([...units.keys()]).toEqual(['notes#0', 'notes#1', 'notes#2']);
    for (const r of records) {
      const unit = units.get(`notes#${r.item}`)!;
      expect([unit.key, unit.output]).toEqual([`k${r.item}`, { text: `${r.item}` }]);
      expect(kept(unit.record)).toEqual(kept(r));
      expect(Math.abs(unit.record.endMs - r.endMs)).toBeLessThanOrEqual(0.001);
    }
    expect(kept(rowRecord('r', entry, entry.rows[1]!))).toEqual(kept(records[1]!));
  });

  it('lets the latest unit of an item win, across both formats', () => {
    const v2 = openItemsEntry(record(0), 5);
    v2.rows.push(itemRow(v2, record(0), 'new', 'second'));
    const v1: JournalEntry = {
      type: 'unit',
      at: 1,
      stepId: 'notes',
      item: 0,
      key: 'old',
      output: 'first',
      record: record(0),
    };
    expect(journaledUnits('r', [v1, v2]).get('notes#0')?.output).toBe('second');
    expect(journaledUnits('r', [v2, v1]).get('notes#0')?.output).toBe('first');
  });

  it('keeps a step unit without what reading rebuilds, and reads back the whole record', () => {
    const step: StepRecord = {
      ...record(0),
      item: undefined,
      stepId: 'plan',
      timeToFirstTokenMs: 9.99142000000029 - 1.8485650000002352,
      decodeMs: 21.370832000000064 - 9.99142000000029,
      predicted: { durationMs: 12, costUsd: 0.00002 },
    };
    const entry: JournalEntry = {
      type: 'unit',
      v: 3,
      at: 1,
      stepId: 'plan',
      key: 'k',
      output: { text: 'x' },
      record: keptRecord(step),
    };
    const line = JSON.stringify(entry);
    for (const field of ['runId', 'endMs', 'timeToFirstTokenMs', 'decodeMs']) {
      expect(line).not.toContain(`"${field}"`);
    }
    const read = journaledUnits('r', [JSON.parse(line) as JournalEntry]).get('plan')!.record;
    const { endMs, timeToFirstTokenMs, decodeMs, ...rest } = read;
    expect(rest).toEqual({ ...keptRecord(step), runId: 'r' });
    expect(endMs).toBeCloseTo(step.endMs, 9);
    expect(timeToFirstTokenMs).toBeCloseTo(step.timeToFirstTokenMs!, 9);
    expect(decodeMs).toBeCloseTo(step.decodeMs!, 9);
    // A unit of an earlier format kept its record whole: read as it was.
    const whole = journaledUnits('other', [{ ...entry, v: undefined, record: step }]).get('plan');
    expect(whole?.record).toEqual(step);
  });
});
