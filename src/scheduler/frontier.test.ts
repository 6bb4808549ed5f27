import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seenPlans } from './frontier';
import { buildProblem, uniformChoice } from './problem';
import { instanceArbitrary } from './test-chains';
import { computeCost, computeTimes, createTiming } from './timing';

describe('the plans one step away, timed without a full pass each', () => {
  it('have the totals a full pass gives them (chains past the exhaustive limit)', () => {
    fc.assert(
      fc.property(
        instanceArbitrary(24, 4, true),
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (instance, draws) => {
          const problem = buildProblem({ chain: instance.chain, pool: instance.pool });
          // A random assignment, not only the fastest: its longest paths run anywhere.
          const choice = uniformChoice(problem.options, 'fastest').map((_, i) =>
            Math.floor(draws[i]! * problem.options[i]!.length),
          );
          const timing = createTiming(problem);
          for (const plan of seenPlans(problem, choice)) {
            const pick = plan.choice();
            expect(plan.durationMs).toBeCloseTo(computeTimes(problem, pick, timing), 6);
            expect(plan.costUsd).toBeCloseTo(computeCost(problem, pick), 12);
          }
        },
      ),
      { seed: 20261201, numRuns: 60 },
    );
  });
});
