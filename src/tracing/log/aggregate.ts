import type { RunTrace, StepRecord } from '../records';
import { modelCallsOf } from '../totals/model-calls';
import { callRecords } from '../totals/units';
import type { LoggedRun } from './parse-log';

/** The median and the 95th percentile of some values (nearest rank). */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
}

/** One step across runs: how long it took and what it cost. */
export interface StepAggregate {
  readonly stepId: string;
  readonly runs: number;
  readonly durationMs: Percentiles;
  readonly costUsd: Percentiles;
  readonly errors: number;
  readonly retries: number;
  /** 429 answers: retries for a rate limit, and switches away from one (`Retry-After` too long). */
  readonly rateLimited: number;
  /** Switches from one model to the next. */
  readonly fallbacks: number;
}

/** One model across runs, per call. */
export interface ModelAggregate {
  readonly model: string;
  /**
   * The calls the model was sent; records read back from a run's journal or the development
   * cache, and calls the budget refused, made none and are left out of every figure here.
   */
  readonly calls: number;
  readonly durationMs: Percentiles;
  readonly timeToFirstTokenMs?: Percentiles;
  readonly costUsd: Percentiles;
  readonly totalCostUsd: number;
  readonly errors: number;
  readonly retries: number;
  /** 429 answers from this model (see {@link StepAggregate.rateLimited}). */
  readonly rateLimited: number;
  /** Switches away from this model. */
  readonly fallbacks: number;
}

/** Many runs of one chain, summed up. */
export interface ChainAggregate {
  readonly chain: string;
  readonly runs: number;
  readonly failed: number;
  readonly durationMs: Percentiles;
  readonly costUsd: Percentiles;
  readonly totalCostUsd: number;
  readonly steps: readonly StepAggregate[];
  readonly models: readonly ModelAggregate[];
}

/** The value at percentile `p` (0-1) of `values`, by nearest rank; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const percentiles = (values: readonly number[]): Percentiles => ({
  p50: percentile(values, 0.5),
  p95: percentile(values, 0.95),
});

/**
 * Aggregates runs per chain: p50/p95 wall time and cost per run, per step and per model call,
 * errors and retries. Runs that never ended (no trace) are left out.
 */
export function aggregateRuns(runs: readonly LoggedRun[]): ChainAggregate[] {
  const byChain = new Map<string, LoggedRun[]>();
  for (const run of runs) {
    if (run.trace === undefined) continue;
    const list = byChain.get(run.trace.chain) ?? [];
    list.push(run);
    byChain.set(run.trace.chain, list);
  }
  return [...byChain].map(([chain, list]) => aggregateChain(chain, list));
}

function aggregateChain(chain: string, runs: readonly LoggedRun[]): ChainAggregate {
  const traces = runs.map((run) => run.trace!);
  type Counts = { errors: number; retries: number; rateLimited: number; fallbacks: number };
  const counts = (): Counts => ({ errors: 0, retries: 0, rateLimited: 0, fallbacks: 0 });
  const steps = new Map<string, { durations: number[]; costs: number[] } & Counts>();
  const models = new Map<
    string,
    { durations: number[]; ttfts: number[]; costs: number[] } & Counts
  >();
  // A model that only failed over (no record of its own in the run) still gets its counts.
  const modelEntry = (model: string) => {
    let entry = models.get(model);
    if (entry === undefined) {
      entry = { durations: [], ttfts: [], costs: [], ...counts() };
      models.set(model, entry);
    }
    return entry;
  };
  for (const run of runs) {
    const trace = run.trace!;
    const retryLines = run.lines.filter((line) => line.event === 'step:retry');
    for (const record of trace.steps) {
      const entry = steps.get(record.stepId) ?? { durations: [], costs: [], ...counts() };
      entry.durations.push(record.durationMs);
      entry.costs.push(record.costUsd);
      if (record.status === 'error') entry.errors += 1;
      steps.set(record.stepId, entry);
    }
    for (const call of callRecords(trace.steps, trace.items)) {
      // Records read back (resumed, cached) and calls the budget refused made no call.
      if (call.model === undefined || call.kind !== 'llm' || modelCallsOf(call) === 0) continue;
      const entry = models.get(call.model) ?? { durations: [], ttfts: [], costs: [], ...counts() };
      entry.durations.push(call.durationMs);
      if (call.timeToFirstTokenMs !== undefined) entry.ttfts.push(call.timeToFirstTokenMs);
      entry.costs.push(call.costUsd);
      if (call.status === 'error') entry.errors += 1;
      // Without retry lines (a trace from elsewhere), the records' attempt counts stand in.
      if (retryLines.length === 0) {
        const retries = retriesOfCall(call);
        entry.retries += retries;
        const step = steps.get(call.stepId);
        if (step) step.retries += retries;
      }
      models.set(call.model, entry);
    }
    for (const line of retryLines) {
      const { stepId, model, reason } = line.data as {
        stepId?: string;
        model?: string;
        reason?: string;
      };
      const step = stepId === undefined ? undefined : steps.get(stepId);
      const entry = model === undefined ? undefined : modelEntry(model);
      for (const target of [step, entry]) {
        if (target === undefined) continue;
        target.retries += 1;
        if (reason === 'rate-limit') target.rateLimited += 1;
      }
    }
    for (const line of run.lines) {
      if (line.event !== 'step:fallback') continue;
      const { stepId, from, reason } = line.data as {
        stepId?: string;
        from?: string;
        reason?: string;
      };
      // A 429 whose Retry-After outlasts the switch is not retried: its fallback says so.
      const rateLimited = typeof reason === 'string' && reason.startsWith('Retry-After') ? 1 : 0;
      const step = stepId === undefined ? undefined : steps.get(stepId);
      const entry = from === undefined ? undefined : modelEntry(from);
      for (const target of [step, entry]) {
        if (target === undefined) continue;
        target.fallbacks += 1;
        target.rateLimited += rateLimited;
      }
    }
  }
  return {
    chain,
    runs: traces.length,
    failed: traces.filter((trace) => trace.status === 'error').length,
    durationMs: percentiles(traces.map((trace) => trace.durationMs)),
    costUsd: percentiles(traces.map((trace) => trace.costUsd)),
    totalCostUsd: sum(traces.map((trace) => trace.costUsd)),
    steps: [...steps].map(([stepId, entry]) => ({
      stepId,
      runs: entry.durations.length,
      durationMs: percentiles(entry.durations),
      costUsd: percentiles(entry.costs),
      errors: entry.errors,
      retries: entry.retries,
      rateLimited: entry.rateLimited,
      fallbacks: entry.fallbacks,
    })),
    models: [...models].map(([model, entry]) => ({
      model,
      calls: entry.durations.length,
      durationMs: percentiles(entry.durations),
      timeToFirstTokenMs: entry.ttfts.length > 0 ? percentiles(entry.ttfts) : undefined,
      costUsd: percentiles(entry.costs),
      totalCostUsd: sum(entry.costs),
      errors: entry.errors,
      retries: entry.retries,
      rateLimited: entry.rateLimited,
      fallbacks: entry.fallbacks,
    })),
  };
}

function retriesOfCall(call: StepRecord): number {
  return call.retries ?? Math.max(0, call.attempt - 1);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** A run's trace as a logged run (for aggregating traces held in memory). */
export function loggedRunOf(trace: RunTrace): LoggedRun {
  return {
    runId: trace.runId,
    chain: trace.chain,
    startedAt: trace.startedAt,
    trace,
    lines: [],
    retries: 0,
    fallbacks: 0,
    hedges: 0,
  };
}
