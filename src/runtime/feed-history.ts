import type { EstimateStore } from '../scheduler/estimate-store';
import type { CallSample } from '../scheduler/model-stats';
import type { EventHub } from '../tracing/event-hub';
import type { RetryReason } from '../tracing/events';
import type { StepRecord } from '../tracing/records';

/**
 * Feeds every measured model call of every run into the history's per-model distributions:
 * first token and output speed of each successful call (a map's items one by one), and each
 * failed attempt (429s apart), so that the planner sees error rates too. Failures are counted as
 * `hotpath calibrate` counts them: each retried attempt (`step:retry`), each given up by a
 * fallback (`step:fallback`), and the last attempt of a failed step (its record). A store
 * without `recordCall` learns per step only.
 */
export function feedHistory(hub: EventHub, history: EstimateStore): void {
  const record = history.recordCall?.bind(history);
  if (record === undefined) return;
  hub.on('step:end', (step) => {
    const sample = callSample(step) ?? failedCall(step);
    if (sample) record(sample);
  });
  hub.on('step:retry', (retry) => record(failure(retry.model, retry.reason)));
  hub.on('step:fallback', (fallback) => {
    // No failure: the fallback passed an open circuit, and no call was made.
    if (fallback.failure !== undefined) record(failure(fallback.from, fallback.failure));
  });
}

function failure(model: string, reason: RetryReason | undefined): CallSample {
  return { model, status: reason === 'rate-limit' ? 'rate-limited' : 'error' };
}

/**
 * The last attempt of a failed step (earlier ones were retries or fallbacks); none for code, a
 * map's total, a record not made by a call, or a step stopped before its first attempt.
 */
function failedCall(step: StepRecord): CallSample | undefined {
  if (step.status === 'ok' || step.model === undefined || step.kind === 'fn') return undefined;
  if (step.items !== undefined || (step.source !== undefined && step.source !== 'call'))
    return undefined;
  return step.attempt >= 1 ? failure(step.model, step.failure) : undefined;
}

/** One call's sample from its record; none for code, a map's total, an agent's rounds or a failure. */
export function callSample(step: StepRecord): CallSample | undefined {
  if (step.model === undefined || step.kind === 'fn' || step.status !== 'ok') return undefined;
  if (step.items !== undefined || (step.calls?.length ?? 0) > 1) return undefined;
  if (step.timeToFirstTokenMs === undefined) return undefined;
  const ok = {
    model: step.model,
    ...(step.endpoint !== undefined && { endpoint: step.endpoint, roundTripMs: step.roundTripMs }),
    status: 'ok' as const,
  };
  // Tokens summed with an attempt cut mid-stream would teach twice the prompt beside one first
  // token, and a speed too high: the answering call's own usage, when the record has it (records
  // logged before `callUsage` existed teach no tokens then).
  const usage = step.callUsage ?? (sumsAttempts(step) ? undefined : step.usage);
  if (usage === undefined) return ok;
  const firstMs = ownFirstTokenMs(step);
  return {
    ...ok,
    ...(firstMs !== undefined && { timeToFirstTokenMs: firstMs }),
    outputTokensPerSecond: outputSpeed(step, usage.outputTokens),
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
  };
}

/**
 * Whether `usage` may count an attempt besides the one that answered: one that streamed before
 * it failed (retried, given up on, a hedge's loser) is counted from its text, marking the record
 * `usageEstimated`. Attempts that failed before streaming add nothing.
 */
function sumsAttempts(step: StepRecord): boolean {
  return step.usageEstimated === true && (step.attempt > 1 || step.hedge !== undefined);
}

/**
 * The answering call's own wait for its first token, from its request: what the step waited
 * before that call (queue, failed attempts, Retry-After, a model given up on, a hedge's wait) is
 * not the model's. A record logged before `callStartMs` existed is timed from the step's start
 * less its queue wait, and gives none when something came before its call.
 */
function ownFirstTokenMs(step: StepRecord): number | undefined {
  if (step.callStartMs !== undefined && step.firstTokenMs !== undefined)
    return Math.max(0, step.firstTokenMs - step.callStartMs);
  if (step.attempt > 1 || (step.fallbacks?.length ?? 0) > 0 || step.hedge?.won) return undefined;
  return Math.max(0, step.timeToFirstTokenMs! - (step.queueWaitMs ?? 0));
}

/**
 * Output tokens per second after the first token. The tokens that came with it were made before
 * `decodeMs` began (a diffusion model's first block is 64), so they are left out; a call that
 * decoded less than twice as many after them is too short to time. Records logged before
 * `firstChunkTokens` existed count every output token, as they always did.
 */
function outputSpeed(step: StepRecord, output: number): number | undefined {
  const decodeMs = step.decodeMs ?? 0;
  if (!(decodeMs > 0)) return undefined;
  const first = step.firstChunkTokens;
  if (first === undefined) return output > 1 ? (output / decodeMs) * 1000 : undefined;
  const decoded = output - first;
  return decoded >= Math.max(2, 2 * first) ? (decoded / decodeMs) * 1000 : undefined;
}
