import { describe, expect, it } from 'vitest';
import {
  AnswerRestartedError,
  BudgetExceededError,
  ChainDefinitionError,
  HotpathError,
  InvalidArgumentError,
  InvalidInputError,
  ModelConfigError,
  RunAbortedError,
  RunStoreError,
  StepError,
} from '.';

const trace = {} as never;
const errors = [
  new AnswerRestartedError({ chain: 'c', stepId: 's', deliveredChars: 3 }),
  new BudgetExceededError({
    chain: 'c',
    stepId: 's',
    model: 'm',
    maxCostUsd: 1,
    spentUsd: 1,
    reservedUsd: 0,
    requiredUsd: 1,
  }),
  new ChainDefinitionError({ chain: 'c', reason: 'invalid-option', message: 'x' }),
  new InvalidArgumentError({ argument: 'a', expected: 'a number', value: 'x' }),
  new InvalidInputError({ chain: 'c', issues: [{ path: ['a'], message: 'x' }] }),
  new ModelConfigError({ reason: 'no-candidate', message: 'x' }),
  new RunAbortedError({ chain: 'c', trace }),
  new RunStoreError({ runId: 'r', reason: 'lease-held', message: 'x' }),
  new StepError({ chain: 'c', stepId: 's', reason: 'function', message: 'x' }),
];

describe('error classes', () => {
  it('name each error after its class', () => {
    for (const error of errors) expect(error.name).toBe(error.constructor.name);
  });

  it('recognise their own instances, and any hotpath error as a HotpathError', () => {
    for (const error of errors) {
      const own = (error.constructor as typeof HotpathError).isInstance(error);
      expect(own).toBe(true);
      expect(HotpathError.isInstance(error)).toBe(true);
    }
    expect(StepError.isInstance(errors[0])).toBe(false);
  });

  it('still recognise errors marked by an older copy of hotpath', () => {
    const older = { [Symbol.for('hotpath.error.HotpathStepError')]: true };
    expect(StepError.isInstance(older)).toBe(true);
  });
});
