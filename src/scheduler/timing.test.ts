import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProblem, type FixedStep } from './problem';
import { instanceArbitrary } from './test-chains';
import { computeTimes, computeTimesAfter, createTiming } from './timing';

describe('times after one step’s choice changed', () => {
  it('are the figures of a full pass, with and without started steps', () => {
    fc.assert(
      fc.property(
        instanceArbitrary(24, 4, true),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
        (instance, started, moves) => {
          // The first steps started at 0: the passes begin after them.
          const fixed = new Map<string, FixedStep>();
          for (const step of instance.chain.steps.slice(0, started)) {
            fixed.set(step.id, { state: 'done', startMs: 0, endMs: 40, costUsd: 0 });
          }
          const problem = buildProblem({ chain: instance.chain, pool: instance.pool, fixed });
          const choice = new Int32Array(problem.options.length);
          const timing = createTiming(problem);
          const full = createTiming(problem);
          computeTimes(problem, choice, timing);
          for (const [at, pick] of moves) {
            const i = problem.pendingFrom + (at % (choice.length - problem.pendingFrom || 1));
            if (i >= choice.length) continue;
            choice[i] = pick % problem.options[i]!.length;
            const makespan = computeTimesAfter(problem, choice, timing, i);
            expect(makespan).toBe(computeTimes(problem, choice, full));
            expect(timing.durationMs).toBe(makespan);
            expect([...timing.start]).toEqual([...full.start]);
            expect([...timing.end]).toEqual([...full.end]);
          }
        },
      ),
      { seed: 20261202, numRuns: 80 },
    );
  });
});
