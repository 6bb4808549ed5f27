import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatedPool, createRuntime, type Objective, planChain } from 'hotpath';
import { createFileEstimateStore } from 'hotpath/node';
import { median, signedPercent } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import type { Shape } from '../scheduler/shapes';
import { catalogProfiles, profilesFor } from '../scheduler/strategies';
import { benchTruth, createDatedBenchClock, trueProfiles } from './world';

/** Runs a process would make in a row, each a new runtime on the same estimate file. */
export const learningRuns = 5;

/** What one run predicted and did. */
export interface LearningRun {
  readonly predictedMs: number;
  readonly measuredMs: number;
  readonly billUsd: number;
}

/** One shape's runs for one objective, and the oracle's run of the same objective. */
export interface LearningResult {
  readonly shape: Shape;
  readonly deadlineMs: number;
  /** Balanced runs 1..5: the makespan prediction against what happened. */
  readonly balanced: readonly LearningRun[];
  /** Deadline runs 1..5, and the oracle's (a pool that believes the truth's medians from run 1). */
  readonly deadline: readonly LearningRun[];
  readonly oracle: readonly LearningRun[];
}

/**
 * Five runs of `shape` in the truth world, each in a new runtime that opens the same file
 * estimate store (as five processes would); the world (and its prefix cache) persists, as a
 * provider's does. Once under `balanced`, once under a fixed deadline, against an oracle whose
 * profiles are the truth's medians, run the same way (its run k meets the same warm prefix
 * cache and learns the same token sizes as hotpath's run k).
 */
export async function benchLearning(shape: Shape): Promise<LearningResult> {
  const catalog = profilesFor(shape, catalogProfiles);
  const oracleProfiles = trueProfiles(catalog);
  // Midway between the true all-fast and all-cheap makespans: a deadline that forces a trade.
  const truePlan = planChain({
    chain: shape.build().definition,
    pool: createEmulatedPool({ profiles: oracleProfiles }),
    input: shape.input,
  });
  const deadlineMs =
    (truePlan.baselines.allFast.durationMs + truePlan.baselines.allCheap.durationMs) / 2;
  const series = async (objective: Objective, profiles = catalog, runs = learningRuns) => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-bench-learning-'));
    const clock = createDatedBenchClock();
    const pool = createEmulatedPool({ profiles, clock, truth: benchTruth, seed: 7 });
    const out: LearningRun[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        const history = createFileEstimateStore({ path: join(dir, 'estimates.jsonl') });
        const runtime = createRuntime({ models: pool, objective, history, hedge: false });
        const chain = shape.build();
        const predictedMs = runtime.plan(chain, shape.input).durationMs;
        const before = pool.stats().costUsd;
        const { trace } = await runtime.run(chain, shape.input);
        out.push({
          predictedMs,
          measuredMs: trace.durationMs,
          billUsd: pool.stats().costUsd - before,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  };
  const balanced = await series('balanced');
  const deadline = await series({ deadlineMs });
  const oracle = await series({ deadlineMs }, oracleProfiles);
  return { shape, deadlineMs, balanced, deadline, oracle };
}

const error = (run: LearningRun) => Math.abs(run.predictedMs / run.measuredMs - 1);

/** Per shape: prediction error on run 1 and run 5, regret at the deadline on run 1 and run 5. */
export function learningRows(results: readonly LearningResult[]): BenchRow[] {
  const rows: BenchRow[] = results.map(({ shape, deadlineMs, balanced, deadline, oracle }) => {
    const met = (run: LearningRun) => (run.measuredMs <= deadlineMs ? 'met' : 'missed');
    const regret = (index: number) =>
      `${signedPercent(deadline.at(index)!.billUsd / oracle.at(index)!.billUsd - 1)} (${met(deadline.at(index)!)}; oracle ${met(oracle.at(index)!)})`;
    return {
      shape: shape.id,
      'balanced: predicted / measured, run 1': `${seconds(balanced[0]!.predictedMs)} / ${seconds(balanced[0]!.measuredMs)}`,
      'error run 1': percent(error(balanced[0]!)),
      [`predicted / measured, run ${learningRuns}`]: `${seconds(balanced.at(-1)!.predictedMs)} / ${seconds(balanced.at(-1)!.measuredMs)}`,
      [`error run ${learningRuns}`]: percent(error(balanced.at(-1)!)),
      deadline: seconds(deadlineMs),
      [`bill run ${learningRuns}: hotpath / oracle`]: `$${deadline.at(-1)!.billUsd.toFixed(5)} / $${oracle.at(-1)!.billUsd.toFixed(5)}`,
      'regret run 1': regret(0),
      [`regret run ${learningRuns}`]: regret(-1),
    };
  });
  const errors = (index: number) =>
    median(results.map((result) => error(result.balanced.at(index)!)));
  const regret = (index: number) =>
    median(
      results.map(
        (result) => result.deadline.at(index)!.billUsd / result.oracle.at(index)!.billUsd - 1,
      ),
    );
  rows.push({
    shape: '**median**',
    'balanced: predicted / measured, run 1': '',
    'error run 1': percent(errors(0)),
    [`predicted / measured, run ${learningRuns}`]: '',
    [`error run ${learningRuns}`]: `${percent(errors(-1))} (goal <= 10%: ${errors(-1) <= 0.1 ? 'met' : '**not met**'})`,
    deadline: '',
    [`bill run ${learningRuns}: hotpath / oracle`]: '',
    'regret run 1': signedPercent(regret(0)),
    [`regret run ${learningRuns}`]: `${signedPercent(regret(-1))} (goal <= 5%: ${regret(-1) <= 0.05 ? 'met' : '**not met**'})`,
  });
  return rows;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
