export {
  type AgentOptions,
  type AgentResult,
  type AgentStopWhen,
  type AgentToolCall,
  agent,
} from './agent';
export {
  type AnyChain,
  type Chain,
  type ChainContext,
  chain,
  type InferInput,
  type InferOutput,
  type MapItemResult,
  type MapOptions,
  type OnItemError,
  type PartialContext,
  type PartialOutput,
  type RunnableChain,
  type StepNames,
  type StepOptions,
} from './chain';
export { type FnOptions, fn } from './fn';
export {
  type ChainDefinition,
  dependentsOf,
  indexSteps,
  pipelineProducer,
  type StepKind,
  type StepNode,
} from './graph';
export { type LlmOptions, llm } from './llm';
export type { StandardSchemaV1 } from './standard-schema';
export type {
  CallPath,
  CallTimeouts,
  EmulatedTools,
  FnStepContext,
  FnStepDefinition,
  Lane,
  LlmStepDefinition,
  LlmText,
  ModelStepOptions,
  StepDefinition,
  StepExpectation,
  StepOutput,
  StepRequirements,
} from './step';
