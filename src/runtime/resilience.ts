import type { CallTimeouts } from '../chain';
import type { Clock } from '../clock';
import { defaultRetry, type RetryOptions } from './backoff';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import { ModelLimiter, type ModelLimits } from './model-limiter';

/** When and how a slow-to-start call is raced against the next-fastest model. */
export interface HedgeOptions {
  /** @default true */
  enabled?: boolean;
  /**
   * Start the hedge after this long without a first token.
   * @default the model's high-percentile first-token time (1.5 x its median, plus round trip and prefill)
   */
  afterMs?: number;
  /** Under a budget (`maxCostUsd`), hedges may spend at most this share of it. @default 0.1 */
  maxShare?: number;
}

/** Options of the runtime's resilience: retries, timeouts, hedging, limits, circuit breakers. */
export interface ResilienceOptions {
  retry?: RetryOptions;
  /** Default per-call time limits (a step's `timeout` overrides them). @default none */
  timeouts?: CallTimeouts;
  /** `false` turns hedging off. */
  hedge?: HedgeOptions | false;
  /** Limits per model id, shared by every run of the runtime. */
  limits?: Readonly<Record<string, ModelLimits>>;
  circuitBreaker?: CircuitBreakerOptions;
  /**
   * Under a budget, calls without `maxOutputTokens` are capped at this, so that their worst-case
   * cost is known before they start. @default 4096
   */
  defaultMaxOutputTokens?: number;
}

/** The resolved options every run reads. */
export interface Resilience {
  readonly retry: Required<RetryOptions>;
  readonly timeouts: CallTimeouts;
  readonly hedge: {
    readonly enabled: boolean;
    readonly afterMs?: number;
    readonly maxShare: number;
  };
  readonly defaultMaxOutputTokens: number;
}

/** Per-model state shared by all runs: limiters and circuit breakers, created on first use. */
export interface ModelGuards {
  limiterFor(modelId: string): ModelLimiter;
  breakerFor(modelId: string): CircuitBreaker;
}

/** Fills in the defaults. */
export function resolveResilience(options: ResilienceOptions): Resilience {
  const hedge = options.hedge === false ? { enabled: false } : (options.hedge ?? {});
  return {
    retry: { ...defaultRetry, ...options.retry },
    timeouts: options.timeouts ?? {},
    hedge: {
      enabled: hedge.enabled ?? true,
      afterMs: hedge.afterMs,
      maxShare: hedge.maxShare ?? 0.1,
    },
    defaultMaxOutputTokens: options.defaultMaxOutputTokens ?? 4096,
  };
}

/** Creates the runtime's per-model limiters (profile limits, then `limits`) and breakers. */
export function createModelGuards(
  options: ResilienceOptions,
  clock: Clock,
  profileLimits: (modelId: string) => ModelLimits | undefined = () => undefined,
): ModelGuards {
  const limiters = new Map<string, ModelLimiter>();
  const breakers = new Map<string, CircuitBreaker>();
  return {
    limiterFor(modelId) {
      let limiter = limiters.get(modelId);
      if (limiter === undefined) {
        limiter = new ModelLimiter(
          { ...profileLimits(modelId), ...options.limits?.[modelId] },
          clock,
        );
        limiters.set(modelId, limiter);
      }
      return limiter;
    },
    breakerFor(modelId) {
      let breaker = breakers.get(modelId);
      if (breaker === undefined) {
        breaker = new CircuitBreaker(options.circuitBreaker);
        breakers.set(modelId, breaker);
      }
      return breaker;
    },
  };
}
