import type { StepNode } from '../chain';
import { checkMeasurement } from './check-measurement';
import { minLearnedSamples } from './learned-pool';
import {
  type CallSample,
  createModelSamples,
  type EndpointStats,
  type ModelStats,
  type Percentiles,
} from './model-stats';
import { minSpreadSamples } from './spread';

/** Which step, and optionally which model, an estimate belongs to. */
export interface EstimateKey {
  readonly chain: string;
  readonly stepId: string;
  /** Absent: the step on any model (its tokens depend little on the model). */
  readonly model?: string;
}

/** A moving estimate of one call of a step (one item, for a map). */
export interface StepEstimateRecord {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Duration of one call (one wave, for a map), in milliseconds. */
  readonly durationMs: number;
  /** The part of `inputTokens` the provider served from its cache. @default 0 */
  readonly cachedInputTokens?: number;
  /** How many measurements the estimate has seen. */
  readonly samples: number;
}

/**
 * Where moving estimates live between runs. Synchronous because planning is pure and fast: a
 * persistent store loads its entries up front and writes behind.
 */
export interface EstimateStore {
  get(key: EstimateKey): StepEstimateRecord | undefined;
  put(key: EstimateKey, estimate: StepEstimateRecord): void;
  /**
   * Blends one measurement into the estimate at `key` and keeps it (a persistent store keeps the
   * sample, so that runs of other processes merge rather than overwrite). `recordStep` uses it
   * when present, else `get` and `put`.
   */
  record?(key: EstimateKey, sample: StepSample): void;
  /** Adds one measured model call to the model's distribution. */
  recordCall?(sample: CallSample): void;
  /**
   * The model's learned first-token and speed distribution and error rates, once a call of it
   * was recorded (NaN percentiles while none succeeded).
   */
  modelStats?(model: string): ModelStats | undefined;
  /**
   * A number that changes when what the store tells a planner moves (the memory and file stores:
   * a figure more than 2% and 1 ms or token away from what it was at the last change): a runtime
   * reuses a plan while it has not changed, and plans every run afresh with a store that has no
   * `version`.
   */
  version?(): number;
  /** An endpoint's learned round trip and first token, for a model at several places. */
  endpointStats?(model: string, endpoint: string): EndpointStats | undefined;
}

/** One measurement of a step, per call (per item, for a map; per wave for the duration). */
export type StepSample = Omit<StepEstimateRecord, 'samples'>;

/** The memory store, with the call samples it keeps (what a file store snapshots). */
export interface MemoryEstimateStore extends EstimateStore {
  recentCalls(): CallSample[];
}

/**
 * An {@link EstimateStore} in a `Map`; share one across runs so later runs learn from earlier.
 * Its `version` moves when a figure a plan reads moves by more than 2% (see {@link moved}), so a
 * runtime reuses its plan while runs only confirm what the store knows.
 */
export function createMemoryEstimateStore(): MemoryEstimateStore {
  const entries = new Map<string, StepEstimateRecord>();
  const calls = createModelSamples();
  // What the store had when `version` last moved: later figures are compared with these.
  const shown = new Map<string, StepEstimateRecord>();
  const shownStats = new Map<string, ModelStats | EndpointStats | undefined>();
  let version = 0;
  const learn = (key: string, next: StepEstimateRecord) => {
    entries.set(key, next);
    if (!moved(shown.get(key), next)) return;
    shown.set(key, next);
    version++;
  };
  // Calls change the version when asked for it: one summary per model per plan, not per call.
  const unchecked = new Map<string, CallSample>();
  const learnStats = (key: string, next: ModelStats | EndpointStats | undefined) => {
    if (!statsMoved(shownStats.get(key), next)) return;
    shownStats.set(key, next);
    version++;
  };
  return {
    get: (key) => entries.get(keyOf(key)),
    put: (key, estimate) => learn(keyOf(key), estimate),
    record: (key, sample) => {
      const at = keyOf(key);
      learn(at, blendSample(entries.get(at), sample));
    },
    recordCall: (sample) => {
      calls.add(sample);
      unchecked.set(
        sample.endpoint === undefined ? sample.model : `${sample.model}\u0000${sample.endpoint}`,
        sample,
      );
    },
    modelStats: (model) => calls.stats(model),
    endpointStats: (model, endpoint) => calls.endpointStats(model, endpoint),
    recentCalls: () => calls.recent(),
    version: () => {
      for (const sample of unchecked.values()) {
        learnStats(sample.model, calls.stats(sample.model));
        if (sample.endpoint !== undefined)
          learnStats(
            `${sample.model}\u0000${sample.endpoint}`,
            calls.endpointStats(sample.model, sample.endpoint),
          );
      }
      unchecked.clear();
      return version;
    },
  };
}

/** A change in a figure a plan reads, beyond which a store's `version` moves: 2%. */
const materialShare = 0.02;

function differs(before: number | undefined, after: number | undefined, floor = 1): boolean {
  if (before === undefined || after === undefined) return before !== after;
  if (Number.isNaN(before) || Number.isNaN(after))
    return Number.isNaN(before) !== Number.isNaN(after);
  return Math.abs(after - before) > Math.max(floor, materialShare * Math.abs(before));
}

/**
 * Whether `next` tells a planner something `shown` did not: a new key, or tokens, duration or
 * cached share more than 2% (and a token or a millisecond) away.
 */
export function moved(shown: StepEstimateRecord | undefined, next: StepEstimateRecord): boolean {
  if (shown === undefined) return true;
  return (
    differs(shown.inputTokens, next.inputTokens) ||
    differs(shown.outputTokens, next.outputTokens) ||
    differs(shown.durationMs, next.durationMs) ||
    differs(shown.cachedInputTokens ?? 0, next.cachedInputTokens ?? 0)
  );
}

/** Speeds as the milliseconds 1,000 tokens take: what a faster speed changes in a plan. */
function perThousand(speed: Percentiles): Percentiles {
  return { p50: 1e6 / speed.p50, p90: 1e6 / speed.p90, p99: 1e6 / speed.p99 };
}

function statsMoved(
  shown: ModelStats | EndpointStats | undefined,
  next: ModelStats | EndpointStats | undefined,
): boolean {
  if (shown === undefined || next === undefined) return shown !== next;
  // Plans switch to learned speeds at `minLearnedSamples` measured calls and to learned spreads
  // at `minSpreadSamples`: crossing either is news (failed calls measure nothing).
  const before = measuredCounts(shown);
  const after = measuredCounts(next);
  for (let i = 0; i < after.length; i++) {
    const crossed = (at: number) => before[i]! < at && after[i]! >= at;
    if (after[i] !== before[i] && (after[i]! <= minLearnedSamples || crossed(minSpreadSamples)))
      return true;
  }
  // The p50 and p90 are what plans read (the p99 of a few hundred calls is mostly noise).
  const spread = (a: Percentiles, b: Percentiles, floor: number) =>
    differs(a.p50, b.p50, floor) || differs(a.p90, b.p90, floor);
  if (spread(shown.timeToFirstTokenMs, next.timeToFirstTokenMs, 1)) return true;
  if ('roundTripMs' in shown && 'roundTripMs' in next)
    return spread(shown.roundTripMs, next.roundTripMs, 1);
  if ('outputTokensPerSecond' in shown && 'outputTokensPerSecond' in next)
    return (
      spread(
        perThousand(shown.outputTokensPerSecond),
        perThousand(next.outputTokensPerSecond),
        1,
      ) ||
      differs(shown.errorRate, next.errorRate, 0.005) ||
      differs(shown.rateLimitedRate, next.rateLimitedRate, 0.005)
    );
  return false;
}

/** The successful calls each learned figure stands on. */
function measuredCounts(stats: ModelStats | EndpointStats): readonly number[] {
  return 'measured' in stats
    ? [stats.measured.timeToFirstTokenMs, stats.measured.outputTokensPerSecond]
    : [stats.samples];
}

// A separator that cannot occur in a step name keeps `a|b` + `c` apart from `a` + `b|c`.
export function keyOf({ chain, stepId, model }: EstimateKey): string {
  return `${chain}\u0000${stepId}\u0000${model ?? '*'}`;
}

/** What the runtime measured when a step ended. */
export interface StepMeasurement {
  readonly chain: string;
  readonly step: StepNode;
  /** The model it ran on; absent for `fn` steps. */
  readonly model?: string;
  /** Wall time of the whole step (all its items, for a map). */
  readonly durationMs: number;
  /** Tokens of all its calls together. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The part of `inputTokens` served from the provider's cache. @default 0 */
  readonly cachedInputTokens?: number;
  /** For a map: how many items ran. A map of none teaches nothing. @default 1 */
  readonly items?: number;
  /**
   * For a map: how many of its items could run at once, the step's `concurrency` or the model's
   * `rateLimits.concurrency` when lower. The duration is stored per wave of this many items, the
   * waves the scheduler multiplies it by again. @default the step's `concurrency`
   */
  readonly concurrency?: number;
}

/**
 * Weight of a new measurement once an estimate has seen a few: recent runs count more, so the
 * estimate follows a prompt or provider that changes, while one outlier moves it only by a fifth.
 */
const smoothing = 0.2;

/**
 * Blends one step's measurement into the moving estimates for the step on its model and on any
 * model: the one call a runtime makes when a step ends. Tokens become per call and the duration
 * per wave, so the scheduler can scale them to another item count; a map of no items teaches
 * nothing. Throws an `InvalidArgumentError` naming the field when a figure is not a finite number
 * from 0 up (`items` a whole number, `concurrency` one from 1 up), or `step` is not a step node.
 *
 * @example
 * ```ts
 * recordStep(history, { chain: 'research', step, model: 'mercury-2', durationMs: 812,
 *   inputTokens: 950, outputTokens: 480 });
 * ```
 */
export function recordStep(store: EstimateStore, measurement: StepMeasurement): void {
  checkMeasurement(measurement);
  const { chain, step, model } = measurement;
  const items = measurement.items ?? 1;
  // No item ran: there is no call to divide by, and 0 tokens and 0 ms are no item's cost.
  if (items === 0) return;
  const concurrency = measurement.concurrency ?? step.concurrency ?? 1;
  const waves = step.kind === 'map' ? Math.ceil(items / concurrency) : 1;
  const sample: StepSample = {
    inputTokens: measurement.inputTokens / items,
    outputTokens: measurement.outputTokens / items,
    durationMs: measurement.durationMs / waves,
    cachedInputTokens: (measurement.cachedInputTokens ?? 0) / items,
  };
  const keys: EstimateKey[] = [{ chain, stepId: step.id }];
  if (model !== undefined) keys.push({ chain, stepId: step.id, model });
  for (const key of keys) {
    if (store.record) store.record(key, sample);
    else store.put(key, blendSample(store.get(key), sample));
  }
}

/** `previous` with one more sample: a plain mean over the first few, then exponential smoothing. */
export function blendSample(
  previous: StepEstimateRecord | undefined,
  sample: StepSample,
): StepEstimateRecord {
  if (previous === undefined)
    return { ...sample, cachedInputTokens: sample.cachedInputTokens ?? 0, samples: 1 };
  // A plain mean over the first few samples, then exponential smoothing.
  const weight = Math.max(smoothing, 1 / (previous.samples + 1));
  const mix = (old: number, next: number) => old + weight * (next - old);
  return {
    inputTokens: mix(previous.inputTokens, sample.inputTokens),
    outputTokens: mix(previous.outputTokens, sample.outputTokens),
    durationMs: mix(previous.durationMs, sample.durationMs),
    cachedInputTokens: mix(previous.cachedInputTokens ?? 0, sample.cachedInputTokens ?? 0),
    samples: previous.samples + 1,
  };
}
