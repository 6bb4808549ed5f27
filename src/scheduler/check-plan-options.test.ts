import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { InvalidArgumentError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryEstimateStore } from './estimate-store';
import { type PlanChainOptions, planChain } from './plan-chain';
import { type ReplanChainOptions, replanChain } from './replan-chain';

const pool = createEmulatedPool({
  profiles: [mercury2, deepseekFlash],
  clock: createVirtualClock(),
});
const two = chain('two', { input: z.object({ q: z.string() }) })
  .step('a', llm({ prompt: 'x' }))
  .step('b', llm({ prompt: 'y' }));
const definition = two.definition;
const previous = planChain({ chain: definition, pool });
const progress = {
  nowMs: 800,
  done: new Map([['a', { startMs: 0, endMs: 800, model: 'mercury-2', costUsd: 0.0001 }]]),
  running: new Map(),
};

function refusal(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return error as InvalidArgumentError;
  }
  throw new Error('accepted');
}

const plan = (options: Record<string, unknown>) => () =>
  planChain({ chain: definition, pool, ...options } as PlanChainOptions);
const replan = (options: Record<string, unknown>) => () =>
  replanChain({ chain: definition, pool, previous, progress, ...options } as ReplanChainOptions);

describe('planChain and replanChain option checks', () => {
  it.each([
    [
      'chain',
      { chain: two },
      'Expected `chain` to be a chain definition, got the chain `two` itself: pass its `.definition`',
    ],
    [
      'chain',
      { chain: 'two' },
      "Expected `chain` to be a chain definition (`chain(...)`'s `.definition`), got `two` (string)",
    ],
    [
      'pool',
      { pool: undefined },
      'Expected `pool` to be a model pool (such as `models.fromEnv()`), with `models` and `get`, got `undefined` (undefined)',
    ],
    [
      'pool',
      { pool: pool.models },
      'got `[2 items]` (array): make one with `createModelPool(models)`',
    ],
    [
      'solver',
      { solver: 'exactt' },
      "Expected `solver` to be 'auto', 'exact' or 'heuristic', got `exactt` (string)",
    ],
    ['startAt', { startAt: new Date('2026-12-02T02:00:00Z') }, '(object): pass `date.getTime()`'],
    [
      'startAt',
      { startAt: '2026-12-02T02:00:00Z' },
      'Expected `startAt` to be a calendar instant in Unix ms, got `2026-12-02T02:00:00Z` (string): pass `Date.parse(startAt)`',
    ],
    ['startAt', { startAt: Number.NaN }, 'got `NaN` (number)'],
    [
      'history',
      { history: {} },
      'Expected `history` to be an estimate store (such as `createMemoryEstimateStore()`), which has no `get`, `put`, got `{}` (object)',
    ],
    [
      'objectiv',
      { objectiv: 'cost' },
      'Unknown option `objectiv` of `planChain`; did you mean `objective`?',
    ],
    [
      'answer.stepId',
      { answer: { stepId: 3 } },
      'Expected `answer.stepId` to be a string, got `3` (number)',
    ],
  ])('planChain refuses a bad `%s`', (argument, options, message) => {
    const error = refusal(plan(options));
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });

  it('refuses no options by name', () => {
    expect(() => (planChain as (options?: unknown) => unknown)()).toThrow(
      'Expected `options` to be an object, got `undefined` (undefined)',
    );
  });

  it.each([
    ['progress', { progress: undefined }, 'Expected `progress` to be an object'],
    [
      'progress.nowMs',
      { progress: { ...progress, nowMs: '800' } },
      'Expected `progress.nowMs` to be a time from 0 up, got `800` (string)',
    ],
    [
      'progress.done',
      { progress: { ...progress, done: { a: progress.done.get('a') } } },
      'Expected `progress.done` to be a Map of step id to DoneStep, got `{"a":',
    ],
    [
      'progress.done',
      { progress: { ...progress, done: { a: 1 } } },
      ': pass `new Map(Object.entries(done))`',
    ],
    [
      'progress.running',
      { progress: { nowMs: 800, done: progress.done } },
      'Expected `progress.running` to be a Map of step id to RunningStep, got `undefined` (undefined)',
    ],
    [
      "progress.done.get('a').costUsd",
      {
        progress: {
          ...progress,
          done: new Map([['a', { startMs: 0, endMs: 800, costUsd: Number.NaN }]]),
        },
      },
      "Expected `progress.done.get('a').costUsd` to be a number from 0 up, got `NaN` (number)",
    ],
    [
      "progress.done.get('a').endMs",
      {
        progress: { ...progress, done: new Map([['a', { startMs: 500, endMs: 100, costUsd: 0 }]]) },
      },
      "Expected `progress.done.get('a').endMs` to be a number from 500 up, got `100` (number)",
    ],
    [
      "progress.running.get('b').startMs",
      {
        progress: { ...progress, running: new Map([['b', { startMs: Number.POSITIVE_INFINITY }]]) },
      },
      'got `Infinity` (number)',
    ],
    ['previous', { previous: undefined }, 'Expected `previous` to be the plan the run follows'],
    [
      'objective.confidenc',
      { objective: { deadlineMs: 9000, confidenc: 0.9 } },
      'Unknown option `objective.confidenc` of `replanChain`',
    ],
    [
      'progres',
      { progres: progress },
      'Unknown option `progres` of `replanChain`; did you mean `progress`?',
    ],
  ])('replanChain refuses a bad `%s`', (argument, options, message) => {
    const error = refusal(replan(options));
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });

  it('still plans and re-plans with every documented option', () => {
    const history = createMemoryEstimateStore();
    const options = {
      history,
      input: { q: 'x' },
      objective: { deadlineMs: 8000 },
      solver: 'exact',
      startAt: Date.parse('2026-12-02T02:00:00Z'),
      answer: { stepId: 'b', readingTokensPerSecond: 10 },
    };
    expect(plan(options)().steps).toHaveLength(2);
    expect(replan(options)().plan.steps).toHaveLength(2);
  });
});
