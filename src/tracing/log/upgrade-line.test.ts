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
  it('read in version 2 names', () => {
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
    const line = JSON.stringify({ v: 3, event: 'chain:start', runId: 'r', at: 1, data: {} });
    expect(parseTraceLog(line, 'log.jsonl').problems).toEqual([
      'log.jsonl:1: unknown schema version 3',
    ]);
  });
});
