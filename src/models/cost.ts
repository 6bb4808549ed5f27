import { hasPriceWindows, pricesAt } from './price-windows';
import type { ModelPricing } from './profile';

/** Token counts of one or more model calls. */
export interface TokenUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** The part of `inputTokens` read from the provider's cache. */
  cachedInputTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** The part of `outputTokens` spent on reasoning. */
  reasoningTokens: number;
}

/** Usage of nothing. */
export function emptyUsage(): TokenUsage {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** Adds `usage` into `total` in place and returns it. */
export function addUsage(total: TokenUsage, usage: TokenUsage): TokenUsage {
  total.inputTokens += usage.inputTokens;
  total.cachedInputTokens += usage.cachedInputTokens;
  total.outputTokens += usage.outputTokens;
  total.reasoningTokens += usage.reasoningTokens;
  return total;
}

/** Whether two usages count the same tokens. */
export function sameUsage(a: TokenUsage, b: TokenUsage): boolean {
  return (
    a.inputTokens === b.inputTokens &&
    a.outputTokens === b.outputTokens &&
    a.cachedInputTokens === b.cachedInputTokens &&
    a.reasoningTokens === b.reasoningTokens
  );
}

/**
 * The price of `usage` in US dollars: uncached input at the input price, cached input at the
 * cached price, output (reasoning included) at the output price. With `atEpochMs` (Unix ms, the
 * call's start) the prices are those of the window in force then; without it, the base prices.
 */
export function computeCost(pricing: ModelPricing, usage: TokenUsage, atEpochMs?: number): number {
  if (atEpochMs !== undefined && hasPriceWindows(pricing)) {
    pricing = pricesAt(pricing, atEpochMs).pricing;
  }
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  return (
    ((usage.inputTokens - cached) * pricing.inputPerMTok +
      cached * pricing.cachedInputPerMTok +
      usage.outputTokens * pricing.outputPerMTok) /
    1_000_000
  );
}
