import type { ModelProfile } from './profile';

/*
 * Figures from hotpath's design catalog (shared/DESIGN.md, "Model catalog", November 2026), which
 * collects the providers' price pages and third-party speed measurements. Where sources give a
 * range, the profile takes the list price and the seed speed figure and says so.
 */

/** Inception Mercury 2: a diffusion model, about 1,000 output tokens/s. */
export const mercury2: ModelProfile = {
  id: 'mercury-2',
  name: 'Mercury 2',
  provider: 'inception',
  architecture: 'diffusion',
  // $0.25 in / $0.025 cached / $0.75 out per M tokens (Inception pricing, Nov 2026).
  pricing: { inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 0.75 },
  // ~0.4-0.7 s first token; 1,009 tok/s claimed (~710-790 measured by third parties).
  timeToFirstTokenMs: 500,
  outputTokensPerSecond: 1009,
  prefillTokensPerSecond: 40_000,
  roundTripMs: 60,
  contextWindow: 128_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: false },
  // Pay-as-you-go limits, per minute and separate for input and output tokens (Inception's
  // published rate limits as quoted in issue #13, read 2026-12-01; not re-checked against
  // Inception's own page from this machine).
  rateLimits: {
    requestsPerMinute: 1_000,
    inputTokensPerMinute: 1_000_000,
    outputTokensPerMinute: 100_000,
  },
  source:
    'Inception pricing and claimed speed; TTFT and measured range from third parties (2026-11)',
};

/** DeepSeek V4 Flash: a mixture-of-experts model, cheap and slower. */
export const deepseekV4Flash: ModelProfile = {
  id: 'deepseek-v4-flash',
  name: 'DeepSeek V4 Flash',
  provider: 'deepseek',
  architecture: 'moe',
  // $0.14 in / ~$0.003 cached / $0.28 out per M tokens at list price; peak listings reach
  // $0.30 / $1.20 (DeepSeek pricing, Nov 2026).
  pricing: { inputPerMTok: 0.14, cachedInputPerMTok: 0.003, outputPerMTok: 0.28 },
  // ~1-2 s first token, ~50-140 tok/s measured (third parties, Nov 2026).
  timeToFirstTokenMs: 1500,
  outputTokensPerSecond: 90,
  prefillTokensPerSecond: 8_000,
  roundTripMs: 120,
  contextWindow: 1_000_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  // Account-wide concurrency; 429 above it (DeepSeek API docs, "Models & Pricing", read
  // 2026-11-15, as quoted in issue #13).
  rateLimits: { concurrency: 2_500 },
  source: 'DeepSeek list pricing; speed and TTFT from third-party measurements (2026-11)',
};

/** DeepSeek V4 Pro: the larger mixture-of-experts model, dearer than Flash and (we estimate) slower. */
export const deepseekV4Pro: ModelProfile = {
  id: 'deepseek-v4-pro',
  name: 'DeepSeek V4 Pro',
  provider: 'deepseek',
  architecture: 'moe',
  // $1.32 in / $0.02 cached / $3.48 out per M tokens at list price; peak listings reach
  // $1.74 / $0.04 / $3.96 (DeepSeek pricing, Nov 2026).
  pricing: { inputPerMTok: 1.32, cachedInputPerMTok: 0.02, outputPerMTok: 3.48 },
  // No speed or first-token measurement in the design catalog: estimated from Flash (~1-2 s,
  // ~50-140 tok/s) on the same serving, with several times more active parameters per token:
  // half Flash's decode and prefill speed, 1.5x its first-token time. Replace with measurements.
  timeToFirstTokenMs: 2250,
  outputTokensPerSecond: 45,
  prefillTokensPerSecond: 4_000,
  roundTripMs: 120,
  contextWindow: 1_000_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  // Account-wide concurrency; 429 above it (DeepSeek API docs, "Models & Pricing", read
  // 2026-11-15, as quoted in issue #13).
  rateLimits: { concurrency: 500 },
  source: 'DeepSeek list pricing; speed and TTFT estimated from V4 Flash, not measured (2026-11)',
};

/** Anthropic Claude Haiku 4.5: the premium baseline. */
export const claudeHaiku45: ModelProfile = {
  id: 'claude-haiku-4-5',
  name: 'Claude Haiku 4.5',
  provider: 'anthropic',
  architecture: 'autoregressive',
  // $1.00 in / $0.10 cached / $5.00 out per M tokens (Anthropic pricing, Nov 2026).
  pricing: { inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 5 },
  // ~0.6 s first token, ~89 tok/s (third-party measurements, Nov 2026).
  timeToFirstTokenMs: 600,
  outputTokensPerSecond: 89,
  prefillTokensPerSecond: 20_000,
  roundTripMs: 80,
  contextWindow: 200_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  source: 'Anthropic pricing; speed and TTFT from third-party measurements (2026-11)',
};

/** OpenAI GPT-5 mini. */
export const gpt5Mini: ModelProfile = {
  id: 'gpt-5-mini',
  name: 'GPT-5 mini',
  provider: 'openai',
  architecture: 'autoregressive',
  // $0.25 in / $0.025 cached / $2.00 out per M tokens (OpenAI pricing, Nov 2026).
  pricing: { inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 2 },
  // ~71 tok/s measured; first token depends on reasoning effort: 1 s is an estimate at low effort.
  timeToFirstTokenMs: 1000,
  outputTokensPerSecond: 71,
  prefillTokensPerSecond: 20_000,
  roundTripMs: 80,
  contextWindow: 400_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  source: 'OpenAI pricing; speed from third-party measurements; TTFT estimated (2026-11)',
};

/** Every profile hotpath knows, by id. */
export const catalog: Readonly<Record<string, ModelProfile>> = {
  [mercury2.id]: mercury2,
  [deepseekV4Flash.id]: deepseekV4Flash,
  [deepseekV4Pro.id]: deepseekV4Pro,
  [claudeHaiku45.id]: claudeHaiku45,
  [gpt5Mini.id]: gpt5Mini,
};

/** Other names a catalog model goes by. */
export const catalogAliases: Readonly<Record<string, string>> = {
  'deepseek-flash': deepseekV4Flash.id,
};

/** The catalog profile for `id` (or an alias of it), if there is one. */
export function findProfile(id: string): ModelProfile | undefined {
  return catalog[catalogAliases[id] ?? id];
}
