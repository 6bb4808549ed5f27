export { callModel, type ModelCallResult, toTokenUsage } from './call-model';
export type { RunResult } from './run-chain';
export { createRuntime, type RunOptions, type Runtime, type RuntimeOptions } from './runtime';
