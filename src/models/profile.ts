/** How a model generates: diffusion models emit blocks at once, MoE and dense models token by token. */
export type ModelArchitecture = 'diffusion' | 'moe' | 'autoregressive';

/** Prices in US dollars per million tokens, optionally different at some hours. */
export interface ModelPricing {
  readonly inputPerMTok: number;
  readonly cachedInputPerMTok: number;
  readonly outputPerMTok: number;
  /**
   * Hours of the week with other prices (DeepSeek's peak hours); the first window that matches
   * an instant wins, and the prices above hold outside every window. A call is priced at the
   * window in force when it starts. @default none
   */
  readonly windows?: readonly PriceWindow[];
  /** What the prices outside every window are called in plans and traces. @default 'standard' */
  readonly baseName?: string;
}

/**
 * Some hours of some days (UTC) with their own prices: the window's `prices`, else the base
 * prices times `multiplier`.
 *
 * @example
 * ```ts
 * { name: 'peak', days: [1, 2, 3, 4, 5], fromHour: 1, toHour: 4, multiplier: 2 }
 * ```
 */
export interface PriceWindow {
  /** The window's name in plans and traces (`peak`). */
  readonly name: string;
  /** Days of the week in UTC, 0 for Sunday to 6 for Saturday. */
  readonly days: readonly number[];
  /** First hour (UTC, 0-24, fractions allowed) inside the window. */
  readonly fromHour: number;
  /** Hour (UTC, 0-24) the window ends at, exclusive. */
  readonly toHour: number;
  /** Prices that replace the base ones inside the window. */
  readonly prices?: Partial<
    Pick<ModelPricing, 'inputPerMTok' | 'cachedInputPerMTok' | 'outputPerMTok'>
  >;
  /** Multiplies the base prices the window does not set. @default 1 */
  readonly multiplier?: number;
}

/** What a model can do beyond plain text. */
export interface ModelCapabilities {
  readonly structuredOutput: boolean;
  readonly tools: boolean;
  /** Whether it accepts the `developer` message role (Mercury does not). */
  readonly developerRole: boolean;
}

/**
 * A model as the scheduler sees it: price, speed and limits. Profiles are data with a source and
 * a date; measured figures refine them.
 */
export interface ModelProfile {
  /** The id used in plans and traces (`mercury-2`). */
  readonly id: string;
  readonly name: string;
  /** The provider's name, as in `gen_ai.provider.name` (`inception`, `deepseek`, `openai`). */
  readonly provider: string;
  readonly architecture: ModelArchitecture;
  readonly pricing: ModelPricing;
  /** Median time to first token, in milliseconds. */
  readonly timeToFirstTokenMs: number;
  /** Output tokens per second once decoding runs: the figure plans use. */
  readonly outputTokensPerSecond: number;
  /** The provider's own speed claim, when plans use a measured figure instead. */
  readonly claimedOutputTokensPerSecond?: number;
  /** Prompt tokens processed per second before the first token (adds to the first-token time). */
  readonly prefillTokensPerSecond: number;
  /** Network round trip to the provider, in milliseconds. */
  readonly roundTripMs: number;
  readonly contextWindow: number;
  readonly capabilities: ModelCapabilities;
  /**
   * The provider's limits for your account, when known: the runtime enforces them (with any
   * `limits` given to `createRuntime` on top) and the scheduler plans with them.
   */
  readonly rateLimits?: {
    /** Calls in flight at once, account-wide. */
    readonly concurrency?: number;
    /** Requests started in any 60 seconds. */
    readonly requestsPerMinute?: number;
    /** Input plus output tokens in any 60 seconds, for providers with one token limit. */
    readonly tokensPerMinute?: number;
    /** Input tokens in any 60 seconds. */
    readonly inputTokensPerMinute?: number;
    /** Output tokens in any 60 seconds. */
    readonly outputTokensPerMinute?: number;
  };
  /** Where the figures come from, and when they were checked. */
  readonly source: string;
}
