export type { RetryOptions } from './backoff';
export type { CircuitBreakerOptions } from './circuit-breaker';
export { type CacheSetting, defaultLeaseMs } from './journal';
export type { ItemOutcome, MapExecution, MapExecutor, RemoteError } from './map-executor';
export type { ReplanMode } from './replan';
export type { HedgeOptions, ResilienceOptions } from './resilience';
export type { RunResult } from './run-chain';
export {
  createRuntime,
  type PlanOptions,
  type RunOptions,
  type Runtime,
  type RuntimeOptions,
} from './runtime';
export type {
  BudgetHold,
  CallOutcome,
  CallTokens,
  LimitLease,
  LimitRequest,
  ModelLimits,
  SharedBudget,
  SharedLimits,
} from './shared-limits';
export type { AsyncIterableStream } from './stream/replay';
export type {
  HotpathStreamEvent,
  HotpathUIMessage,
  RunOutcome,
  StepProgress,
  StreamOptions,
  StreamResult,
  UIMessageStreamOptions,
} from './stream/stream-result';
