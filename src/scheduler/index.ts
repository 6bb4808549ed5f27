export { type Candidate, findCandidates, type StepCandidates } from './candidates';
export { computeSchedule, type Schedule } from './critical-path';
export {
  createMemoryEstimateStore,
  type EstimateKey,
  type EstimateStore,
  recordStep,
  type StepEstimateRecord,
  type StepMeasurement,
} from './estimate-store';
export { explainPlan, formatObjective, formatSeconds, formatTable, formatUsd } from './explain';
export type { Percentiles } from './model-stats';
export type {
  Objective,
  Plan,
  PlanChange,
  PlanConfidence,
  PlanEndpoint,
  PlannedStep,
  PlanPriceWindow,
  PlanSolver,
  PlanTotals,
  StepPrediction,
  StepState,
} from './plan';
export { type PlanChainOptions, planChain } from './plan-chain';
export {
  type CallPrediction,
  defaultEstimates,
  type EstimateHistory,
  estimateStep,
  predictCall,
  predictStep,
  type RateLimits,
  type StepEstimate,
} from './predict';
export {
  type DoneStep,
  type Replan,
  type ReplanChainOptions,
  type RunningStep,
  type RunProgress,
  replanChain,
} from './replan-chain';
export type { SolverChoice } from './solve-objective';
