import { canonicalModelId, findProfile } from '../../models/catalog';
import { callSample } from '../../runtime/feed-history';
import { prefillMs } from '../../scheduler/learned-pool';
import { percentiles, uncachedInputOf } from '../../scheduler/model-stats';
import type { StepFallbackEvent, StepRetryEvent } from '../../tracing/events';
import type { LoggedRun } from '../../tracing/log/parse-log';
import type { StepRecord } from '../../tracing/records';

/**
 * The middle and the slow end of a measured distribution (`null` with nothing measured), and how
 * many calls measured it.
 */
export interface MeasuredSpread {
  readonly p50: number | null;
  readonly p90: number | null;
  readonly samples: number;
}

/** What the trace logs say one model did, beside what the catalog says it does. */
export interface ModelCalibration {
  /** Calls measured: successful ones, and every failed attempt (retried, fallen back, final). */
  readonly samples: number;
  /** Calls that answered; some measure no first token or speed (an answer in one chunk). */
  readonly ok: number;
  /** From the request to the first token, queue wait left out (successful calls). */
  readonly timeToFirstTokenMs: MeasuredSpread;
  /**
   * The same less each call's prefill (its uncached input at the catalog's prefill speed): the
   * model's own first token with the round trip, which `--out` writes less the round trip
   * (plans add both back). `null`s for a model not in the catalog.
   */
  readonly firstTokenLessPrefillMs: MeasuredSpread;
  /** Output tokens per second from the first token to the end (successful calls). */
  readonly outputTokensPerSecond: MeasuredSpread;
  /** Share of the calls that failed, 429s included. */
  readonly errorRate: number;
  /** Share of the calls answered with a 429. */
  readonly rateLimitedRate: number;
  /**
   * The catalog's figures in the same terms (first token with the round trip), when the model is
   * in the catalog.
   */
  readonly catalog?: {
    readonly timeToFirstTokenMs: number;
    readonly outputTokensPerSecond: number;
  };
}

/**
 * Every model's calibration, and what it was measured from. Models go by their catalog id: calls
 * logged under an old id (`deepseek-v4-flash`) count for the model it now names.
 */
export interface Calibration {
  readonly runs: number;
  readonly calls: number;
  readonly models: Readonly<Record<string, ModelCalibration>>;
}

interface Tally {
  ok: number;
  failed: number;
  limited: number;
  first: [number, number][];
  lessPrefill: [number, number][];
  speed: [number, number][];
}

/**
 * Measures every model the runs called: each successful call's first token and speed (as the
 * runtime feeds its estimate store, map items one by one), and each failed attempt from the
 * `step:retry` and `step:fallback` lines and failed records. Resumed and cached records are not
 * calls and are left out.
 */
export function measureModels(runs: readonly LoggedRun[]): Calibration {
  const tallies = new Map<string, Tally>();
  const tally = (model: string) => {
    const id = canonicalModelId(model);
    let found = tallies.get(id);
    if (found === undefined) {
      found = { ok: 0, failed: 0, limited: 0, first: [], lessPrefill: [], speed: [] };
      tallies.set(id, found);
    }
    return found;
  };
  for (const run of runs) {
    for (const line of run.lines) {
      if (line.event === 'step:retry') {
        const retry = line.data as unknown as StepRetryEvent;
        if (typeof retry.model === 'string') failed(tally(retry.model), retry.reason);
      } else if (line.event === 'step:fallback') {
        const fallback = line.data as unknown as StepFallbackEvent;
        const failure = fallbackFailure(fallback);
        if (typeof fallback.from === 'string' && failure !== undefined)
          failed(tally(fallback.from), failure);
      } else if (line.event === 'step:end') {
        measureRecord(line.data as unknown as StepRecord, tally);
      }
    }
  }
  const models: Record<string, ModelCalibration> = {};
  let calls = 0;
  for (const [model, { ok, failed, limited, first, lessPrefill, speed }] of [...tallies].sort()) {
    const samples = ok + failed;
    calls += samples;
    const profile = findProfile(model);
    models[model] = {
      samples,
      ok,
      timeToFirstTokenMs: spread(first),
      firstTokenLessPrefillMs: spread(lessPrefill),
      outputTokensPerSecond: spread(speed),
      errorRate: samples === 0 ? 0 : failed / samples,
      rateLimitedRate: samples === 0 ? 0 : limited / samples,
      ...(profile && {
        catalog: {
          timeToFirstTokenMs: profile.roundTripMs + profile.timeToFirstTokenMs,
          outputTokensPerSecond: profile.outputTokensPerSecond,
        },
      }),
    };
  }
  return { runs: runs.length, calls, models };
}

/**
 * How the call a fallback gave up on failed; none for a fallback past an open circuit, which made
 * no call. Logs written before fallbacks said so are read from the reason: a Retry-After too
 * long to wait is a 429's.
 */
function fallbackFailure(fallback: StepFallbackEvent): string | undefined {
  if (fallback.failure !== undefined) return fallback.failure;
  if (typeof fallback.reason !== 'string' || fallback.reason.includes('circuit')) return undefined;
  return fallback.reason.startsWith('Retry-After') ? 'rate-limit' : 'error';
}

function failed(tally: Tally, reason: string | undefined): void {
  tally.failed += 1;
  if (reason === 'rate-limit') tally.limited += 1;
}

function measureRecord(record: StepRecord, tally: (model: string) => Tally): void {
  if (typeof record?.model !== 'string' || record.kind === 'fn') return;
  if (record.source !== undefined && record.source !== 'call') return;
  // A map's own record sums its items, which have records of their own.
  if (record.items !== undefined) return;
  if (record.status !== 'ok') {
    // The last attempt of a failed step (earlier ones were retry or fallback lines); a step
    // stopped before its first attempt made no call.
    if (record.attempt >= 1) failed(tally(record.model), record.failure);
    return;
  }
  const entry = tally(record.model);
  entry.ok += 1;
  const sample = callSample(record);
  if (sample?.timeToFirstTokenMs !== undefined) {
    entry.first.push([sample.timeToFirstTokenMs, 1]);
    const profile = findProfile(record.model);
    if (profile) {
      const prefill = prefillMs(profile, uncachedInputOf(sample));
      entry.lessPrefill.push([sample.timeToFirstTokenMs - prefill, 1]);
    }
  }
  if (sample?.outputTokensPerSecond !== undefined)
    entry.speed.push([sample.outputTokensPerSecond, 1]);
}

function spread(values: [number, number][]): MeasuredSpread {
  if (values.length === 0) return { p50: null, p90: null, samples: 0 };
  const { p50, p90 } = percentiles(values);
  return { p50, p90, samples: values.length };
}
