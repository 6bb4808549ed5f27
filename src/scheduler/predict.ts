import type { StepNode } from '../chain';
import { countTokens } from '../emulator/tokens';
import { computeCost } from '../models/cost';
import type { ModelProfile } from '../models/profile';

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
}

/** Expected tokens from the step's hints, its static prompt, or the defaults. */
export function estimateStep(step: StepNode, input?: unknown): StepEstimate {
  const items = step.kind === 'map' ? (step.expectItems ?? defaultEstimates.mapItems) : 1;
  const definition = step.definition;
  if (definition.kind === 'fn') return { inputTokens: 0, outputTokens: 0, items };
  const expect = definition.expect ?? {};
  const outputTokens =
    expect.outputTokens ??
    (definition.output !== undefined
      ? defaultEstimates.structuredOutputTokens
      : definition.maxOutputTokens !== undefined
        ? Math.round(definition.maxOutputTokens * 0.9)
        : defaultEstimates.outputTokens);
  const inputTokens =
    expect.inputTokens ?? promptTokens(step, input) ?? defaultEstimates.inputTokens;
  return { inputTokens, outputTokens, items };
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
 * One call on `profile`: round trip + time to first token + prefill of the input + output
 * tokens at the model's speed; cost at the model's prices (no cache assumed).
 */
export function predictCall(
  profile: ModelProfile,
  tokens: { inputTokens: number; outputTokens: number },
): CallPrediction {
  const firstTokenMs =
    profile.roundTripMs +
    profile.timeToFirstTokenMs +
    (tokens.inputTokens / profile.prefillTokensPerSecond) * 1000;
  const durationMs = firstTokenMs + (tokens.outputTokens / profile.outputTokensPerSecond) * 1000;
  const costUsd = computeCost(profile.pricing, {
    inputTokens: tokens.inputTokens,
    cachedInputTokens: 0,
    outputTokens: tokens.outputTokens,
    reasoningTokens: 0,
  });
  return { durationMs, firstTokenMs, costUsd };
}

/**
 * A whole step on `profile`: a map of N items at concurrency c takes ceil(N / c) waves of one
 * call and costs N calls. A `fn` step takes its expected duration and costs nothing.
 */
export function predictStep(
  step: StepNode,
  profile: ModelProfile | undefined,
  estimate: StepEstimate,
): { durationMs: number; costUsd: number } {
  if (step.definition.kind === 'fn' || profile === undefined) {
    const each = step.definition.kind === 'fn' ? (step.definition.expect?.durationMs ?? 0) : 0;
    return { durationMs: each * waves(step, estimate.items), costUsd: 0 };
  }
  const call = predictCall(profile, estimate);
  return {
    durationMs: call.durationMs * waves(step, estimate.items),
    costUsd: call.costUsd * estimate.items,
  };
}

function waves(step: StepNode, items: number): number {
  if (step.kind !== 'map') return 1;
  return Math.ceil(items / (step.concurrency ?? 1));
}
