import { BudgetExceededError, StepError, type StepErrorReason } from '../errors';
import { emptyUsage, type TokenUsage } from '../models/cost';
import { entryKey, entryLabel, type PoolModel } from '../models/pool';
import { formatRegions } from '../models/regions';
import type { RetryReason } from '../tracing/events';
import type { CallSpan } from '../tracing/records';
import { linkController } from './abort-link';
import { AttemptError, LimitsFailure } from './attempt-call';
import { backoffDelay } from './backoff';
import type { CallSite, Journey } from './call-site';
import { classifyError } from './classify-error';
import { orderEndpoints } from './endpoint-order';
import { fallbackOrder, referenceDurationMs } from './fallback-order';
import { attemptWithHedge } from './hedged-attempt';
import { validationMessage } from './schema-issues';

/** The outcome of a step's model call after retries, fallbacks and hedging. */
export interface ResilientResult {
  readonly output: unknown;
  /** The model whose answer was kept. */
  readonly model: string;
  /** Its endpoint, for a model at several places, and the round trip measured there. */
  readonly endpoint?: string;
  readonly roundTripMs?: number;
  /** Usage and cost of every attempt: failed, abandoned and hedge losers included. */
  readonly usage: TokenUsage;
  /** The usage of the call that answered, alone. */
  readonly callUsage: TokenUsage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly firstTokenMs?: number;
  /** When the answering call's request went out (run time): after waits, retries and fallbacks. */
  readonly calledAtMs: number;
  /** Output tokens that came with its first token. */
  readonly firstChunkTokens?: number;
  readonly queueWaitMs: number;
  /** Calls tried again on the same model. */
  readonly retries: number;
  /** Models given up on, in order. */
  readonly fallbacks: readonly string[];
  /** The model that raced the call, and whether it won. */
  readonly hedge?: { readonly model: string; readonly endpoint?: string; readonly won: boolean };
  /** An agent's model calls and tool runs. */
  readonly spans?: readonly CallSpan[];
}

/**
 * Calls the step's model and, on retryable failures, tries again with backoff (honouring
 * Retry-After), then falls back to the next model; skips models whose circuit is open; races
 * a hedge on slow starts of critical fast steps. Non-retryable failures fail at once.
 */
export async function callWithResilience(site: CallSite): Promise<ResilientResult> {
  const { state, step } = site;
  const planned = state.plan.step(step.id);
  const { prompt } = site;
  const journey: Journey = { retries: 0, fallbacks: [] };
  // The order depends only on the step and its planned model: worked out once per run, not per call.
  const key = `${step.id}\u0000${planned?.model}\u0000${planned?.lane}`;
  let order = state.fallbackOrders.get(key);
  if (order === undefined) {
    order = fallbackOrder(state.pool, step, planned?.model, planned?.lane);
    state.fallbackOrders.set(key, order);
  }
  // A model's endpoints by what calls have measured so far: learned while the run goes on.
  const models = orderEndpoints(order, state.history, planned?.lane);
  if (models.length === 0) throw outsideRegions(site);
  const { tally } = site;
  const { retry } = state.resilience;
  let attempts = 0;
  let lastError:
    | { error: unknown; model: string; entry: PoolModel; reason?: RetryReason }
    | undefined;

  for (const [index, entry] of models.entries()) {
    const next = models[index + 1];
    const breaker = state.breakerFor(entryKey(entry));
    if (!breaker.allows(state.clock.now())) {
      if (next)
        emitFallback(site, journey, entry, next, `the circuit of ${entryLabel(entry)} is open`);
      continue;
    }
    let announced = false;
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      attempts += 1;
      tally.attempts = attempts;
      tally.lastModel = entry.id;
      try {
        const result = await attemptWithHedge(site, entry, models, prompt, tally, journey);
        breaker.succeed();
        return {
          ...result,
          ...journey,
          usage: tally.usage,
          callUsage: result.usage,
          costUsd: tally.costUsd,
          attempts,
          queueWaitMs: result.waitedMs,
        };
      } catch (caught) {
        const failure =
          caught instanceof AttemptError
            ? caught
            : new AttemptError(caught, emptyUsage(), 0, false);
        if (state.controller.signal.aborted || BudgetExceededError.isInstance(failure.cause)) {
          // No verdict on the model: a probe it was must not hold its circuit half-open.
          breaker.release();
          state.controller.signal.throwIfAborted();
          // The budget refuses a call before it is sent: that was no attempt (no model call).
          tally.attempts = attempts - 1;
          throw failure.cause;
        }
        if (failure.cause instanceof LimitsFailure) {
          // The limits failed, not the model: no retry, no fallback, no verdict on its circuit.
          breaker.release();
          throw stepError(site, 'limits', undefined, attempts, failure.cause.cause);
        }
        const verdict = classifyError(failure.cause, { started: failure.started });
        tally.lastFailure = verdict.retryable ? verdict.reason : undefined;
        breaker.fail(state.clock.now());
        lastError = { error: failure.cause, model: entry.id, entry };
        if (!verdict.retryable) {
          const reason: StepErrorReason =
            verdict.reason === 'validation' ? 'output-validation' : 'model-call';
          const message =
            reason === 'output-validation' ? validationMessage(failure.cause) : undefined;
          throw stepError(site, reason, entry.id, attempts, failure.cause, message);
        }
        lastError.reason = verdict.reason;
        if (attempt === retry.maxAttempts || breaker.state === 'open') break;
        const wait = verdict.retryAfterMs;
        // Switch when waiting out Retry-After costs more than the slack plus what the next model adds.
        const switchCostMs = next
          ? (planned?.slackMs ?? 0) +
            Math.max(0, referenceDurationMs(next) - referenceDurationMs(entry))
          : 0;
        if (next && wait !== undefined && wait > switchCostMs) {
          emitFallback(
            site,
            journey,
            entry,
            next,
            `Retry-After ${seconds(wait)} is longer than switching costs (${seconds(switchCostMs)})`,
            verdict.reason,
          );
          announced = true;
          break;
        }
        const delayMs = backoffDelay(retry, attempt, state.random, verdict.retryAfterMs);
        journey.retries += 1;
        state.hub.emit('step:retry', {
          runId: state.runId,
          stepId: step.id,
          item: site.item,
          model: entry.id,
          attempt: attempt + 1,
          delayMs,
          reason: verdict.reason,
          error: failure.message,
        });
        const sleeping = linkController(state.controller.signal);
        try {
          await state.clock.sleep(delayMs, sleeping.controller.signal);
        } finally {
          sleeping.unlink();
        }
      }
    }
    if (next && !announced && lastError?.entry === entry)
      emitFallback(
        site,
        journey,
        entry,
        next,
        `${entryLabel(entry)} kept failing: ${messageOf(lastError.error)}`,
        lastError.reason,
      );
  }
  const tried = models.map(entryLabel).join(', ');
  if (lastError === undefined) throw circuitsOpen(site, models, tried);
  throw stepError(
    site,
    'models-exhausted',
    lastError?.model,
    attempts,
    lastError?.error,
    `every candidate failed (${tried}); last: ${messageOf(lastError?.error)}`,
  );
}

/** No candidate was called: every circuit is open. Says when the first lets a probe through. */
function circuitsOpen(site: CallSite, models: readonly PoolModel[], tried: string): StepError {
  const { state } = site;
  const now = state.clock.now();
  const waitMs = Math.min(
    ...models.map((entry) => state.breakerFor(entryKey(entry)).probeInMs(now)),
  );
  return stepError(
    site,
    'models-exhausted',
    undefined,
    0,
    undefined,
    `the circuit of every candidate is open (${tried}) after repeated failures; the next probe is let through in ${seconds(waitMs)}`,
  );
}

/**
 * No endpoint the step may use: residency left none (the plan checks this first; a re-plan or a
 * pinned model can still get here). Fails closed, naming the step and the regions allowed.
 */
function outsideRegions(site: CallSite): StepError {
  const layers = [
    ...(site.state.pool.regions ?? []),
    ...(site.definition.regions ? [site.definition.regions] : []),
  ];
  return stepError(
    site,
    'models-exhausted',
    undefined,
    0,
    undefined,
    `no endpoint of its models is in the regions allowed (${layers.map(formatRegions).join(', then ')}); the call is not sent elsewhere`,
  );
}

function emitFallback(
  site: CallSite,
  journey: Journey,
  from: PoolModel,
  to: PoolModel,
  reason: string,
  failure?: RetryReason,
): void {
  const { state, step } = site;
  journey.fallbacks.push(entryLabel(from));
  state.hub.emit('step:fallback', {
    runId: state.runId,
    stepId: step.id,
    item: site.item,
    from: from.id,
    to: to.id,
    ...(from.endpoint !== undefined && { fromEndpoint: from.endpoint }),
    ...(to.endpoint !== undefined && { toEndpoint: to.endpoint }),
    reason,
    ...(failure && { failure }),
  });
}

function stepError(
  site: CallSite,
  reason: StepErrorReason,
  model: string | undefined,
  attempt: number,
  cause: unknown,
  message = messageOf(cause),
): StepError {
  return new StepError({
    chain: site.state.chain.name,
    stepId: site.step.id,
    item: site.item,
    model,
    attempt,
    reason,
    message,
    cause,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
