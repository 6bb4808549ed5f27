import { describe, expect, it } from 'vitest';
import { mergeTraceLogs, parseTraceLog } from './parse-log';

const usage = { inputTokens: 10, outputTokens: 5 };
const record = {
  stepId: 'a',
  kind: 'llm',
  costUsd: 0.001,
  usage,
  startMs: 0,
  endMs: 120,
  durationMs: 120,
};
const trace = {
  chain: 'c',
  status: 'ok',
  startedAt: 1,
  durationMs: 120,
  costUsd: 0.001,
  usage,
  calls: 1,
  criticalPath: ['a'],
  plan: { durationMs: 100, costUsd: 0.001, objective: 'balanced' },
  warnings: [],
};
const line = (event: string, data: object, at = 1) =>
  JSON.stringify({ v: 4, event, runId: 'r', at, data });

describe('parseTraceLog on a step:end line that is not a whole record', () => {
  it('keeps it out of the run, and puts back no trace without it', () => {
    const log = [
      line('chain:start', { chain: 'c', startedAt: 1 }),
      line('step:end', { ...record, lane: null }),
      line('chain:end', trace),
    ].join('\n');
    const { runs, problems } = parseTraceLog(log, 'log.jsonl');
    expect(problems).toEqual([
      'log.jsonl:2: a step:end line without a whole record (missing or malformed: lane)',
      'log.jsonl:3: a chain:end line whose step:end lines are not whole records',
    ]);
    expect(runs[0]?.lines.map((one) => one.event)).toEqual(['chain:start']);
    expect(runs[0]?.trace).toBeUndefined();
  });

  it('still puts back no trace without it when the run is in two logs', () => {
    const first = parseTraceLog(
      [
        line('chain:start', { chain: 'c', startedAt: 1 }),
        line('step:end', { ...record, calls: 2 }),
      ].join('\n'),
      'a.jsonl',
    );
    const second = parseTraceLog(line('chain:end', trace, 2), 'b.jsonl');
    const { runs, problems } = mergeTraceLogs([first, second]);
    expect(problems).toEqual([
      'a.jsonl:2: a step:end line without a whole record (missing or malformed: calls)',
      'b.jsonl:1: a chain:end line whose step:end lines are not whole records',
    ]);
    expect(runs[0]?.trace).toBeUndefined();
  });

  it('reads a file of such lines as no run', () => {
    const { runs, problems } = parseTraceLog(line('step:end', { stepId: 'a' }));
    expect(runs).toEqual([]);
    expect(problems).toHaveLength(1);
  });
});
