import { isDeepStrictEqual } from 'node:util';
import { planChain } from 'hotpath';
import { median } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import { answerFirstTokenMs, overHttp, runShape, virtualPool } from './measure';
import { type StreamShape, streamShapes } from './shapes';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;

/** Pipelined against plain makespan per shape, on the virtual clock and over HTTP. */
export async function benchPipelining(
  seeds: readonly number[],
  timeScale: number,
  httpSeeds: readonly number[],
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const shape of streamShapes) {
    const plain: number[] = [];
    const piped: number[] = [];
    const shares: number[] = [];
    let identical = true;
    for (const seed of seeds) {
      const a = await runShape(virtualPool(seed), shape, { pipeline: false });
      const b = await runShape(virtualPool(seed), shape, { pipeline: true });
      identical &&= isDeepStrictEqual(a.output, b.output);
      plain.push(a.trace.durationMs);
      piped.push(b.trace.durationMs);
      shares.push(overlapShare(a.trace.durationMs, b.trace));
    }
    const http = { plain: [] as number[], piped: [] as number[] };
    for (const seed of httpSeeds) {
      await overHttp(seed, timeScale, async (pool) => {
        const a = await runShape(pool, shape, { pipeline: false });
        http.plain.push(a.trace.durationMs);
        const b = await runShape(pool, shape, { pipeline: true });
        http.piped.push(b.trace.durationMs);
        identical &&= isDeepStrictEqual(a.output, b.output);
      });
    }
    const shorter = 1 - median(piped) / median(plain);
    const httpShorter = 1 - median(http.piped) / median(http.plain);
    rows.push({
      shape: shape.id,
      'plain (virtual)': s(median(plain)),
      'pipelined (virtual)': s(median(piped)),
      shorter: pct(shorter),
      'plain (HTTP)': s(median(http.plain)),
      'pipelined (HTTP)': s(median(http.piped)),
      'shorter (HTTP)': pct(httpShorter),
      'share of ideal overlap': pct(median(shares)),
      'outputs identical': identical ? 'yes' : '**no**',
      'goal >= 20%':
        shape.id === 'planner-24'
          ? shorter >= 0.2 && httpShorter >= 0.2
            ? 'met'
            : '**not met**'
          : '-',
    });
  }
  return rows;
}

/**
 * What pipelining saved over what it could have: the producer's time after its first complete
 * item (when the first item started), against the makespan saved.
 */
function overlapShare(
  plainMs: number,
  piped: {
    durationMs: number;
    steps: readonly { stepId: string; endMs: number }[];
    items: Record<string, readonly { startMs: number }[]>;
  },
): number {
  const producer = piped.steps.find((step) => step.stepId === 'plan')!;
  const first = Math.min(...(piped.items.answers ?? []).map((item) => item.startMs));
  const ideal = producer.endMs - first;
  return ideal > 0 ? (plainMs - piped.durationMs) / ideal : 0;
}

/** Time to the first answer token of a streamed run against `run`'s total, per shape. */
export async function benchFirstToken(seeds: readonly number[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const shape of streamShapes) {
    const total: number[] = [];
    const first: number[] = [];
    for (const seed of seeds) {
      const ran = await runShape(virtualPool(seed), shape, { pipeline: true });
      const streamed = await runShape(virtualPool(seed), shape, { pipeline: true, stream: true });
      total.push(ran.trace.durationMs);
      first.push(answerFirstTokenMs(streamed.trace)!);
    }
    rows.push({
      shape: shape.id,
      "run's total": s(median(total)),
      'stream: first answer token': s(median(first)),
      waited: pct(median(first) / median(total)),
    });
  }
  return rows;
}

/**
 * The cost the perceived-latency objective saves at an equal first-token time: `run`'s plan for
 * a deadline midway between the all-fast and all-cheap makespans, and the streamed plan whose
 * first answer token must come no later than that plan's does; both planned, then run on the
 * virtual clock.
 */
export async function benchPerceivedCost(seeds: readonly number[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const shape of streamShapes) {
    const chain = shape.build(true);
    const pool = virtualPool(1);
    const base = planChain({ chain: chain.definition, pool, input: shape.input });
    const { allFast, allCheap } = base.baselines;
    const runObjective = { deadlineMs: (allFast.durationMs + allCheap.durationMs) / 2 };
    const forRun = planChain({
      chain: chain.definition,
      pool,
      input: shape.input,
      objective: runObjective,
    });
    const firstOfRun = plannedFirstToken(forRun, pool);
    const streamObjective = { deadlineMs: firstOfRun };
    const forStream = planChain({
      chain: chain.definition,
      pool,
      input: shape.input,
      objective: streamObjective,
      answer: { stepId: 'report' },
    });
    const measured = {
      runCost: [] as number[],
      runFirst: [] as number[],
      streamCost: [] as number[],
      streamFirst: [] as number[],
    };
    for (const seed of seeds) {
      const ran = await runShape(virtualPool(seed), shape, {
        pipeline: true,
        objective: runObjective,
      });
      measured.runCost.push(ran.trace.costUsd);
      measured.runFirst.push(answerFirstTokenMs(ran.trace)!);
      const streamed = await runShape(virtualPool(seed), shape, {
        pipeline: true,
        stream: true,
        objective: streamObjective,
      });
      measured.streamCost.push(streamed.trace.costUsd);
      measured.streamFirst.push(answerFirstTokenMs(streamed.trace)!);
    }
    const models = (plan: typeof forRun) =>
      plan.steps.map((step) => `${step.stepId}: ${step.model}`).join(', ');
    rows.push({
      shape: shape.id,
      'run plan (deadline on the end)': `${models(forRun)}; first token ${s(firstOfRun)}, $${forRun.costUsd.toFixed(5)}`,
      'streamed plan (same first token)': `${models(forStream)}; first token ${s(forStream.answer!.firstTokenMs)}, $${forStream.costUsd.toFixed(5)}`,
      'planned cost saved': pct(1 - forStream.costUsd / forRun.costUsd),
      'measured run: first token, cost': `${s(median(measured.runFirst))}, $${median(measured.runCost).toFixed(5)}`,
      'measured stream: first token, cost': `${s(median(measured.streamFirst))}, $${median(measured.streamCost).toFixed(5)}`,
      'measured cost saved': pct(1 - median(measured.streamCost) / median(measured.runCost)),
    });
  }
  return rows;
}

/** A plan's predicted first token of `report`: its start plus its model's first-token time. */
function plannedFirstToken(
  plan: ReturnType<typeof planChain>,
  pool: ReturnType<typeof virtualPool>,
): number {
  const step = plan.step('report')!;
  const profile = pool.get(step.model!).profile;
  const decodeMs = (step.predicted.outputTokens / profile.outputTokensPerSecond) * 1000;
  return step.predicted.startMs + step.predicted.durationMs - decodeMs;
}

export type { StreamShape };
