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
  /** Output tokens over the time from the first token to the end (successful calls). */
  readonly outputTokensPerSecond?: number;
}

/** A model's learned distribution of first-token time and output speed, recent calls weighing more. */
export interface ModelStats {
  /** Calls measured (successful ones count towards the percentiles). */
  readonly samples: number;
  readonly timeToFirstTokenMs: Percentiles;
  readonly outputTokensPerSecond: Percentiles;
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

/** An empty set of samples. */
export function createModelSamples(): ModelSamples {
  const byModel = new Map<string, CallSample[]>();
  const cache = new Map<string, ModelStats | undefined>();
  const byEndpoint = new Map<string, CallSample[]>();
  const endpointCache = new Map<string, EndpointStats | undefined>();
  return {
    add(sample) {
      const list = byModel.get(sample.model) ?? [];
      list.push(sample);
      if (list.length > keptSamples) list.splice(0, list.length - keptSamples);
      byModel.set(sample.model, list);
      cache.delete(sample.model);
      if (sample.endpoint === undefined || sample.status !== 'ok') return;
      const key = `${sample.model}\u0000${sample.endpoint}`;
      const at = byEndpoint.get(key) ?? [];
      at.push(sample);
      if (at.length > keptSamples) at.splice(0, at.length - keptSamples);
      byEndpoint.set(key, at);
      endpointCache.delete(key);
    },
    stats(model) {
      if (!cache.has(model)) cache.set(model, summarise(byModel.get(model)));
      return cache.get(model);
    },
    endpointStats(model, endpoint) {
      const key = `${model}\u0000${endpoint}`;
      if (!endpointCache.has(key)) endpointCache.set(key, summariseEndpoint(byEndpoint.get(key)));
      return endpointCache.get(key);
    },
    recent: () => [...byModel.values()].flat(),
  };
}

function summarise(list: readonly CallSample[] | undefined): ModelStats | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const first: [number, number][] = [];
  const speed: [number, number][] = [];
  let failed = 0;
  let limited = 0;
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const sample = list[i]!;
    const weight = fading ** (list.length - 1 - i);
    total += weight;
    if (sample.status !== 'ok') failed += weight;
    if (sample.status === 'rate-limited') limited += weight;
    if (sample.status !== 'ok') continue;
    if (isMeasure(sample.timeToFirstTokenMs)) first.push([sample.timeToFirstTokenMs, weight]);
    if (isMeasure(sample.outputTokensPerSecond) && sample.outputTokensPerSecond > 0)
      speed.push([sample.outputTokensPerSecond, weight]);
  }
  if (first.length === 0 && speed.length === 0) return undefined;
  return {
    samples: list.length,
    timeToFirstTokenMs: percentiles(first),
    outputTokensPerSecond: percentiles(speed),
    errorRate: failed / total,
    rateLimitedRate: limited / total,
  };
}

function summariseEndpoint(list: readonly CallSample[] | undefined): EndpointStats | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const trip: [number, number][] = [];
  const first: [number, number][] = [];
  for (let i = 0; i < list.length; i++) {
    const sample = list[i]!;
    const weight = fading ** (list.length - 1 - i);
    if (isMeasure(sample.roundTripMs)) trip.push([sample.roundTripMs, weight]);
    if (isMeasure(sample.timeToFirstTokenMs)) first.push([sample.timeToFirstTokenMs, weight]);
  }
  return {
    samples: list.length,
    roundTripMs: percentiles(trip),
    timeToFirstTokenMs: percentiles(first),
  };
}

function isMeasure(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value >= 0;
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
