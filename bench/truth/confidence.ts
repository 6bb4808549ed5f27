import {
  createEmulatedPool,
  createMemoryEstimateStore,
  createRuntime,
  type EstimateStore,
  type Objective,
} from 'hotpath';
import { median, percentile } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import type { Shape } from '../scheduler/shapes';
import { catalogProfiles, profilesFor } from '../scheduler/strategies';
import { benchTruth, createDatedBenchClock } from './world';

/** Runs per arm, each on its own emulator seed; the three arms share the seeds. */
export const confidenceRuns = 200;

/** Warm-up runs all fast and all cheap before the arms: 50+ calls per model, spreads learned. */
const warmRuns = 5;

/** The confidence the bench asks for, and the hit rate it must reach. */
export const askedConfidence = 0.9;

/** The shapes the hit-rate bench runs: the heavy fan-out-200 and summarise-16x4k are left out. */
export function confidenceShapes(all: readonly Shape[]): Shape[] {
  const ids = ['sequential-10', 'map-reduce-32', 'diamond-4x2', 'lattice-12'];
  return all.filter((shape) => ids.includes(shape.id));
}

/** What one arm did over the seeds. */
export interface ArmResult {
  readonly id: string;
  readonly hits: number;
  readonly billUsd: number;
  readonly makespans: readonly number[];
  /** The plan the arm starts from (the same every run: the store is frozen): its medians' makespan. */
  readonly plannedMs: number;
  /** Its sampled makespan percentiles. */
  readonly plannedP50Ms: number;
  readonly plannedP90Ms: number;
}

/** One shape's three arms at one deadline. */
export interface ConfidenceResult {
  readonly shape: Shape;
  readonly deadlineMs: number;
  readonly arms: readonly ArmResult[];
  readonly learned: readonly string[];
  /** `never`: the plan alone; `auto`: the runtime's default, re-planning when a run strays. */
  readonly replan: 'auto' | 'never';
}

/**
 * A store that answers from `inner` and learns nothing: every arm and seed plans from the same
 * warmed picture, so the arms differ only in their objective (and plans are reused, as a
 * runtime reuses them while its store has not changed).
 */
function frozen(inner: EstimateStore): EstimateStore {
  const version = inner.version?.() ?? 0;
  return {
    get: (key) => inner.get(key),
    put: () => {},
    record: () => {},
    recordCall: () => {},
    modelStats: (model) => inner.modelStats?.(model),
    endpointStats: (model, endpoint) => inner.endpointStats?.(model, endpoint),
    version: () => version,
  };
}

/**
 * `shape` in the truth world (`world.ts`) on a virtual clock without a date (base prices, so
 * DeepSeek is the cheap lane): an estimate store is warmed by 5 runs all fast and 5 all cheap
 * (seeds 1001+, so both models of the trade have 20+ calls and their spreads measured),
 * then frozen. The deadline is tight: the planned makespan of the plain `{ deadlineMs }` plan
 * for a deadline midway between the learned all-fast and all-cheap makespans, so the plain plan
 * for it meets it on its medians and no more. Each arm (plain deadline, `confidence: 0.9`, `latency`) runs the same
 * 200 emulator seeds with hedging off (so the bill is the plan's), once without re-planning
 * (`replan: 'never'`: the plan alone) and once with the runtime's default (`auto`: re-plan the
 * steps not yet started when a run strays); a hit is a measured makespan within the deadline,
 * the bill is the emulator's.
 */
export async function benchConfidence(
  shape: Shape,
  replan: 'auto' | 'never',
  runs = confidenceRuns,
): Promise<ConfidenceResult> {
  const profiles = profilesFor(shape, catalogProfiles);
  const warm = createMemoryEstimateStore();
  for (const [index, objective] of (['latency', 'cost'] as const).entries()) {
    for (let run = 0; run < warmRuns; run++) {
      const clock = createDatedBenchClock();
      const seed = 1001 + index * warmRuns + run;
      const pool = createEmulatedPool({ profiles, clock, truth: benchTruth, seed });
      const runtime = createRuntime({ models: pool, objective, history: warm, hedge: false });
      await runtime.run(shape.build(), shape.input);
    }
  }
  const history = frozen(warm);
  const learned = profiles
    .map((profile) => [profile.id, warm.modelStats?.(profile.id)?.samples ?? 0] as const)
    .filter(([, samples]) => samples > 0)
    .map(([id, samples]) => `${id} ${samples}`);
  const planPool = createEmulatedPool({ profiles, clock: createDatedBenchClock() });
  const planner = createRuntime({ models: planPool, history, hedge: false });
  const fast = planner.plan(shape.build(), shape.input, { objective: 'latency' });
  const cheap = planner.plan(shape.build(), shape.input, { objective: 'cost' });
  // The plain plan for a deadline midway between all fast and all cheap ends its medians at
  // or before it; its own makespan is the tight deadline (the plain plan for it is the same).
  const midwayMs = (fast.durationMs + cheap.durationMs) / 2;
  const deadlineMs = planner.plan(shape.build(), shape.input, {
    objective: { deadlineMs: midwayMs },
  }).durationMs;
  const arms: { id: string; objective: Objective }[] = [
    { id: 'plain `{ deadlineMs }`', objective: { deadlineMs } },
    {
      id: `\`{ deadlineMs, confidence: ${askedConfidence} }\``,
      objective: { deadlineMs, confidence: askedConfidence },
    },
    { id: 'all fast (`latency`)', objective: 'latency' },
  ];
  const results: ArmResult[] = [];
  for (const arm of arms) {
    const plan = planner.plan(shape.build(), shape.input, { objective: arm.objective });
    const makespans: number[] = [];
    let hits = 0;
    let billUsd = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const clock = createDatedBenchClock();
      const pool = createEmulatedPool({ profiles, clock, truth: benchTruth, seed });
      const runtime = createRuntime({
        models: pool,
        objective: arm.objective,
        history,
        hedge: false,
        replan,
      });
      const { trace } = await runtime.run(shape.build(), shape.input);
      makespans.push(trace.durationMs);
      if (trace.durationMs <= deadlineMs) hits++;
      billUsd += pool.stats().costUsd;
    }
    results.push({
      id: arm.id,
      hits,
      billUsd,
      makespans,
      plannedMs: plan.durationMs,
      plannedP50Ms: plan.durationPercentiles.p50,
      plannedP90Ms: plan.durationPercentiles.p90,
    });
  }
  return { shape, deadlineMs, arms: results, learned, replan };
}

/** Per shape and arm: hit rate, bill, extra cost over plain; the goal verdict on the confidence arm. */
export function confidenceRows(results: readonly ConfidenceResult[]): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const { shape, deadlineMs, arms, replan } of results) {
    const [plain, sure, fast] = arms as [ArmResult, ArmResult, ArmResult];
    const fastExtra = fast.billUsd - plain.billUsd;
    for (const arm of arms) {
      const runs = arm.makespans.length;
      const rate = arm.hits / runs;
      const extra = arm.billUsd - plain.billUsd;
      const share = fastExtra > 0 ? extra / fastExtra : Number.NaN;
      const goal =
        arm === sure
          ? ` (goal >= 90% hits at < 50% of all-fast's extra: ${rate >= 0.9 && share < 0.5 ? 'met' : '**not met**'})`
          : '';
      rows.push({
        shape: shape.id,
        replan,
        deadline: seconds(deadlineMs),
        plan: arm.id,
        'planned: medians / sampled p50 / p90': `${seconds(arm.plannedMs)} / ${seconds(arm.plannedP50Ms)} / ${seconds(arm.plannedP90Ms)}`,
        'measured p50 / p90': `${seconds(median(arm.makespans))} / ${seconds(percentile(arm.makespans, 90))}`,
        'deadline hit rate': `${(rate * 100).toFixed(1)}% (${arm.hits}/${runs})`,
        'bill per run': `$${(arm.billUsd / runs).toFixed(6)}`,
        'extra over plain':
          arm === plain ? '-' : `${(share * 100).toFixed(0)}% of all-fast's${goal}`,
      });
    }
  }
  return rows;
}

/** What the warm-up measured, per shape, for the section's intro. */
export function confidenceLearned(results: readonly ConfidenceResult[]): string {
  return results
    .map(({ shape, learned }) => `\`${shape.id}\`: ${learned.join(', ')} calls`)
    .join('; ');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The section's title in `bench/results.md`. */
export const confidenceTitle = `Truth world: deadline hit rate at \`confidence: ${askedConfidence}\``;

/** Every shape of {@link confidenceShapes}, without and with re-planning. */
export async function benchConfidenceSection(all: readonly Shape[]): Promise<ConfidenceResult[]> {
  const results: ConfidenceResult[] = [];
  for (const shape of confidenceShapes(all)) {
    for (const replan of ['never', 'auto'] as const) {
      results.push(await benchConfidence(shape, replan));
    }
  }
  return results;
}

/** What the section measures and how, for `bench/results.md`. */
export function confidenceIntro(results: readonly ConfidenceResult[]): string {
  const learned = confidenceLearned(results.filter((result) => result.replan === 'never'));
  return `\`bench/truth/confidence.ts\`: the truth world above, a virtual clock without a date (base prices: DeepSeek is the cheap lane), hedging off. Per shape an in-memory estimate store is first warmed by ${warmRuns} runs all fast and ${warmRuns} all cheap (other seeds), so both models' first-token and speed spreads are learned (calls measured: ${learned}), then frozen, so every run plans from the same picture. The deadline is tight: the plain \`{ deadlineMs }\` plan's own makespan of medians for a deadline midway between the learned all-fast and all-cheap makespans. Three arms run the same ${confidenceRuns} emulator seeds: the plain deadline, \`{ deadlineMs, confidence: ${askedConfidence} }\`, and all fast (\`latency\`); once without re-planning (\`replan: 'never'\`, the plan alone) and once with the runtime's default (\`auto\`: re-plan the steps not yet started when a run strays). "planned" is the plan before the run: the makespan of its medians, then its sampled p50 and p90; "measured" is over the ${confidenceRuns} runs. Extra cost is the bill over the plain plan's, as a share of all-fast's extra over it. Goal: at least 90% of runs within the deadline, at less than half of all-fast's extra cost. Every figure is in virtual time, so the machine's load changes how long the section takes, not what it reports. fan-out-200 and summarise-16x4k are left out to keep the quick bench quick.`;
}
