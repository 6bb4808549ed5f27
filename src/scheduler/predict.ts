import type { StepNode } from '../chain';
import { defaultMaxSteps } from '../chain/agent';
import { computeCost } from '../models/cost';
import type { ModelProfile } from '../models/profile';
import { countTokens } from '../models/tokens';
import { countMapItems } from './count-items';
import type { EstimateStore } from './estimate-store';

/** Token sizes assumed when a step gives no hint. */
export const defaultEstimates = {
  inputTokens: 200,
  outputTokens: 200,
  structuredOutputTokens: 120,
  mapItems: 4,
} as const;

/** The expected size of one call of a step (one item for a map), and the item count. */
export interface StepEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly items: number;
  /** The part of `inputTokens` read from the provider's cache. @default 0 */
  readonly cachedInputTokens?: number;
  /** Model calls one run of the step makes, one after another (an agent's rounds). @default 1 */
  readonly calls?: number;
  /** Time between an agent's calls spent running tools, in milliseconds. @default 0 */
  readonly toolMs?: number;
}

/** Moving estimates from earlier runs of the same chain; they win over hints and prompt sizes. */
export interface EstimateHistory {
  readonly history: EstimateStore;
  readonly chain: string;
}

/**
 * Expected tokens from the history of earlier runs, the step's hints, its static prompt (sized
 * with the chain `input`), or the defaults, in that order.
 */
export function estimateStep(
  step: StepNode,
  input?: unknown,
  past?: EstimateHistory,
): StepEstimate {
  const items =
    step.kind === 'map'
      ? (countMapItems(step, input) ?? step.expectItems ?? defaultEstimates.mapItems)
      : 1;
  const definition = step.definition;
  if (definition.kind === 'fn') return { inputTokens: 0, outputTokens: 0, items };
  const measured = past?.history.get({ chain: past.chain, stepId: step.id });
  const expect = definition.expect ?? {};
  const outputTokens =
    measured?.outputTokens ??
    expect.outputTokens ??
    (definition.output !== undefined
      ? defaultEstimates.structuredOutputTokens
      : definition.maxOutputTokens !== undefined
        ? Math.round(definition.maxOutputTokens * 0.9)
        : defaultEstimates.outputTokens);
  const inputTokens =
    measured?.inputTokens ??
    expect.inputTokens ??
    promptTokens(step, input) ??
    defaultEstimates.inputTokens;
  const calls =
    definition.tools === undefined
      ? 1
      : (expect.calls ?? Math.ceil((definition.maxSteps ?? defaultMaxSteps) / 2));
  return {
    inputTokens,
    outputTokens,
    items,
    // The cached share measured by earlier runs prices a shared prefix at the cached price.
    cachedInputTokens: Math.min(
      inputTokens,
      measured?.cachedInputTokens ?? expect.cachedInputTokens ?? 0,
    ),
    calls,
    toolMs: expect.toolMs ?? 0,
  };
}

/** Tokens of the prompt when it can be known before the run: a string, or a function of the input. */
function promptTokens(step: StepNode, input: unknown): number | undefined {
  const { prompt, system } = step.definition.kind === 'llm' ? step.definition : {};
  const knowable = step.kind !== 'map' && step.needs.length === 0 && input !== undefined;
  const resolve = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (typeof value !== 'function' || !knowable) return undefined;
    try {
      const text = value({ input });
      return typeof text === 'string' ? text : undefined;
    } catch {
      return undefined;
    }
  };
  const text = resolve(prompt);
  if (text === undefined) return undefined;
  return countTokens(text) + countTokens(resolve(system) ?? '') + 8;
}

/** Predicted duration and cost of one call on a model. */
export interface CallPrediction {
  readonly durationMs: number;
  readonly firstTokenMs: number;
  readonly costUsd: number;
}

/**
 * One call on `profile`: round trip + time to first token + prefill of the uncached input +
 * output tokens at the model's speed; cost at the model's prices, the cached part at the cached
 * price.
 */
export function predictCall(
  profile: ModelProfile,
  tokens: { inputTokens: number; outputTokens: number; cachedInputTokens?: number },
): CallPrediction {
  // A prefix-cache hit is read back, not prefilled (the emulator times it the same way).
  const cachedInputTokens = Math.min(tokens.inputTokens, tokens.cachedInputTokens ?? 0);
  const firstTokenMs =
    profile.roundTripMs +
    profile.timeToFirstTokenMs +
    ((tokens.inputTokens - cachedInputTokens) / profile.prefillTokensPerSecond) * 1000;
  const durationMs = firstTokenMs + (tokens.outputTokens / profile.outputTokensPerSecond) * 1000;
  // One usage object for every prediction (computeCost only reads it): a plan predicts thousands.
  callUsage.inputTokens = tokens.inputTokens;
  callUsage.cachedInputTokens = tokens.cachedInputTokens ?? 0;
  callUsage.outputTokens = tokens.outputTokens;
  const costUsd = computeCost(profile.pricing, callUsage);
  return { durationMs, firstTokenMs, costUsd };
}

const callUsage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/**
 * Rate limits a profile may carry (`rateLimits`); the models part owns the field, the scheduler
 * reads it when present.
 */
export interface RateLimits {
  /** Calls in flight at once. */
  readonly concurrency?: number;
  /** Requests started in any 60 seconds. */
  readonly requestsPerMinute?: number;
  /** Input plus output tokens started in any 60 seconds. */
  readonly tokensPerMinute?: number;
  /** Input tokens started in any 60 seconds. */
  readonly inputTokensPerMinute?: number;
  /** Output tokens started in any 60 seconds. */
  readonly outputTokensPerMinute?: number;
}

/**
 * A whole step on `profile`: a map of N items at concurrency c takes ceil(N / c) waves of one
 * call (longer when the model's rate limits allow fewer calls a minute) and costs N calls. A `fn`
 * step takes its expected duration and costs nothing. `measuredCallMs`, from history, replaces
 * the predicted duration of one call.
 */
export function predictStep(
  step: StepNode,
  profile: ModelProfile | undefined,
  estimate: StepEstimate,
  measuredCallMs?: number,
  /** The call on `profile`, when already predicted (a candidate's). */
  call = profile && predictCall(profile, estimate),
): { durationMs: number; costUsd: number } {
  return {
    durationMs: predictStepMs(step, profile, estimate, measuredCallMs, call),
    costUsd: predictStepUsd(step, profile, estimate, call),
  };
}

/** The duration {@link predictStep} gives, without an object: the planner's inner loop. */
export function predictStepMs(
  step: StepNode,
  profile: ModelProfile | undefined,
  estimate: StepEstimate,
  measuredCallMs: number | undefined,
  call: CallPrediction | undefined,
): number {
  const limits: RateLimits | undefined = profile?.rateLimits;
  const count = waves(step, estimate.items, limits?.concurrency);
  if (step.definition.kind === 'fn' || profile === undefined || call === undefined) {
    const each =
      measuredCallMs ??
      (step.definition.kind === 'fn' ? step.definition.expect?.durationMs : 0) ??
      0;
    return each * count;
  }
  // An agent's calls run one after another, with its tools in between.
  const calls = estimate.calls ?? 1;
  const callMs = (measuredCallMs ?? call.durationMs) * calls + (estimate.toolMs ?? 0) * (calls - 1);
  return Math.max(callMs * count, rateLimitedMs(limits, estimate, callMs));
}

/** The cost {@link predictStep} gives, without an object. */
export function predictStepUsd(
  step: StepNode,
  profile: ModelProfile | undefined,
  estimate: StepEstimate,
  call: CallPrediction | undefined,
): number {
  if (step.definition.kind === 'fn' || profile === undefined || call === undefined) return 0;
  return call.costUsd * estimate.items * (estimate.calls ?? 1);
}

/** The time `items` calls need when the provider admits only so many requests or tokens a minute. */
function rateLimitedMs(
  limits: RateLimits | undefined,
  estimate: StepEstimate,
  callMs: number,
): number {
  if (limits === undefined || estimate.items <= 1) return 0;
  // The runtime admits at most a limit's worth in any 60 s (a sliding window): as many calls
  // as fit start at once, the next as many a minute later, and so on.
  const lastStartMs = (limit: number | undefined, each: number) => {
    if (!limit || limit <= 0) return 0;
    const perWindow = Math.max(1, Math.floor(limit / Math.min(Math.max(each, 1e-9), limit)));
    return Math.floor((estimate.items - 1) / perWindow) * 60_000;
  };
  const { inputTokens, outputTokens } = estimate;
  // The last call starts once every window admits it, then takes one call's time.
  return (
    Math.max(
      lastStartMs(limits.requestsPerMinute, 1),
      lastStartMs(limits.tokensPerMinute, inputTokens + outputTokens),
      lastStartMs(limits.inputTokensPerMinute, inputTokens),
      lastStartMs(limits.outputTokensPerMinute, outputTokens),
    ) + callMs
  );
}

/** A map's waves at its concurrency, or the model's account-wide concurrency when lower. */
function waves(step: StepNode, items: number, modelConcurrency = Number.POSITIVE_INFINITY): number {
  if (step.kind !== 'map') return 1;
  return Math.ceil(items / mapSlots(step, modelConcurrency));
}

/**
 * How many of a map's items run at once: its `concurrency`, or the model's when lower. The
 * runtime stores a map's duration per wave of these, and plans multiply it by their waves.
 */
export function mapSlots(step: StepNode, modelConcurrency = Number.POSITIVE_INFINITY): number {
  return Math.max(1, Math.min(step.concurrency ?? 1, Math.floor(modelConcurrency)));
}
