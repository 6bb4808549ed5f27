import { assertWholeNumber, InvalidArgumentError } from '../errors';
import { assertNumber, assertType } from '../errors/option-checks';
import type { StepMeasurement } from './estimate-store';

const figures = ['durationMs', 'inputTokens', 'outputTokens'] as const;
const optionalFigures = ['cachedInputTokens'] as const;

/**
 * Throws unless `measurement` is one a store can learn from: a step node, and every figure a
 * finite number from 0 up (`items` a whole number, `concurrency` a whole number from 1 up). One
 * NaN or negative sample would skew every later plan (and a file store would replay it in every
 * process), so it is refused before it is blended in.
 */
export function checkMeasurement(measurement: StepMeasurement): void {
  const m = measurement as unknown as Record<string, unknown> | undefined;
  if (typeof m !== 'object' || m === null) {
    throw new InvalidArgumentError({ argument: 'measurement', expected: 'an object', value: m });
  }
  assertType('chain', m.chain, 'string');
  const step = m.step as { id?: unknown; kind?: unknown } | undefined;
  if (typeof step !== 'object' || step === null || typeof step.id !== 'string') {
    throw new InvalidArgumentError({
      argument: 'step',
      expected: 'a step node (one of `chain.definition.steps`)',
      value: step,
    });
  }
  if (m.model !== undefined) assertType('model', m.model, 'string');
  for (const field of figures) assertNumber(field, m[field]);
  for (const field of optionalFigures) {
    if (m[field] !== undefined) assertNumber(field, m[field]);
  }
  // Counts of items and of slots: half an item is a caller's mistake, not a measurement.
  if (m.items !== undefined) assertWholeNumber('items', m.items, 0);
  if (m.concurrency !== undefined) assertWholeNumber('concurrency', m.concurrency, 1);
}
