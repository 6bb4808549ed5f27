export { type Candidate, findCandidates, type StepCandidates } from './candidates';
export { computeSchedule, type Schedule } from './critical-path';
export { explainPlan, formatSeconds, formatTable, formatUsd } from './explain';
export type { Objective, Plan, PlannedStep, PlanTotals, StepPrediction } from './plan';
export { type PlanChainOptions, planChain } from './plan-chain';
export {
  type CallPrediction,
  defaultEstimates,
  estimateStep,
  predictCall,
  predictStep,
  type StepEstimate,
} from './predict';
