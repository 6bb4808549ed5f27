import type { ModelProfile } from './profile';

/*
 * Figures from hotpath's design catalog (shared/DESIGN.md, "Model catalog", November 2026), which
 * collects the providers' price pages and speed measurements it attributes to third parties
 * without naming them; the repository names no source for those either, so each is marked as
 * such below. DeepSeek's peak hours, its V4.1 rename and the rate limits were quoted from the
 * providers' pages in the project's issue tracker (issue 13); the quotes were not re-checked from
 * this repository. Where sources give a range, the profile says which figure it takes and why.
 *
 * Three figures per model have no published source: `prefillTokensPerSecond` and `roundTripMs`
 * are our estimates, in the catalog since its first version (2026-11-28) and never measured
 * against a provider (bench/ measures the emulator, which runs these figures as its defaults);
 * `contextWindow` is the design catalog's "context" column (November 2026, no page or day).
 * A measured round trip replaces the estimate per endpoint (`history.endpointStats`).
 */

/** Inception Mercury 2: a diffusion model, about 750 output tokens/s as measured. */
export const mercury2: ModelProfile = {
  id: 'mercury-2',
  name: 'Mercury 2',
  provider: 'inception',
  architecture: 'diffusion',
  // $0.25 in / $0.025 cached / $0.75 out per M tokens (Inception pricing, read 2026-11; the same
  // list price on opencode.ai/data/inception/mercury-2, read 2026-12-01).
  pricing: { inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 0.75 },
  // ~0.4-0.7 s first token. Inception claims 1,009 tok/s; unnamed third parties measure ~710-790
  // tok/s (design catalog, 2026-11; no source in the repository). Plans use the middle of the
  // measured range, 750, because plans should predict what a call takes; the claim stays beside
  // it. Learned speeds replace both.
  timeToFirstTokenMs: 500,
  outputTokensPerSecond: 750,
  claimedOutputTokensPerSecond: 1009,
  // Estimates (ours, 2026-11-28; no published figure): prefill and round trip.
  prefillTokensPerSecond: 40_000,
  roundTripMs: 60,
  // 128K (design catalog, 2026-11).
  contextWindow: 128_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: false },
  // Pay-as-you-go limits, per minute and separate for input and output tokens: figures from the
  // project's issue tracker (issue 13, quoting Inception's published rate limits, 2026-12-01),
  // not re-checked against Inception's own page.
  rateLimits: {
    requestsPerMinute: 1_000,
    inputTokensPerMinute: 1_000_000,
    outputTokensPerMinute: 100_000,
  },
  source:
    'Inception pricing and claimed 1,009 tok/s; 750 tok/s from the ~710-790 measured by unnamed third parties; TTFT from the design catalog (2026-11); prefill and round trip estimated (2026-11-28); rate limits from issue 13, not re-checked',
};

/*
 * DeepSeek bills peak and off-peak rates since 2026-08-16 16:00 UTC (api-docs.deepseek.com,
 * "Models & Pricing", read 2026-11-15): peak is 01:00-04:00 and 06:00-10:00 UTC, Monday to Friday
 * (09:00-12:00 and 14:00-18:00 Beijing time), at twice the off-peak rate; every other hour is
 * off-peak. Chinese public holidays are off-peak too: not modelled (a weekday holiday is priced at
 * peak, which over-estimates). The profiles' base prices are the off-peak ones.
 */
const deepseekPeakDays = [1, 2, 3, 4, 5];

function deepseekPeak(prices: {
  inputPerMTok: number;
  cachedInputPerMTok: number;
  outputPerMTok: number;
}) {
  return [
    { name: 'peak', days: deepseekPeakDays, fromHour: 1, toHour: 4, prices },
    { name: 'peak', days: deepseekPeakDays, fromHour: 6, toHour: 10, prices },
  ];
}

/**
 * DeepSeek V4.1 Flash (`deepseek-flash`; the old name `deepseek-v4-flash` is still accepted and
 * served by it): a mixture-of-experts model, cheap off-peak and slower.
 */
export const deepseekFlash: ModelProfile = {
  id: 'deepseek-flash',
  name: 'DeepSeek V4.1 Flash',
  provider: 'deepseek',
  architecture: 'moe',
  // Off-peak / peak per M tokens: cache hit $0.003 / $0.006, input $0.15 / $0.30, output
  // $0.60 / $1.20 (api-docs.deepseek.com, "Models & Pricing", read 2026-11-15). At peak Mercury 2
  // is cheaper for uncached input and for output.
  pricing: {
    inputPerMTok: 0.15,
    cachedInputPerMTok: 0.003,
    outputPerMTok: 0.6,
    baseName: 'off-peak',
    windows: deepseekPeak({ inputPerMTok: 0.3, cachedInputPerMTok: 0.006, outputPerMTok: 1.2 }),
  },
  // ~1-2 s first token, ~50-140 tok/s measured (unnamed third parties via the design catalog,
  // 2026-11; no source in the repository). Thinking is on by default at DeepSeek; these figures
  // are for the answer tokens.
  timeToFirstTokenMs: 1500,
  outputTokensPerSecond: 90,
  // Estimates (ours, 2026-11-28; no published figure): prefill and round trip.
  prefillTokensPerSecond: 8_000,
  roundTripMs: 120,
  // 1M (design catalog, 2026-11).
  contextWindow: 1_000_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  // Account-wide concurrency; 429 above it: figure from the project's issue tracker (issue 13,
  // quoting DeepSeek's API docs, "Models & Pricing", 2026-11-15), not re-checked.
  rateLimits: { concurrency: 2_500 },
  source:
    'DeepSeek "Models & Pricing" peak/off-peak (read 2026-11-15); speed and TTFT from unnamed third-party measurements (design catalog, 2026-11); prefill and round trip estimated (2026-11-28); concurrency from issue 13, not re-checked',
};

/** @deprecated The catalog names DeepSeek's flash model {@link deepseekFlash} (`deepseek-flash`) now. */
export const deepseekV4Flash: ModelProfile = deepseekFlash;

/** DeepSeek V4 Pro: the larger mixture-of-experts model, dearer than Flash and (we estimate) slower. */
export const deepseekV4Pro: ModelProfile = {
  id: 'deepseek-v4-pro',
  name: 'DeepSeek V4 Pro',
  provider: 'deepseek',
  architecture: 'moe',
  // Off-peak / peak per M tokens: cache hit $0.022 / $0.044, input $0.66 / $1.32, output
  // $1.98 / $3.96 (api-docs.deepseek.com, "Models & Pricing", read 2026-11-15).
  pricing: {
    inputPerMTok: 0.66,
    cachedInputPerMTok: 0.022,
    outputPerMTok: 1.98,
    baseName: 'off-peak',
    windows: deepseekPeak({ inputPerMTok: 1.32, cachedInputPerMTok: 0.044, outputPerMTok: 3.96 }),
  },
  // No speed or first-token measurement in the design catalog: estimated from Flash (~1-2 s,
  // ~50-140 tok/s) on the same serving, with several times more active parameters per token:
  // half Flash's decode and prefill speed, 1.5x its first-token time. Replace with measurements.
  timeToFirstTokenMs: 2250,
  outputTokensPerSecond: 45,
  prefillTokensPerSecond: 4_000,
  // Estimate (ours, 2026-11-28): Flash's, the same provider's servers.
  roundTripMs: 120,
  // 1M (design catalog, 2026-11).
  contextWindow: 1_000_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  // Account-wide concurrency; 429 above it: figure from the project's issue tracker (issue 13,
  // quoting DeepSeek's API docs, "Models & Pricing", 2026-11-15), not re-checked.
  rateLimits: { concurrency: 500 },
  source:
    'DeepSeek "Models & Pricing" peak/off-peak (read 2026-11-15); speed, TTFT, prefill and round trip estimated from Flash, not measured (2026-11); concurrency from issue 13, not re-checked',
};

/** Anthropic Claude Haiku 4.5: the premium baseline. */
export const claudeHaiku45: ModelProfile = {
  id: 'claude-haiku-4-5',
  name: 'Claude Haiku 4.5',
  provider: 'anthropic',
  architecture: 'autoregressive',
  // $1.00 in / $0.10 cached / $5.00 out per M tokens (Anthropic's pricing via the design catalog,
  // November 2026; no page or day recorded).
  pricing: { inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 5 },
  // ~0.6 s first token, ~89 tok/s (unnamed third-party measurements via the design catalog,
  // 2026-11; no source in the repository).
  timeToFirstTokenMs: 600,
  outputTokensPerSecond: 89,
  // Estimates (ours, 2026-11-28; no published figure): prefill and round trip.
  prefillTokensPerSecond: 20_000,
  roundTripMs: 80,
  // 200K (design catalog, 2026-11).
  contextWindow: 200_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  source:
    'Anthropic pricing (2026-11); speed and TTFT from unnamed third-party measurements (design catalog, 2026-11); prefill and round trip estimated (2026-11-28)',
};

/** OpenAI GPT-5 mini. */
export const gpt5Mini: ModelProfile = {
  id: 'gpt-5-mini',
  name: 'GPT-5 mini',
  provider: 'openai',
  architecture: 'autoregressive',
  // $0.25 in / $0.025 cached / $2.00 out per M tokens (OpenAI's pricing via the design catalog,
  // November 2026; no page or day recorded).
  pricing: { inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 2 },
  // ~71 tok/s measured (unnamed third parties via the design catalog, 2026-11; no source in the
  // repository); first token depends on reasoning effort: 1 s is our estimate at low effort.
  timeToFirstTokenMs: 1000,
  outputTokensPerSecond: 71,
  // Estimates (ours, 2026-11-28; no published figure): prefill and round trip.
  prefillTokensPerSecond: 20_000,
  roundTripMs: 80,
  // 400K (design catalog, 2026-11).
  contextWindow: 400_000,
  capabilities: { structuredOutput: true, tools: true, developerRole: true },
  source:
    'OpenAI pricing (2026-11); speed from unnamed third-party measurements (design catalog, 2026-11); TTFT estimated (2026-11); prefill and round trip estimated (2026-11-28)',
};

/** The ids of the models in {@link catalog}. */
export type CatalogModelId =
  | 'mercury-2'
  | 'deepseek-flash'
  | 'deepseek-v4-pro'
  | 'claude-haiku-4-5'
  | 'gpt-5-mini';

/**
 * Every profile hotpath knows, by id. A known id reads as a profile even under
 * `noUncheckedIndexedAccess` (`catalog['gpt-5-mini']`); `models.find(id)` looks up any string.
 */
export const catalog: Readonly<Record<CatalogModelId, ModelProfile>> &
  Readonly<Record<string, ModelProfile>> = {
  'mercury-2': mercury2,
  'deepseek-flash': deepseekFlash,
  'deepseek-v4-pro': deepseekV4Pro,
  'claude-haiku-4-5': claudeHaiku45,
  'gpt-5-mini': gpt5Mini,
};

/** Other names a catalog model goes by: DeepSeek still accepts the old name of its flash model. */
export const catalogAliases: Readonly<Record<string, string>> = {
  'deepseek-v4-flash': deepseekFlash.id,
};

/** The catalog id `id` stands for (itself when it is no alias). */
export function canonicalModelId(id: string): string {
  return catalogAliases[id] ?? id;
}

/** The catalog profile for `id` (or an alias of it), if there is one. */
export function findProfile(id: string): ModelProfile | undefined {
  return catalog[catalogAliases[id] ?? id];
}
