import { createEmulatedPool, createRuntime } from 'hotpath';
import { median, signedPercent, spread } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import { exactPlan, type PlannedStrategy, planStrategies } from './plans';
import type { Shape } from './shapes';
import { createBenchClock } from './virtual-clock';

/** What one strategy predicts and does on one shape, in emulated time. */
export interface StrategyResult {
  readonly planned: PlannedStrategy;
  /** Makespans (ms) and costs of runs on the in-process emulator on a virtual clock. */
  readonly runMs: readonly number[];
  readonly runUsd: readonly number[];
  /** The exact solver's cost for the same objective (hotpath's rows only). */
  readonly exactUsd?: number;
}

/** Runs a planned strategy on the in-process emulator with a virtual clock, once per seed. */
async function runVirtual(planned: PlannedStrategy, seeds: readonly number[]) {
  const runMs: number[] = [];
  const runUsd: number[] = [];
  for (const seed of seeds) {
    const clock = createBenchClock();
    const pool = createEmulatedPool({ profiles: planned.profiles, clock, seed });
    const runtime = createRuntime({ models: pool, objective: planned.objective, hedge: false });
    const { trace } = await runtime.run(planned.chain, planned.shape.input);
    runMs.push(trace.durationMs);
    runUsd.push(trace.costUsd);
  }
  return { runMs, runUsd };
}

/** Every strategy on `shape`: plans, virtual-clock runs, and the exact optimum for hotpath's. */
export async function measureShape(
  shape: Shape,
  seeds: readonly number[],
): Promise<StrategyResult[]> {
  const results: StrategyResult[] = [];
  for (const planned of planStrategies(shape)) {
    const hotpath = planned.strategy.id === 'balanced' || planned.strategy.id === 'deadline';
    const exactUsd = hotpath ? exactPlan(planned).costUsd : undefined;
    results.push({ planned, ...(await runVirtual(planned, seeds)), exactUsd });
  }
  return results;
}

/** The emulated-time table rows, ratios against each shape's all-fast and all-cheap plans. */
export function emulatedRows(results: readonly StrategyResult[]): BenchRow[] {
  // The lower bounds of each row's own shape.
  const bound = (shape: string, id: 'fast' | 'cheap') =>
    results.find(
      (result) => result.planned.shape.id === shape && result.planned.strategy.id === id,
    )!.planned.plan;
  return results.map(({ planned, runMs, runUsd, exactUsd }) => {
    const { plan } = planned;
    const fast = bound(planned.shape.id, 'fast');
    const cheap = bound(planned.shape.id, 'cheap');
    const objective = planned.objective;
    const label =
      typeof objective === 'object' && 'deadlineMs' in objective
        ? `${planned.strategy.label} ${(objective.deadlineMs / 1000).toFixed(1)} s`
        : planned.strategy.label;
    return {
      shape: planned.shape.id,
      plan: label,
      models: modelsOf(planned),
      'makespan (planned)': `${(plan.durationMs / 1000).toFixed(2)} s`,
      'cost (planned)': `$${plan.costUsd.toFixed(5)}`,
      'makespan / all-fast': `${(plan.durationMs / fast.durationMs).toFixed(2)}`,
      'cost / all-cheap': `${(plan.costUsd / cheap.costUsd).toFixed(2)}`,
      'emulated run (virtual clock)': `${spread(
        runMs.map((ms) => ms / 1000),
        2,
        ' s',
      )}`,
      'run vs plan': signedPercent(median(runMs) / plan.durationMs - 1),
      'run cost': `$${median(runUsd).toFixed(5)}`,
      'gap to exact': exactUsd === undefined ? '' : signedPercent(plan.costUsd / exactUsd - 1, 2),
    };
  });
}

/** Which models the plan uses, with step counts: `mercury-2 x7, deepseek-flash x3`. */
function modelsOf(planned: PlannedStrategy): string {
  const counts = new Map<string, number>();
  for (const step of planned.plan.steps) {
    if (step.model !== undefined) counts.set(step.model, (counts.get(step.model) ?? 0) + 1);
  }
  return [...counts].map(([model, count]) => `${model} x${count}`).join(', ');
}
