import { createEmulatedPool, planChain } from 'hotpath';
import { signedPercent, times, verdict } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import type { StrategyResult } from './emulated';
import type { Shape } from './shapes';
import { catalogProfiles, profilesFor } from './strategies';

/**
 * Balanced against all-premium, per shape: at least 2x faster and 4x cheaper everywhere, 5x
 * faster on purely sequential shapes (planned figures).
 */
export function premiumRow(shape: Shape, results: readonly StrategyResult[]): BenchRow {
  const plan = (id: string) => results.find((result) => result.planned.strategy.id === id)!;
  const premium = plan('premium').planned.plan;
  const balanced = plan('balanced').planned.plan;
  const faster = premium.durationMs / balanced.durationMs;
  const cheaper = premium.costUsd / balanced.costUsd;
  const speedTarget = shape.sequential ? 5 : 2;
  return {
    shape: shape.id,
    'balanced vs all-premium: faster': times(faster),
    target: `${speedTarget}x`,
    speed: verdict(faster >= speedTarget),
    cheaper: times(cheaper),
    'cost target': '4x',
    cost: verdict(cheaper >= 4),
  };
}

/**
 * A deadline sweep: `points` deadlines from the all-fast makespan to the all-cheap one; at
 * each, the plan `auto` picks and the heuristic's against the exact optimum, and whether any
 * plan misses a deadline that some plan meets.
 */
export function sweepRow(shape: Shape, points: number): BenchRow {
  const pool = createEmulatedPool({ profiles: profilesFor(shape, catalogProfiles) });
  const chain = shape.build().definition;
  const base = planChain({ chain, pool, input: shape.input });
  const low = base.baselines.allFast.durationMs;
  const high = base.baselines.allCheap.durationMs;
  let worstAuto = 0;
  let worstHeuristic = 0;
  let missed = 0;
  const solvers = new Set<string>();
  for (let index = 0; index < points; index++) {
    const deadlineMs = low + ((high - low) * index) / (points - 1);
    const plan = (solver: 'auto' | 'exact' | 'heuristic') =>
      planChain({ chain, pool, input: shape.input, objective: { deadlineMs }, solver });
    const exact = plan('exact');
    const auto = plan('auto');
    const heuristic = plan('heuristic');
    solvers.add(auto.solver);
    worstAuto = Math.max(worstAuto, auto.costUsd / exact.costUsd - 1);
    worstHeuristic = Math.max(worstHeuristic, heuristic.costUsd / exact.costUsd - 1);
    for (const candidate of [auto, heuristic]) {
      if (candidate.durationMs > deadlineMs + 1e-6) missed++;
    }
  }
  return {
    shape: shape.id,
    deadlines: `${points} from ${(low / 1000).toFixed(1)} s to ${(high / 1000).toFixed(1)} s`,
    'auto picks': [...solvers].join(', '),
    'worst gap (auto)': signedPercent(worstAuto, 2),
    'worst gap (heuristic)': signedPercent(worstHeuristic, 2),
    'feasible deadlines missed': String(missed),
    'target (within 1%, none missed)': verdict(worstAuto <= 0.01 && missed === 0),
  };
}
