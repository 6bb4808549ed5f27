import type {
  Percentiles,
  Plan,
  PlanConfidence,
  PlannedStep,
  PlanTotals,
  RunTrace,
  StepRecord,
} from 'hotpath';
import { describe, expectTypeOf, it } from 'vitest';

// One name per idea in the public types: a step is named by `stepId` wherever it is referred to,
// and every length of time, predicted or measured, is a `durationMs`.
describe('public vocabulary', () => {
  it('names a step by stepId in plans, records and traces', () => {
    expectTypeOf<PlannedStep>().toHaveProperty('stepId').toEqualTypeOf<string>();
    expectTypeOf<PlannedStep>().not.toHaveProperty('id');
    expectTypeOf<StepRecord>().toHaveProperty('stepId').toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Plan['answer']>>().toHaveProperty('stepId');
    expectTypeOf<NonNullable<RunTrace['answer']>>().toHaveProperty('stepId');
  });

  it('calls every length of time durationMs', () => {
    expectTypeOf<PlanTotals>().toHaveProperty('durationMs').toEqualTypeOf<number>();
    expectTypeOf<PlanTotals>().not.toHaveProperty('makespanMs');
    expectTypeOf<RunTrace>().toHaveProperty('durationMs').toEqualTypeOf<number>();
    expectTypeOf<RunTrace>().not.toHaveProperty('wallMs');
    expectTypeOf<StepRecord>().toHaveProperty('durationMs').toEqualTypeOf<number>();
    expectTypeOf<RunTrace['plan']>().toHaveProperty('durationMs');
    // A plan's spread: percentiles of its makespan, named after the duration they spread.
    expectTypeOf<Plan['durationPercentiles']>().toEqualTypeOf<Percentiles>();
    expectTypeOf<Plan>().not.toHaveProperty('makespanPercentiles');
    expectTypeOf<PlanConfidence>().toHaveProperty('durationMs').toEqualTypeOf<number>();
  });

  it('gives a streamed plan and a streamed trace the same answer fields', () => {
    expectTypeOf<Plan>().not.toHaveProperty('firstAnswerTokenMs');
    expectTypeOf<NonNullable<Plan['answer']>>().toHaveProperty('firstTokenMs');
    expectTypeOf<NonNullable<RunTrace['answer']>>().toHaveProperty('firstTokenMs');
  });
});
