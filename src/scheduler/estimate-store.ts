import type { StepNode } from '../chain';

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
}

/** An {@link EstimateStore} in a `Map`; share one across runs so later runs learn from earlier. */
export function createMemoryEstimateStore(): EstimateStore {
  const entries = new Map<string, StepEstimateRecord>();
  return {
    get: (key) => entries.get(keyOf(key)),
    put: (key, estimate) => {
      entries.set(keyOf(key), estimate);
    },
  };
}

// A separator that cannot occur in a step name keeps `a|b` + `c` apart from `a` + `b|c`.
function keyOf({ chain, stepId, model }: EstimateKey): string {
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
  const sample = {
    inputTokens: measurement.inputTokens / items,
    outputTokens: measurement.outputTokens / items,
    durationMs: measurement.durationMs / waves,
  };
  const keys: EstimateKey[] = [{ chain, stepId: step.id }];
  if (model !== undefined) keys.push({ chain, stepId: step.id, model });
  for (const key of keys) store.put(key, blend(store.get(key), sample));
}

function blend(
  previous: StepEstimateRecord | undefined,
  sample: Omit<StepEstimateRecord, 'samples'>,
): StepEstimateRecord {
  if (previous === undefined) return { ...sample, samples: 1 };
  // A plain mean over the first few samples, then exponential smoothing.
  const weight = Math.max(smoothing, 1 / (previous.samples + 1));
  const mix = (old: number, next: number) => old + weight * (next - old);
  return {
    inputTokens: mix(previous.inputTokens, sample.inputTokens),
    outputTokens: mix(previous.outputTokens, sample.outputTokens),
    durationMs: mix(previous.durationMs, sample.durationMs),
    samples: previous.samples + 1,
  };
}
