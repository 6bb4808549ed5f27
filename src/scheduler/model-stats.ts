/** Three points of a measured distribution. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** What one model call measured. */
export interface CallSample {
  readonly model: string;
  /** The endpoint it went to, for a model at several places. */
  readonly endpoint?: string;
  /** The wait for the first token beyond the model's own: the distance to the endpoint. */
  readonly roundTripMs?: number;
  /** `ok`, or how it failed: `rate-limited` for a 429, `error` for anything else. */
  readonly status: 'ok' | 'error' | 'rate-limited';
  /** From the request to the first token, queue wait excluded (successful calls). */
  readonly timeToFirstTokenMs?: number;
  /** Output tokens after the first chunk over the time from it to the end (successful calls). */
  readonly outputTokensPerSecond?: number;
  /** The prompt's input tokens (successful calls): its prefill is in `timeToFirstTokenMs`. */
  readonly inputTokens?: number;
  /** The part of `inputTokens` the provider served from its cache, with no prefill. */
  readonly cachedInputTokens?: number;
}

/**
 * A model's learned distribution of first-token time and output speed, recent calls weighing more.
 * A model whose calls all failed has NaN percentiles and `measured` counts of 0.
 */
export interface ModelStats {
  /** Calls kept, failed ones included: what `errorRate` is a share of. */
  readonly samples: number;
  /**
   * The successful calls each distribution stands on (a call answered in one chunk measures no
   * speed): what thresholds such as `minLearnedSamples` count, not `samples`.
   */
  readonly measured: {
    readonly timeToFirstTokenMs: number;
    readonly outputTokensPerSecond: number;
  };
  /** From the request to the first token: round trip and the prompt's prefill included. */
  readonly timeToFirstTokenMs: Percentiles;
  readonly outputTokensPerSecond: Percentiles;
  /**
   * The uncached input tokens of the calls in `timeToFirstTokenMs` (0 for a sample that did not
   * say), with the same weights: the prefill its percentiles hold is these tokens at the
   * model's prefill speed.
   */
  readonly uncachedInputTokens: Percentiles;
  /** Share of calls that failed, 429s included. */
  readonly errorRate: number;
  /** Share of calls answered with a 429. */
  readonly rateLimitedRate: number;
}

/** One endpoint's learned round trip and first-token time. */
export interface EndpointStats {
  /** Successful calls measured at the endpoint. */
  readonly samples: number;
  /** Measured round trips; NaN percentiles when none was measured. */
  readonly roundTripMs: Percentiles;
  /** From the request to the first token, round trip included. */
  readonly timeToFirstTokenMs: Percentiles;
}

/** How many recent calls per model the distribution keeps. */
export const keptSamples = 500;

/** Each older call weighs this much less than the next: 1% a call, so ~100 calls set the shape. */
const fading = 0.99;

/** Recent call samples per model and their faded percentiles. */
export interface ModelSamples {
  add(sample: CallSample): void;
  stats(model: string): ModelStats | undefined;
  /** The endpoint's distribution, once a successful call there was measured. */
  endpointStats(model: string, endpoint: string): EndpointStats | undefined;
  /** The samples kept, oldest first (what a file store writes when it compacts). */
  recent(): CallSample[];
}

/** `fading ** age` for every age a kept sample can have. */
const weightOfAge = Float64Array.from({ length: keptSamples }, (_, age) => fading ** age);

/**
 * An empty set of samples. Each measure is kept sorted as calls come in (a binary search and a
 * move per call), so a summary is one pass over at most {@link keptSamples} values, not a sort:
 * a runtime asks for one before every plan.
 */
export function createModelSamples(): ModelSamples {
  const byModel = new Map<string, Kept<ModelStats>>();
  const byEndpoint = new Map<string, Kept<EndpointStats>>();
  return {
    add(sample) {
      keep(byModel, sample.model, sample, modelMeasures);
      if (sample.endpoint === undefined || sample.status !== 'ok') return;
      keep(byEndpoint, `${sample.model}\u0000${sample.endpoint}`, sample, endpointMeasures);
    },
    stats: (model) => summary(byModel.get(model), summarise),
    endpointStats: (model, endpoint) =>
      summary(byEndpoint.get(`${model}\u0000${endpoint}`), summariseEndpoint),
    recent: () => [...byModel.values()].flatMap((kept) => kept.list.map((item) => item.sample)),
  };
}

/** What a kept sample contributes to one sorted measure, if anything. */
type Measure = (sample: CallSample) => number | undefined;

const modelMeasures: readonly Measure[] = [
  (sample) => (sample.status === 'ok' ? measureOf(sample.timeToFirstTokenMs) : undefined),
  (sample) => {
    const speed = sample.status === 'ok' ? measureOf(sample.outputTokensPerSecond) : undefined;
    return speed !== undefined && speed > 0 ? speed : undefined;
  },
  // Exactly the samples of the first token's measure, so that the two percentiles line up.
  (sample) => {
    if (sample.status !== 'ok' || measureOf(sample.timeToFirstTokenMs) === undefined)
      return undefined;
    return uncachedInputOf(sample);
  },
];

/** The input tokens of a sample the provider had to read (with prefill); 0 when it did not say. */
export function uncachedInputOf(sample: Pick<CallSample, 'inputTokens' | 'cachedInputTokens'>) {
  const uncached = (sample.inputTokens ?? 0) - (sample.cachedInputTokens ?? 0);
  return Number.isFinite(uncached) ? Math.max(0, uncached) : 0;
}

const endpointMeasures: readonly Measure[] = [
  (sample) => measureOf(sample.roundTripMs),
  (sample) => measureOf(sample.timeToFirstTokenMs),
];

/** One model's (or endpoint's) recent calls, each measure sorted, and the last summary. */
interface Kept<T> {
  /** Oldest first; `seq` counts every call ever added, so a sample's age is `last - seq`. */
  readonly list: { readonly sample: CallSample; readonly seq: number }[];
  readonly measures: readonly Measure[];
  readonly sorted: readonly SortedValues[];
  seq: number;
  /** Whether calls came in since `summary` was made. */
  stale: boolean;
  summary?: T;
}

function keep<T>(
  byKey: Map<string, Kept<T>>,
  key: string,
  sample: CallSample,
  measures: readonly Measure[],
): void {
  let kept = byKey.get(key);
  if (kept === undefined) {
    kept = { list: [], measures, sorted: measures.map(createSortedValues), seq: 0, stale: true };
    byKey.set(key, kept);
  }
  const seq = kept.seq++;
  kept.list.push({ sample, seq });
  for (let m = 0; m < measures.length; m++) {
    const value = measures[m]!(sample);
    if (value !== undefined) kept.sorted[m]!.insert(value, seq);
  }
  if (kept.list.length > keptSamples) {
    const oldest = kept.list.shift()!;
    for (let m = 0; m < measures.length; m++) {
      const value = measures[m]!(oldest.sample);
      if (value !== undefined) kept.sorted[m]!.remove(value, oldest.seq);
    }
  }
  kept.stale = true;
}

function summary<T>(
  kept: Kept<T> | undefined,
  make: (kept: Kept<T>) => T | undefined,
): T | undefined {
  if (kept === undefined) return undefined;
  if (kept.stale) {
    kept.summary = make(kept);
    kept.stale = false;
  }
  return kept.summary;
}

function summarise(kept: Kept<ModelStats>): ModelStats | undefined {
  const { list, sorted } = kept;
  if (list.length === 0) return undefined;
  const [first, speed, uncached] = sorted as [SortedValues, SortedValues, SortedValues];
  const last = kept.seq - 1;
  let failed = 0;
  let limited = 0;
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const { sample, seq } = list[i]!;
    const weight = weightOfAge[last - seq]!;
    total += weight;
    if (sample.status !== 'ok') failed += weight;
    if (sample.status === 'rate-limited') limited += weight;
  }
  return {
    samples: list.length,
    measured: { timeToFirstTokenMs: first.size, outputTokensPerSecond: speed.size },
    timeToFirstTokenMs: first.percentiles(last),
    outputTokensPerSecond: speed.percentiles(last),
    uncachedInputTokens: uncached.percentiles(last),
    errorRate: failed / total,
    rateLimitedRate: limited / total,
  };
}

function summariseEndpoint(kept: Kept<EndpointStats>): EndpointStats | undefined {
  if (kept.list.length === 0) return undefined;
  const last = kept.seq - 1;
  const [trip, first] = kept.sorted as [SortedValues, SortedValues];
  return {
    samples: kept.list.length,
    roundTripMs: trip.percentiles(last),
    timeToFirstTokenMs: first.percentiles(last),
  };
}

function measureOf(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Values in ascending order (ties oldest first), each with the `seq` of its call. */
interface SortedValues {
  readonly size: number;
  insert(value: number, seq: number): void;
  remove(value: number, seq: number): void;
  /** Faded percentiles, as {@link percentiles} gives them, with `last` the newest call's `seq`. */
  percentiles(last: number): Percentiles;
}

function createSortedValues(): SortedValues {
  let values = new Float64Array(32);
  let seqs = new Float64Array(32);
  let size = 0;
  // The first index whose value is above `value`: equal values stay in the order they came.
  const after = (value: number) => {
    let low = 0;
    let high = size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (values[mid]! <= value) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return {
    get size() {
      return size;
    },
    insert(value, seq) {
      if (size === values.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
        const grownSeqs = new Float64Array(seqs.length * 2);
        grownSeqs.set(seqs);
        seqs = grownSeqs;
      }
      const at = after(value);
      values.copyWithin(at + 1, at, size);
      seqs.copyWithin(at + 1, at, size);
      values[at] = value;
      seqs[at] = seq;
      size++;
    },
    remove(value, seq) {
      let at = after(value) - 1;
      while (at >= 0 && values[at] === value && seqs[at] !== seq) at--;
      if (at < 0 || values[at] !== value) return;
      values.copyWithin(at, at + 1, size);
      seqs.copyWithin(at, at + 1, size);
      size--;
    },
    percentiles(last) {
      if (size === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN };
      let total = 0;
      for (let i = 0; i < size; i++) total += weightOfAge[last - seqs[i]!]!;
      const shares = [0.5, 0.9, 0.99];
      const found = [values[size - 1]!, values[size - 1]!, values[size - 1]!];
      let next = 0;
      let seen = 0;
      for (let i = 0; i < size && next < shares.length; i++) {
        seen += weightOfAge[last - seqs[i]!]!;
        while (next < shares.length && seen >= shares[next]! * total - 1e-12)
          found[next++] = values[i]!;
      }
      return { p50: found[0]!, p90: found[1]!, p99: found[2]! };
    },
  };
}

/** Weighted percentiles: the smallest value whose cumulative weight reaches the share. */
export function percentiles(values: [number, number][]): Percentiles {
  if (values.length === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN };
  const sorted = [...values].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, weight]) => sum + weight, 0);
  const at = (share: number) => {
    let seen = 0;
    for (const [value, weight] of sorted) {
      seen += weight;
      if (seen >= share * total - 1e-12) return value;
    }
    return sorted[sorted.length - 1]![0];
  };
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}
