import type { StepNode } from '../chain';
import {
  type CallSample,
  createModelSamples,
  type EndpointStats,
  type ModelStats,
} from './model-stats';

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
  /** The model's learned first-token and speed distribution, once it has measured calls. */
  modelStats?(model: string): ModelStats | undefined;
  /**
   * A number that changes whenever the store learns something: a runtime reuses a plan while it
   * has not changed, and plans every run afresh with a store that has no `version`.
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

/** An {@link EstimateStore} in a `Map`; share one across runs so later runs learn from earlier. */
export function createMemoryEstimateStore(): MemoryEstimateStore {
  const entries = new Map<string, StepEstimateRecord>();
  const calls = createModelSamples();
  let version = 0;
  return {
    get: (key) => entries.get(keyOf(key)),
    put: (key, estimate) => {
      entries.set(keyOf(key), estimate);
      version++;
    },
    record: (key, sample) => {
      entries.set(keyOf(key), blendSample(entries.get(keyOf(key)), sample));
      version++;
    },
    recordCall: (sample) => {
      calls.add(sample);
      version++;
    },
    modelStats: (model) => calls.stats(model),
    endpointStats: (model, endpoint) => calls.endpointStats(model, endpoint),
    recentCalls: () => calls.recent(),
    version: () => version,
  };
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
  /** For a map: how many items ran. @default 1 */
  readonly items?: number;
}

/**
 * Weight of a new measurement once an estimate has seen a few: recent runs count more, so the
 * estimate follows a prompt or provider that changes, while one outlier moves it only by a fifth.
 */
const smoothing = 0.2;

/**
 * Blends one step's measurement into the moving estimates for the step on its model and on any
 * model: the one call a runtime makes when a step ends. Tokens become per call and the duration
 * per wave, so the scheduler can scale them to another item count.
 *
 * @example
 * ```ts
 * recordStep(history, { chain: 'research', step, model: 'mercury-2', durationMs: 812,
 *   inputTokens: 950, outputTokens: 480 });
 * ```
 */
export function recordStep(store: EstimateStore, measurement: StepMeasurement): void {
  const { chain, step, model } = measurement;
  const items = Math.max(1, measurement.items ?? 1);
  const waves = step.kind === 'map' ? Math.ceil(items / (step.concurrency ?? 1)) : 1;
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
