import type { LlmStepDefinition } from '../chain';
import { type Clock, clockEpochMs } from '../clock';
import { BudgetExceededError } from '../errors';
import { addUsage, computeCost, emptyUsage, type TokenUsage } from '../models/cost';
import type { PoolModel } from '../models/pool';
import { countTokens } from '../models/tokens';
import { prefillMs } from '../scheduler/learned-pool';
import { uncachedInputOf } from '../scheduler/model-stats';
import type { RetryReason } from '../tracing/events';
import type { CallSpan } from '../tracing/records';
import { linkController } from './abort-link';
import {
  type CallProgress,
  callModel,
  type ResolvedPrompt,
  repairTokens,
  usageSoFar,
} from './call-model';
import { type CallLimits, callLimits, noLimits } from './call-timeouts';
import { CallTimeoutError } from './classify-error';
import { elapsed, type RunState } from './run-state';
import type { BudgetHold, CallOutcome, CallTokens, LimitLease } from './shared-limits';

/** A successful attempt. */
export interface AttemptResult {
  readonly model: string;
  /** The endpoint that answered, for a model at several places. */
  readonly endpoint?: string;
  /**
   * The round trip this call measured to its endpoint: how much longer than the model's own
   * first-token time (the profile's, with the prompt's prefill) its first token took.
   */
  readonly roundTripMs?: number;
  readonly output: unknown;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly firstTokenMs?: number;
  /** When the request went out (run time), after the slot and budget waits. */
  readonly calledAtMs: number;
  /** Output tokens that came with the first token: decoded before `firstTokenMs`. */
  readonly firstChunkTokens?: number;
  readonly waitedMs: number;
  /** An agent's model calls and tool runs. */
  readonly spans?: readonly CallSpan[];
}

/** A failed attempt: the original error, and what it cost when it had streamed. */
export class AttemptError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly usage: TokenUsage,
    readonly costUsd: number,
    readonly started: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'AttemptError';
  }
}

/**
 * The limits (`sharedLimits`, or a shared budget) failed, not the model: a Redis that cannot be
 * reached, say. The step fails with `reason: 'limits'`, with no verdict on the model.
 */
export class LimitsFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'LimitsFailure';
  }
}

/** A failure of the limits as a {@link LimitsFailure}; an abort or a refusal stays as it is. */
function limitsFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || BudgetExceededError.isInstance(error)) return error;
  return new LimitsFailure(error);
}

/** What one attempt needs. */
export interface AttemptOptions {
  readonly state: RunState;
  readonly stepId: string;
  readonly item?: number;
  readonly definition: LlmStepDefinition;
  readonly prompt: ResolvedPrompt;
  readonly entry: PoolModel;
  readonly signal: AbortSignal;
  /** Called when the first token arrives, with the run time it arrived at. */
  readonly onFirstToken?: (atMs: number) => void;
  /** Hedges reserve against the hedge allowance as well as the budget. */
  readonly hedge?: boolean;
  /** Every attempt's usage and cost are added here, failed and abandoned ones included. */
  readonly tally: Tally;
}

/** Usage and cost summed over a step's attempts. */
export interface Tally {
  readonly usage: TokenUsage;
  costUsd: number;
  /** The first model billed; `byModel` splits the sums once a second one is. */
  model?: string;
  /** Usage and cost per model, once attempts on more than one model were billed. */
  byModel?: Map<string, ModelSpend>;
  /** The attempts made so far and the model of the last (a failed step's record names them). */
  attempts?: number;
  lastModel?: string;
  /**
   * Whether some of the usage was counted from the text received, not reported by the
   * provider: a call stopped or cut mid-stream (see {@link usageSoFar}).
   */
  estimated?: boolean;
  /** How the last failed call failed, when it was a failure worth a retry (`rate-limit`, ...). */
  lastFailure?: RetryReason;
}

/** What one model was paid for within a step. */
export interface ModelSpend {
  readonly usage: TokenUsage;
  costUsd: number;
}

/**
 * One call on one model: waits for a limiter slot, reserves the worst-case cost, enforces the
 * first-token and total timeouts, and accounts for what it used, even when it fails.
 */
export async function attemptCall(options: AttemptOptions): Promise<AttemptResult> {
  const { state, entry, prompt, definition } = options;
  const maxOutputTokens = outputCap(state, definition);
  const worstCase = worstCaseCost(state, entry, prompt, definition);
  const where = { chain: state.chain.name, stepId: options.stepId, model: entry.id };
  const link = linkController(options.signal);
  const { controller } = link;
  let lease: LimitLease;
  try {
    lease = await state.limits.acquire({
      model: entry.id,
      limits: state.limitsFor(entry.id),
      tokens: {
        inputTokens: prompt.inputTokens,
        // The step's own cap when it has one, else what the plan expects: a budget's default cap
        // would hold a whole output limit for calls that write a few hundred tokens.
        outputTokens:
          definition.maxOutputTokens ??
          state.plan.step(options.stepId)?.predicted.outputTokens ??
          0,
      },
      signal: controller.signal,
    });
  } catch (error) {
    link.unlink();
    throw limitsFailure(error, controller.signal);
  }
  let outcome: CallOutcome = 'error';
  let used: CallTokens | undefined;
  // A call is priced at the window in force when it starts (DeepSeek's peak hours), even when it
  // ends in the next one.
  const startedAt = clockEpochMs(state.clock);
  const progress: CallProgress = { outputChars: 0 };
  // Timer controllers only when there are timers (none when turned off): each controller, and
  // the abort that stops it, costs time on the per-step path.
  const limits = callLimits(state.resilience, definition, entry.profile, prompt.inputTokens);
  const timed = limits !== noLimits;
  let stopTimers: (() => void) | undefined;
  let firstTokenMs: number | undefined;
  let firstChunkTokens: number | undefined;
  let reservations: { settle(usd: number): void }[] = [];
  let shared: BudgetHold | undefined;
  try {
    reservations = [state.budget.reserve(worstCase, where)];
    if (options.hedge) reservations.push(state.hedgeBudget.reserve(worstCase, where));
    shared = await state.budget
      .reserveShared(worstCase, where, controller.signal)
      .catch((error: unknown) => {
        throw limitsFailure(error, controller.signal);
      });
    if (timed) stopTimers = startTimers(state, controller, progress, limits);
    const call = { runId: state.runId, stepId: options.stepId, item: options.item };
    const onDelta = deltaCallback(state, options.stepId, options.item, controller.signal);
    const calledAt = elapsed(state);
    const result = await state.bindCall(call, () =>
      callModel({
        definition,
        prompt,
        entry,
        signal: controller.signal,
        progress,
        maxOutputTokens,
        now: () => elapsed(state),
        onDelta,
        onFirstToken: (text) => {
          firstTokenMs = elapsed(state);
          firstChunkTokens = countTokens(text);
          options.onFirstToken?.(firstTokenMs);
        },
      }),
    );
    const costUsd = computeCost(entry.profile.pricing, result.usage, startedAt);
    for (const reservation of reservations) reservation.settle(costUsd);
    await settleShared(shared, costUsd);
    addToTally(options.tally, entry.id, result.usage, costUsd);
    used = result.usage;
    outcome = 'ok';
    return {
      model: entry.id,
      ...(entry.endpoint !== undefined && {
        endpoint: entry.endpoint,
        roundTripMs: measuredRoundTrip(entry, prompt, result.usage, calledAt, firstTokenMs),
      }),
      output: result.output,
      usage: result.usage,
      costUsd,
      firstTokenMs,
      calledAtMs: calledAt,
      ...(firstChunkTokens !== undefined && { firstChunkTokens }),
      waitedMs: lease.waitedMs,
      spans: progress.spans,
    };
  } catch (error) {
    const cause =
      controller.signal.aborted && !options.signal.aborted ? controller.signal.reason : error;
    const started = progress.firstTokenAt !== undefined;
    const usage = usageSoFar(progress, prompt.inputTokens);
    if (progress.roundStreamed) options.tally.estimated = true;
    const costUsd = computeCost(entry.profile.pricing, usage, startedAt);
    for (const reservation of reservations) reservation.settle(costUsd);
    await settleShared(shared, costUsd);
    addToTally(options.tally, entry.id, usage, costUsd);
    used = usage;
    outcome = (cause as { statusCode?: number })?.statusCode === 429 ? 'rate-limited' : 'error';
    throw new AttemptError(
      options.signal.aborted ? options.signal.reason : cause,
      usage,
      costUsd,
      started,
    );
  } finally {
    stopTimers?.();
    link.unlink();
    lease.release(outcome, used);
  }
}

/**
 * The wait for the first token beyond what the model itself takes (its profile's time to first
 * token and the prompt's prefill): the distance to the endpoint, as this call saw it. Response
 * headers cannot time it: the AI SDK resolves a stream once its first part is read.
 */
function measuredRoundTrip(
  entry: PoolModel,
  prompt: ResolvedPrompt,
  usage: TokenUsage,
  calledAt: number,
  firstTokenMs: number | undefined,
): number | undefined {
  if (firstTokenMs === undefined) return undefined;
  const { profile } = entry;
  // What the prefix cache served was not prefilled: its time is no part of the model's own.
  const uncached = uncachedInputOf({
    inputTokens: prompt.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
  });
  const ownMs = profile.timeToFirstTokenMs + prefillMs(profile, uncached);
  return Math.max(0, firstTokenMs - calledAt - ownMs);
}

/**
 * A call's delta callback when someone listens to the step's stream; none otherwise. Nothing is
 * heard once the call is stopped: a hedge's loser can still read a chunk that was on its way when
 * the winner's first token stopped it, and that chunk is no part of the step's text.
 */
function deltaCallback(
  state: RunState,
  stepId: string,
  item: number | undefined,
  signal: AbortSignal,
): ((text: string) => void) | undefined {
  const streams = state.streams;
  if (streams === undefined || !streams.has(stepId)) return undefined;
  const attempt = {};
  return (text) => {
    if (!signal.aborted) streams.emit({ stepId, item, attempt, text });
  };
}

/** The output cap of a call: the step's, or under a budget the runtime's default cap. */
function outputCap(state: RunState, definition: LlmStepDefinition): number | undefined {
  return (
    definition.maxOutputTokens ??
    (state.budget.maxCostUsd === undefined ? undefined : state.resilience.defaultMaxOutputTokens)
  );
}

/** The most a call can cost: its prompt and its output cap at the model's prices. */
export function worstCaseCost(
  state: RunState,
  entry: PoolModel,
  prompt: ResolvedPrompt,
  definition: LlmStepDefinition,
): number {
  const cap = outputCap(state, definition) ?? 0;
  const at = clockEpochMs(state.clock);
  const call = (inputTokens: number) =>
    computeCost(entry.profile.pricing, { ...emptyUsage(), inputTokens, outputTokens: cap }, at);
  // A repair asks again with the broken answer and the issues in the prompt.
  const repairs = definition.repair === true && definition.output !== undefined;
  return call(prompt.inputTokens) + (repairs ? call(prompt.inputTokens + cap + repairTokens) : 0);
}

/** A shared budget that cannot be reached keeps the amount reserved until its lease ends. */
async function settleShared(hold: BudgetHold | undefined, costUsd: number): Promise<void> {
  await hold?.settle(costUsd).catch(() => {});
}

function addToTally(tally: Tally, model: string, usage: TokenUsage, costUsd: number): void {
  // Nothing billed (a call refused or stopped before its first token): nothing to split.
  if (costUsd === 0 && usage.inputTokens === 0 && usage.outputTokens === 0) return;
  if (tally.model === undefined) tally.model = model;
  else if (tally.model !== model || tally.byModel !== undefined) {
    // A second model: split the sums so far (all the first model's) from this one's.
    tally.byModel ??= new Map([
      [tally.model, { usage: { ...tally.usage }, costUsd: tally.costUsd }],
    ]);
    const spend = tally.byModel.get(model);
    if (spend === undefined) tally.byModel.set(model, { usage: { ...usage }, costUsd });
    else {
      addUsage(spend.usage, usage);
      spend.costUsd += costUsd;
    }
  }
  addUsage(tally.usage, usage);
  tally.costUsd += costUsd;
}

/** The reason timers are stopped with: one shared value instead of a new DOMException each time. */
const callEnded = new Error('the call ended');

/**
 * Aborts the call at its first-token limit when no token has come, at its total limit, and when
 * it has streamed and then sent nothing for its idle limit. One timer runs at a time, at the
 * nearest of the limits (and every half idle limit). Nothing runs per chunk: each wake compares
 * the characters streamed with the last wake's. Returns what stops the timer, for when the call
 * ends first: on a clock with `timer`, a cleared timeout; else a cancelled sleep.
 */
function startTimers(
  state: RunState,
  controller: AbortController,
  progress: CallProgress,
  { firstTokenMs, totalMs, idleMs }: CallLimits,
): () => void {
  const after = timerOn(state.clock);
  let cancel = () => {};
  // Call time as the timers scheduled it: a late timer only makes each limit a little longer.
  let at = 0;
  let next = 0;
  // The characters streamed at the last wake, and since when they have not changed.
  let chars = -1;
  let quietSince = 0;
  const wake = () => {
    at = next;
    if (totalMs !== undefined && at >= totalMs) {
      return controller.abort(new CallTimeoutError('total', totalMs));
    }
    if (firstTokenMs !== undefined && at >= firstTokenMs && progress.firstTokenAt === undefined) {
      return controller.abort(new CallTimeoutError('first-token', firstTokenMs));
    }
    if (idleMs !== undefined) {
      // Only while a model call streams: not before its first token, nor during an agent's tools.
      if (!progress.roundStreamed || progress.outputChars !== chars) {
        chars = progress.outputChars;
        quietSince = at;
      } else if (at - quietSince >= idleMs) {
        return controller.abort(new CallTimeoutError('idle', idleMs));
      }
    }
    schedule();
  };
  const schedule = () => {
    next = Number.POSITIVE_INFINITY;
    if (totalMs !== undefined) next = totalMs;
    if (firstTokenMs !== undefined && firstTokenMs > at && progress.firstTokenAt === undefined) {
      next = Math.min(next, firstTokenMs);
    }
    if (idleMs !== undefined) next = Math.min(next, at + idleMs / 2);
    if (next !== Number.POSITIVE_INFINITY) cancel = after(next - at, wake);
  };
  schedule();
  return () => cancel();
}

/** `clock.timer`, or the same made of a sleep that an abort cancels. */
function timerOn(clock: Clock): (ms: number, onTime: () => void) => () => void {
  if (clock.timer) return (ms, onTime) => clock.timer!(ms, onTime);
  return (ms, onTime) => {
    const stop = new AbortController();
    clock.sleep(ms, stop.signal).then(onTime, () => {});
    return () => stop.abort(callEnded);
  };
}
