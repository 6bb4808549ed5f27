import { InvalidArgumentError } from '../errors';
import { describeValue } from '../errors/invalid-argument-error';
import { nearestName } from '../errors/nearest-name';
import { assertKnownKeys, assertNumber, assertType } from '../errors/option-checks';
import type { Objective } from './plan';

const deadlineKeys = ['deadlineMs', 'defer', 'confidence'];
const budgetKeys = ['budgetUsd'];
const shapes =
  "'balanced', 'latency', 'cost', { deadlineMs, defer?, confidence? } or { budgetUsd }";

/**
 * Throws when the objective is none of the five shapes, naming the field at fault: a bad figure
 * (`objective.deadlineMs`), a key of no shape (with the nearest one), or keys of two shapes.
 * `owner` is the function the objective was passed to, for the unknown-key message.
 */
export function checkObjective(objective: Objective, owner = 'planChain'): void {
  if (objective === 'balanced' || objective === 'latency' || objective === 'cost') return;
  const value = objective as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAShape(value);
  const o = value as Record<string, unknown>;
  const isDeadline = 'deadlineMs' in o;
  const isBudget = 'budgetUsd' in o;
  if (isDeadline && isBudget) {
    // A budget under a deadline is no shape the solvers have: refuse rather than drop one.
    throw new InvalidArgumentError({
      argument: 'objective',
      message: `Expected \`objective\` to be { deadlineMs } or { budgetUsd }, not both, got \`${describeValue(o)}\`; to cap what a deadline run spends, set \`maxCostUsd\` on the runtime or the run`,
    });
  }
  if (isDeadline) {
    checkKeys(o, deadlineKeys, budgetKeys, owner);
    assertNumber('objective.deadlineMs', o.deadlineMs, { above: true });
    if (o.defer !== undefined) assertType('objective.defer', o.defer, 'boolean');
    if (o.confidence !== undefined) checkConfidence(o.confidence);
    return;
  }
  if (isBudget) {
    checkKeys(o, budgetKeys, deadlineKeys, owner);
    assertNumber('objective.budgetUsd', o.budgetUsd);
    return;
  }
  // Neither shape: a misspelt `deadlineMs` or `budgetUsd` is named, else the shapes are listed.
  const known = [...deadlineKeys, ...budgetKeys];
  if (Object.keys(o).some((key) => nearestName(key, known) !== undefined)) {
    assertKnownKeys(o, known, owner, 'objective.');
  }
  throw notAShape(value);
}

/** Unknown keys of the shape `own`; a key of the other shape is named as such. */
function checkKeys(
  o: Record<string, unknown>,
  own: readonly string[],
  other: readonly string[],
  owner: string,
): void {
  for (const key of Object.keys(o)) {
    if (!other.includes(key)) continue;
    const shape = own === deadlineKeys ? '{ deadlineMs }' : '{ budgetUsd }';
    const goes = other === deadlineKeys ? '`deadlineMs`' : '`budgetUsd`';
    throw new InvalidArgumentError({
      argument: `objective.${key}`,
      message: `Unknown option \`objective.${key}\` of \`${owner}\` for ${shape}: it goes with ${goes}`,
    });
  }
  assertKnownKeys(o, own, owner, 'objective.');
}

function checkConfidence(confidence: unknown): void {
  if (typeof confidence === 'number' && confidence > 0 && confidence < 1) return;
  throw new InvalidArgumentError({
    argument: 'objective.confidence',
    expected: 'a probability above 0 and below 1 (such as 0.9)',
    value: confidence,
  });
}

function notAShape(value: unknown): InvalidArgumentError {
  return new InvalidArgumentError({ argument: 'objective', expected: shapes, value });
}
