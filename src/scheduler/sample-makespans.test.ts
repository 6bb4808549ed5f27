import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProblem, type Problem } from './problem';
import { sampleMakespans } from './sample-makespans';
import { instanceArbitrary } from './test-chains';

/** A choice of one option per step, from draws in [0, 1). */
const choose = (problem: Problem, draws: readonly number[]) =>
  Int32Array.from(problem.options, (list, i) => Math.floor(draws[i]! * list.length));

/**
 * `problem` with its first steps started at 0 and now at `releaseMs`, the first of them done:
 * a done step is not spread, so it keeps its median and loses its σ.
 */
const started = (problem: Problem, count: number, releaseMs: number): Problem => {
  const fixedStart = problem.fixedStart.slice();
  const infos = problem.infos.slice();
  for (let i = 0; i < Math.min(count, fixedStart.length); i++) {
    fixedStart[i] = 0;
    if (i === 0) infos[i] = { ...infos[i]!, fixed: { state: 'done', startMs: 0, endMs: 1 } };
  }
  return { ...problem, fixedStart, infos, releaseMs };
};

describe('sampled makespans', () => {
  it('are those of a pass a run at a time, whatever was sampled before (kept rows reused)', () => {
    const draws = fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), {
      minLength: 12,
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        instanceArbitrary(12, 3),
        fc.array(draws, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        (instance, choices, startedSteps) => {
          const problem = buildProblem({ chain: instance.chain, pool: instance.pool });
          const later = started(problem, startedSteps, 1500);
          // Several samplings in a row, as a confidence plan makes them: the same problem with
          // other choices, a copy of it, a problem with steps started, and back.
          for (const [k, each] of choices.entries()) {
            const on = k % 3 === 2 ? later : k % 3 === 1 ? { ...problem } : problem;
            const choice = choose(on, each);
            const reused = sampleMakespans(on, choice, 50);
            expect(reused).toEqual(sampleMakespans(on, choice, 50, { perRun: true }));
          }
        },
      ),
      { seed: 20261204, numRuns: 150 },
    );
  });

  it('of a plan depend only on its choice: the same after sampling another plan first', () => {
    fc.assert(
      fc.property(instanceArbitrary(10, 3, true), (instance) => {
        const problem = buildProblem({ chain: instance.chain, pool: instance.pool });
        const fastest = Int32Array.from(problem.options, () => 0);
        const cheapest = Int32Array.from(problem.options, (list) => list.length - 1);
        const first = sampleMakespans(problem, cheapest, 80);
        sampleMakespans(problem, fastest, 80);
        expect(sampleMakespans(problem, cheapest, 80)).toEqual(first);
      }),
      { seed: 20261205, numRuns: 60 },
    );
  });
});
