import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beatenNearby, dominates, seenPlans } from './frontier';
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

  it('say a plan is beaten nearby exactly when one of them beats it on both time and cost', () => {
    let beaten = 0;
    let kept = 0;
    fc.assert(
      fc.property(
        instanceArbitrary(24, 4, true),
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (instance, draws) => {
          const problem = buildProblem({ chain: instance.chain, pool: instance.pool });
          const choice = uniformChoice(problem.options, 'fastest').map((_, i) =>
            Math.floor(draws[i]! * problem.options[i]!.length),
          );
          const own = {
            durationMs: computeTimes(problem, choice, createTiming(problem)),
            costUsd: computeCost(problem, choice),
          };
          const said = beatenNearby(problem, choice);
          if (said === undefined) return;
          expect(said).toBe(seenPlans(problem, choice).some((plan) => dominates(plan, own)));
          if (said) beaten++;
          else kept++;
        },
      ),
      { seed: 20261202, numRuns: 80 },
    );
    // Random assignments are often beaten by a neighbour, not always: both answers are tested.
    expect(beaten).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });
});
