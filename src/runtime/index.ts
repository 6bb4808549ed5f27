export type { RetryOptions } from './backoff';
export type { CircuitBreakerOptions } from './circuit-breaker';
export type { ModelLimits } from './model-limiter';
export type { ReplanMode } from './replan';
export type { HedgeOptions, ResilienceOptions } from './resilience';
export type { RunResult } from './run-chain';
export { createRuntime, type RunOptions, type Runtime, type RuntimeOptions } from './runtime';
