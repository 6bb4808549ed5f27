import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { nearestName } from '../errors/nearest-name';
import { catalogAliases } from '../models/catalog';
import { type EmulatorFaults, faultKinds } from './faults';

/**
 * Throws an `InvalidArgumentError` naming the field (`faults[1].rate`) when a rule is malformed,
 * so a typo in a fault fails at start-up rather than silently never firing. With `served` (the
 * ids of the models served), a rule's `model` must be one of them or a catalog alias of one.
 */
export function validateFaults(faults: EmulatorFaults, served?: readonly string[]): void {
  if (!Array.isArray(faults)) {
    throw new InvalidArgumentError({
      argument: 'faults',
      expected: 'an array of rules',
      value: faults,
    });
  }
  faults.forEach((rule, index) => {
    const at = `faults[${index}]`;
    const fail = (field: string, expected: string, value: unknown) =>
      new InvalidArgumentError({ argument: `${at}.${field}`, expected, value });
    const fault = rule?.fault;
    if (!faultKinds.includes(fault?.kind)) {
      throw fail('fault.kind', `one of ${faultKinds.join(', ')}`, fault?.kind);
    }
    if (rule.model !== undefined && (typeof rule.model !== 'string' || rule.model === '')) {
      throw fail('model', 'a model id', rule.model);
    }
    if (rule.model !== undefined && served !== undefined) {
      checkFaultModel(rule.model, served, `${at}.model`);
    }
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
      throw fail('rate', 'a number from 0 to 1', rule.rate);
    }
    if (rule.requests !== undefined) {
      if (!Array.isArray(rule.requests)) throw fail('requests', 'an array', rule.requests);
      for (const n of rule.requests) {
        if (!Number.isInteger(n) || n < 1) throw fail('requests', 'whole numbers from 1 up', n);
      }
    }
    switch (fault.kind) {
      case 'rate-limit':
      case 'unavailable':
        if (fault.retryAfterSeconds !== undefined && !(fault.retryAfterSeconds >= 0)) {
          throw fail('fault.retryAfterSeconds', 'a number from 0 up', fault.retryAfterSeconds);
        }
        break;
      case 'stall':
        if (!(fault.ms >= 0) || !Number.isFinite(fault.ms)) {
          throw fail('fault.ms', 'a number of milliseconds from 0 up', fault.ms);
        }
        if (
          fault.afterChunks !== undefined &&
          !(Number.isInteger(fault.afterChunks) && fault.afterChunks >= 0)
        ) {
          throw fail('fault.afterChunks', 'a whole number from 0 up', fault.afterChunks);
        }
        break;
      case 'error-frame':
        if (
          fault.status !== undefined &&
          !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)
        ) {
          throw fail('fault.status', 'an HTTP error status from 400 to 599', fault.status);
        }
        checkShare(fault.after, fail);
        break;
      case 'bad-chunk':
        checkShare(fault.after, fail);
        break;
      case 'slow':
        if (!(fault.factor > 0) || !Number.isFinite(fault.factor)) {
          throw fail('fault.factor', 'a number above 0', fault.factor);
        }
        break;
      case 'cut':
        checkShare(fault.after, fail);
        break;
    }
  });
}

/** A fault's `after`: unset, or a share of the output from 0 to 1. */
function checkShare(
  after: number | undefined,
  fail: (field: string, expected: string, value: unknown) => InvalidArgumentError,
): void {
  if (after !== undefined && !(after >= 0 && after <= 1)) {
    throw fail('fault.after', 'a share from 0 to 1', after);
  }
}

/**
 * Throws unless `model` is one of the `served` ids or a catalog alias of one, naming `where` and
 * the nearest served name: ``Unknown model `mercury3` in `faults[0].model`; did you mean `mercury-2`?``.
 */
export function checkFaultModel(model: string, served: readonly string[], where: string): void {
  if (served.includes(model)) return;
  const target = catalogAliases[model];
  if (target !== undefined && served.includes(target)) return;
  const names = [
    ...served,
    ...Object.keys(catalogAliases).filter((alias) => served.includes(catalogAliases[alias]!)),
  ];
  const near = nearestName(model, names);
  const hint = near
    ? `did you mean \`${near}\`?`
    : `the emulated models are ${served.map((id) => `\`${id}\``).join(', ')}`;
  throw new InvalidArgumentError({
    argument: where,
    message: `Unknown model \`${model}\` in \`${where}\`; ${hint}`,
  });
}
