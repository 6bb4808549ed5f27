import fc from 'fast-check';
import { planChain } from '../src/scheduler';
import { bestByDeadline, enumeratePlans, instanceArbitrary } from '../src/scheduler/test-chains';
import type { BenchRow } from './planning';

/**
 * The heuristic's cost over the optimum (brute force) on random chains of 8 steps and 3 models,
 * at deadlines spread from the fastest plan to the slowest: the figures the scheduler's solver
 * test bounds.
 */
export function benchOptimality(instances = 3000, seed = 7): BenchRow[] {
  const cases = fc.sample(
    fc.tuple(instanceArbitrary(8, 3, true), fc.double({ min: 0, max: 1, noNaN: true })),
    { seed, numRuns: instances },
  );
  const gaps: number[] = [];
  let broken = 0;
  for (const [instance, at] of cases) {
    const plans = enumeratePlans(instance);
    const times = plans.map((plan) => plan.durationMs);
    const low = Math.min(...times);
    const deadlineMs = low + at * (Math.max(...times) - low);
    const best = bestByDeadline(plans, deadlineMs);
    if (best === undefined) continue;
    const plan = planChain({ ...instance, objective: { deadlineMs }, solver: 'heuristic' });
    if (plan.durationMs > deadlineMs + 1e-6) broken++;
    gaps.push(best === 0 ? 0 : plan.costUsd / best - 1);
  }
  gaps.sort((a, b) => a - b);
  const percent = (value: number) => `${(value * 100).toFixed(3)}%`;
  return [
    {
      instances: String(gaps.length),
      'mean gap': percent(gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length),
      'p99 gap': percent(gaps[Math.floor(gaps.length * 0.99)]!),
      'worst gap': percent(gaps[gaps.length - 1]!),
      optimal: percent(gaps.filter((gap) => gap <= 1e-9).length / gaps.length),
      'deadlines broken': String(broken),
    },
  ];
}
