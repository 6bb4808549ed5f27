import { describe, expect, it } from 'vitest';
import { parseTraceLog } from './parse-log';

const usage = { inputTokens: 10, outputTokens: 5 };
const record = {
  stepId: 'a',
  costUsd: 0.001,
  usage,
  startMs: 0,
  endMs: 120,
  durationMs: 120,
};

/** A version 1 log as hotpath 0.1 wrote it: `wallMs`, `makespanMs`, a planned step's `id`. */
const v1 = [
  {
    v: 1,
    event: 'plan',
    runId: 'r1',
    at: 1,
    data: {
      runId: 'r1',
      plan: {
        makespanMs: 100,
        costUsd: 0.001,
        steps: [{ id: 'a', model: 'mercury-2' }],
        baselines: {
          allFast: { makespanMs: 90, costUsd: 0.002 },
          allCheap: { makespanMs: 300, costUsd: 0.0005 },
        },
        frontier: [{ makespanMs: 90, costUsd: 0.002 }],
        answer: { stepId: 'a', readingTokensPerSecond: 15 },
        firstAnswerTokenMs: 40,
      },
    },
  },
  {
    v: 1,
    event: 'chain:end',
    runId: 'r1',
    at: 2,
    data: {
      runId: 'r1',
      chain: 'c',
      status: 'ok',
      startedAt: 1,
      wallMs: 120,
      costUsd: 0.001,
      usage,
      calls: 1,
      steps: [record],
      items: {},
      criticalPath: ['a'],
      plan: { makespanMs: 100, costUsd: 0.001, objective: 'balanced' },
      warnings: [],
    },
  },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

describe('trace logs of schema version 1', () => {
  it('read in the names of today', () => {
    const { runs, problems } = parseTraceLog(v1);
    expect(problems).toEqual([]);
    const [run] = runs;
    expect(run?.trace?.durationMs).toBe(120);
    expect(run?.trace?.plan.durationMs).toBe(100);
    expect(run?.trace).not.toHaveProperty('wallMs');
    const plan = run?.lines[0]?.data.plan as Record<string, unknown>;
    expect(plan).toMatchObject({
      durationMs: 100,
      steps: [{ stepId: 'a', model: 'mercury-2' }],
      baselines: { allFast: { durationMs: 90 }, allCheap: { durationMs: 300 } },
      frontier: [{ durationMs: 90 }],
      answer: { stepId: 'a', firstTokenMs: 40 },
    });
    expect(plan).not.toHaveProperty('makespanMs');
    expect(plan).not.toHaveProperty('firstAnswerTokenMs');
  });

  it('skip versions they do not know, saying which', () => {
    const line = (v: unknown) =>
      JSON.stringify({ v, event: 'chain:start', runId: 'r', at: 1, data: {} });
    expect(parseTraceLog([line(5), line('4'), line(0)].join('\n'), 'log.jsonl').problems).toEqual([
      'log.jsonl:1: schema version 5 is newer than this hotpath reads (1 to 4); upgrade hotpath to read it',
      'log.jsonl:2: unknown schema version "4"',
      'log.jsonl:3: unknown schema version 0',
    ]);
  });
});

const trace = {
  chain: 'c',
  status: 'ok',
  startedAt: 1,
  durationMs: 120,
  costUsd: 0.002,
  usage,
  calls: 2,
  criticalPath: ['a', 'm'],
  plan: { durationMs: 100, costUsd: 0.001, objective: 'balanced' },
  warnings: [],
};
const item = (index: number) => ({ ...record, stepId: 'm', item: index });
const line = (v: number, event: string, data: object) =>
  JSON.stringify({ v, event, runId: 'r2', at: 1, data });

describe('trace logs of schema versions 2 and 3', () => {
  it('read a version 2 log, step records in its chain:end line, as they were', () => {
    const v2 = [
      line(2, 'step:end', { runId: 'r2', ...record }),
      line(2, 'chain:end', { runId: 'r2', ...trace, steps: [record], items: { m: [item(0)] } }),
    ].join('\n');
    const { runs, problems } = parseTraceLog(v2);
    expect(problems).toEqual([]);
    expect(runs[0]?.trace).toEqual({
      runId: 'r2',
      ...trace,
      steps: [record],
      items: { m: [item(0)] },
    });
    expect(runs[0]?.lines.map((one) => one.v)).toEqual([4, 4]);
  });

  it('put the run id and the step records of a version 3 run back', () => {
    const v3 = [
      line(3, 'chain:start', { chain: 'c', startedAt: 1 }),
      line(3, 'step:end', item(1)),
      line(3, 'step:end', record),
      line(3, 'step:end', item(0)),
      line(3, 'step:end', { ...record, stepId: 'm', items: 2 }),
      line(3, 'chain:end', trace),
    ].join('\n');
    const { runs, problems } = parseTraceLog(v3);
    expect(problems).toEqual([]);
    expect(runs[0]?.lines[0]?.data).toEqual({ runId: 'r2', chain: 'c', startedAt: 1 });
    expect(runs[0]?.trace).toEqual({
      runId: 'r2',
      ...trace,
      steps: [
        { runId: 'r2', ...record },
        { runId: 'r2', ...record, stepId: 'm', items: 2 },
      ],
      items: {
        m: [
          { runId: 'r2', ...item(1) },
          { runId: 'r2', ...item(0) },
        ],
      },
    });
  });

  it('say so when a version 3 run has a step:end line that is not a record', () => {
    const v3 = [line(3, 'step:end', { stepId: 'a' }), line(3, 'chain:end', trace)].join('\n');
    const { runs, problems } = parseTraceLog(v3, 'log.jsonl');
    expect(problems).toEqual([
      'log.jsonl:1: a step:end line without a whole record (missing or malformed: startMs, endMs, durationMs, usage, costUsd)',
      'log.jsonl:2: a chain:end line whose step:end lines are not whole records',
    ]);
    expect(runs[0]?.trace).toBeUndefined();
  });

  it('still want the step records in a version 2 chain:end line', () => {
    const { problems } = parseTraceLog(line(2, 'chain:end', trace), 'log.jsonl');
    expect(problems).toEqual([
      'log.jsonl:1: a chain:end line without a whole trace (missing or malformed: steps, items)',
    ]);
  });
});

describe('trace logs of schema version 4', () => {
  const plan = { durationMs: 100, costUsd: 0.001, objective: 'balanced', steps: [] };
  const of = (runId: string, event: string, data: object) =>
    JSON.stringify({ v: 4, event, runId, at: 1, data });

  it('put a plan named by run back into the plan lines that name it', () => {
    const v4 = [
      of('r1', 'plan', { plan }),
      of('r2', 'plan', { samePlanAs: 'r1' }),
      of('r3', 'plan', { samePlanAs: 'r2' }),
    ].join('\n');
    const { runs, problems } = parseTraceLog(v4);
    expect(problems).toEqual([]);
    expect(runs.map((run) => run.lines[0]?.data)).toEqual(
      ['r1', 'r2', 'r3'].map((runId) => ({ runId, plan })),
    );
  });

  it('say so when the plan a line names is not in the log, and still read the run', () => {
    const cut = [
      of('r2', 'chain:start', { chain: 'c', startedAt: 1 }),
      of('r2', 'plan', { samePlanAs: 'r1' }),
      of('r2', 'chain:end', { ...trace, steps: [], items: {} }),
    ].join('\n');
    const { runs, problems } = parseTraceLog(cut, 'log.jsonl');
    expect(problems).toEqual(["log.jsonl:2: a plan line whose plan (run r1's) is not in the log"]);
    expect(runs[0]?.lines.map((line) => line.event)).toEqual(['chain:start', 'chain:end']);
    expect(runs[0]?.trace?.plan).toEqual(trace.plan);
  });
});
