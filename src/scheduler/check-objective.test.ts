import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { InvalidArgumentError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';
import { checkObjective } from './check-objective';
import type { Objective } from './plan';
import { planChain } from './plan-chain';
import { replanChain } from './replan-chain';

const pool = createEmulatedPool({
  profiles: [mercury2, deepseekFlash],
  clock: createVirtualClock(),
});
const one = chain('one', { input: z.object({ q: z.string() }) }).step('a', llm({ prompt: 'x' }));

function refusal(objective: unknown, owner?: string): string {
  try {
    checkObjective(objective as Objective, owner);
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(objective)}`);
}

describe('checkObjective', () => {
  it.each<Objective>([
    'balanced',
    'latency',
    'cost',
    { deadlineMs: 8000 },
    { deadlineMs: 8000, defer: false },
    { deadlineMs: 8000, confidence: 0.9 },
    { deadlineMs: 8000, defer: true, confidence: 0.5 },
    { budgetUsd: 0 },
    { budgetUsd: 0.01 },
  ])('accepts %j', (objective) => {
    expect(() => checkObjective(objective)).not.toThrow();
    expect(() => planChain({ chain: one.definition, pool, objective })).not.toThrow();
  });

  it('refuses a misspelt key, naming the nearest', () => {
    expect(refusal({ deadlineMs: 8000, confidenc: 0.9 })).toBe(
      'Unknown option `objective.confidenc` of `planChain`; did you mean `objective.confidence`?',
    );
    expect(refusal({ deadline: 8000 })).toBe(
      'Unknown option `objective.deadline` of `planChain`; did you mean `objective.deadlineMs`?',
    );
    expect(refusal({ budgetUsd: 1, currency: 'usd' })).toBe(
      'Unknown option `objective.currency` of `planChain`; the options are `objective.budgetUsd`',
    );
  });

  it('refuses a deadline and a budget together, rather than dropping the budget', () => {
    expect(refusal({ deadlineMs: 1000, budgetUsd: 0.0001 })).toBe(
      'Expected `objective` to be { deadlineMs } or { budgetUsd }, not both, got `{"deadlineMs":1000,"budgetUsd":0.0001}`; to cap what a deadline run spends, set `maxCostUsd` on the runtime or the run',
    );
  });

  it('refuses a deadline key on a budget', () => {
    expect(refusal({ budgetUsd: 1, confidence: 0.9 })).toBe(
      'Unknown option `objective.confidence` of `planChain` for { budgetUsd }: it goes with `deadlineMs`',
    );
  });

  it.each([
    [
      { deadlineMs: Number.NaN },
      'Expected `objective.deadlineMs` to be a number above 0, got `NaN` (number)',
    ],
    [{ deadlineMs: Number.POSITIVE_INFINITY }, 'got `Infinity` (number)'],
    [
      { deadlineMs: '8000' },
      'Expected `objective.deadlineMs` to be a number above 0, got `8000` (string)',
    ],
    [{ deadlineMs: 0 }, 'got `0` (number)'],
    [
      { budgetUsd: -1 },
      'Expected `objective.budgetUsd` to be a number from 0 up, got `-1` (number)',
    ],
    [
      { budgetUsd: Number.NaN },
      '`objective.budgetUsd` to be a number from 0 up, got `NaN` (number)',
    ],
    [
      { deadlineMs: 8000, confidence: 1 },
      'Expected `objective.confidence` to be a probability above 0 and below 1 (such as 0.9), got `1` (number)',
    ],
    [
      { deadlineMs: 8000, defer: 'no' },
      'Expected `objective.defer` to be a boolean, got `no` (string)',
    ],
    [
      'fastest',
      "Expected `objective` to be 'balanced', 'latency', 'cost', { deadlineMs, defer?, confidence? } or { budgetUsd }, got `fastest` (string)",
    ],
    [{}, 'got `{}` (object)'],
    [null, 'got `null` (object)'],
  ])('names the field of %j', (objective, message) => {
    expect(refusal(objective)).toContain(message);
  });

  it('names the function the objective was passed to', async () => {
    const typo = { deadlineMs: 8000, confidenc: 0.9 } as unknown as Objective;
    const of = (owner: string) =>
      `Unknown option \`objective.confidenc\` of \`${owner}\`; did you mean \`objective.confidence\`?`;
    expect(() => createRuntime({ models: pool, objective: typo })).toThrow(of('createRuntime'));
    const runtime = createRuntime({ models: pool });
    await expect(runtime.run(one, { q: 'x' }, { objective: typo })).rejects.toThrow(
      of('runtime.run'),
    );
    expect(() => runtime.plan(one, { q: 'x' }, { objective: typo })).toThrow(of('runtime.plan'));
    const previous = planChain({ chain: one.definition, pool });
    expect(() =>
      replanChain({
        chain: one.definition,
        pool,
        objective: typo,
        previous,
        progress: { nowMs: 0, done: new Map(), running: new Map() },
      }),
    ).toThrow(of('replanChain'));
  });
});
