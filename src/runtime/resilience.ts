import type { CallTimeouts } from '../chain';
import type { Clock } from '../clock';
import type { OptionKeys } from '../errors/option-checks';
import { defaultRetry, type RetryOptions } from './backoff';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import { createLocalLimits } from './model-limiter';
import type { ModelLimits, SharedLimits } from './shared-limits';

/** When and how a slow-to-start call is raced against the next-fastest model. */
export interface HedgeOptions {
  /** @default true */
  enabled?: boolean;
  /**
   * Start the hedge after this long without a first token.
   * @default the model's high-percentile first-token time: the p90 the history measured once it
   * has 20 successful calls of the model (at the endpoint, for a model at several places), else
   * 1.5 x the profile's median plus round trip and prefill
   */
  afterMs?: number;
  /** Under a budget (`maxCostUsd`), hedges may spend at most this share of it. @default 0.1 */
  maxShare?: number;
}

/** Options of the runtime's resilience: retries, timeouts, hedging, limits, circuit breakers. */
export interface ResilienceOptions {
  /** How often a failed call is tried again, with exponential backoff and jitter. */
  retry?: RetryOptions;
  /**
   * Per-call time limits (a step's `timeout` overrides them field by field). Unset fields are
   * derived from the model's profile (see `CallTimeouts`), so no call waits forever on a provider
   * that stops answering; `false` turns the derived limits off.
   * @default derived from each model's profile
   */
  timeouts?: CallTimeouts | false;
  /** `false` turns hedging off. */
  hedge?: HedgeOptions | false;
  /** Limits per model id, shared by every run of the runtime. */
  limits?: Readonly<Record<string, ModelLimits>>;
  /** After this many failures in a row a model is skipped for `cooldownMs`, then tried again. */
  circuitBreaker?: CircuitBreakerOptions;
  /**
   * Under a budget, calls without `maxOutputTokens` are capped at this, so that their worst-case
   * cost is known before they start. @default 4096
   */
  defaultMaxOutputTokens?: number;
}

/** Every key of {@link ResilienceOptions}, for the unknown-option check. */
export const resilienceOptionKeys: OptionKeys<ResilienceOptions> = {
  retry: true,
  timeouts: true,
  hedge: true,
  limits: true,
  circuitBreaker: true,
  defaultMaxOutputTokens: true,
};

/** The resolved options every run reads. */
export interface Resilience {
  readonly retry: Required<RetryOptions>;
  readonly timeouts: CallTimeouts;
  /** Whether unset timeouts are derived from the profile (`timeouts: false` turns that off). */
  readonly defaultTimeouts: boolean;
  readonly hedge: {
    readonly enabled: boolean;
    readonly afterMs?: number;
    readonly maxShare: number;
  };
  readonly defaultMaxOutputTokens: number;
}

/** Per-model state shared by all runs: limits and circuit breakers, created on first use. */
export interface ModelGuards {
  /** Where calls wait for their turn: in this process, or shared (`hotpath/redis`). */
  readonly limits: SharedLimits;
  /** A model's limits: its profile's, with the runtime's `limits` on top. */
  limitsFor(modelId: string): ModelLimits;
  breakerFor(modelId: string): CircuitBreaker;
}

/** Fills in the defaults. */
export function resolveResilience(options: ResilienceOptions): Resilience {
  const hedge = options.hedge === false ? { enabled: false } : (options.hedge ?? {});
  return {
    retry: { ...defaultRetry, ...options.retry },
    timeouts: options.timeouts || {},
    defaultTimeouts: options.timeouts !== false,
    hedge: {
      enabled: hedge.enabled ?? true,
      afterMs: hedge.afterMs,
      maxShare: hedge.maxShare ?? 0.1,
    },
    defaultMaxOutputTokens: options.defaultMaxOutputTokens ?? 4096,
  };
}

/**
 * Creates the runtime's per-model limits (profile limits, then `limits`), kept in `shared` when
 * given, else in this process, and its circuit breakers.
 */
export function createModelGuards(
  options: ResilienceOptions,
  clock: Clock,
  profileLimits: (modelId: string) => ModelLimits | undefined = () => undefined,
  shared: SharedLimits = createLocalLimits(clock),
): ModelGuards {
  const resolved = new Map<string, ModelLimits>();
  const breakers = new Map<string, CircuitBreaker>();
  return {
    limits: shared,
    limitsFor(modelId) {
      let limits = resolved.get(modelId);
      if (limits === undefined) {
        limits = { ...profileLimits(modelId), ...options.limits?.[modelId] };
        resolved.set(modelId, limits);
      }
      return limits;
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
