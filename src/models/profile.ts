/** How a model generates: diffusion models emit blocks at once, MoE and dense models token by token. */
export type ModelArchitecture = 'diffusion' | 'moe' | 'autoregressive';

/** Prices in US dollars per million tokens. */
export interface ModelPricing {
  readonly inputPerMTok: number;
  readonly cachedInputPerMTok: number;
  readonly outputPerMTok: number;
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
  /** Output tokens per second once decoding runs. */
  readonly outputTokensPerSecond: number;
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
