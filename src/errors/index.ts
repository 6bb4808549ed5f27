export { BudgetExceededError } from './budget-exceeded-error';
export { ChainDefinitionError, type ChainDefinitionErrorReason } from './chain-definition-error';
export { HotpathError } from './hotpath-error';
export { assertWholeNumber, InvalidArgumentError } from './invalid-argument-error';
export { type InputIssue, InvalidInputError } from './invalid-input-error';
export { ModelConfigError, type ModelConfigErrorReason } from './model-config-error';
export { RunAbortedError } from './run-aborted-error';
export { RunStoreError, type RunStoreErrorReason } from './run-store-error';
export { StepError, type StepErrorReason } from './step-error';
