import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { EmulatorFault, EmulatorFaultRule } from './faults';
import { checkFaultModel, validateFaults } from './validate-faults';

/** The `--fault` syntax, for help texts: `KIND[=VALUE][,model=ID][,rate=P][,at=N+N]`. */
export const faultSpecSyntax = 'KIND[=VALUE][,model=ID][,rate=P][,at=N+N...]';

type Kind = EmulatorFault['kind'];

/** Kinds with no figure to give: `500=7` is a mistake, not a 500. */
const takesNoValue: readonly Kind[] = ['server-error', 'reset'];

const kindNames: Readonly<Record<string, Kind>> = {
  '429': 'rate-limit',
  'rate-limit': 'rate-limit',
  '500': 'server-error',
  'server-error': 'server-error',
  '503': 'unavailable',
  unavailable: 'unavailable',
  stall: 'stall',
  slow: 'slow',
  cut: 'cut',
  reset: 'reset',
  'error-frame': 'error-frame',
  'bad-chunk': 'bad-chunk',
};

/**
 * Parses one `--fault` flag into a rule. KIND is `429` (VALUE: Retry-After seconds, default 1),
 * `500`, `503` (VALUE: Retry-After seconds, none by default), `stall` (VALUE: ms of the pause,
 * before the first token or, with `chunks=N`, after N chunks), `slow` (VALUE: decoding slowdown
 * factor), `cut` (VALUE: share of the output sent first, default 0.5), `error-frame` (VALUE: the
 * frame's status, default 500; `after=P` the share sent first, default 0.5), `bad-chunk` (VALUE:
 * share sent first, default 0.5) or `reset`; `500` and `reset` take no VALUE. Without `rate` or
 * `at`, every request gets the fault. A VALUE where none belongs, or an empty one, is refused;
 * with `served` (the ids of the models served), so is a `model=` that names none of them.
 *
 * @example
 * parseFaultSpec('429=2,model=deepseek-flash,rate=0.1');
 * // { fault: { kind: 'rate-limit', retryAfterSeconds: 2 }, model: 'deepseek-flash', rate: 0.1 }
 * parseFaultSpec('reset,at=1+3');
 * // { fault: { kind: 'reset' }, requests: [1, 3] }
 * parseFaultSpec('stall=60000,chunks=1');
 * // { fault: { kind: 'stall', ms: 60000, afterChunks: 1 } }
 */
export function parseFaultSpec(spec: string, served?: readonly string[]): EmulatorFaultRule {
  const fail = (expected: string, value: unknown): never => {
    throw new InvalidArgumentError({ argument: `--fault ${spec}`, expected, value });
  };
  const [head = '', ...options] = spec.split(',').map((part) => part.trim());
  const [name = '', value] = head.split('=');
  const kind = kindNames[name.toLowerCase()];
  if (kind === undefined) return fail(`a kind among ${Object.keys(kindNames).join(', ')}`, name);
  if (value !== undefined && takesNoValue.includes(kind)) {
    return fail(`\`${name}\` alone (it takes no value)`, value);
  }
  // `Number('')` is 0: an empty VALUE is a mistake, not a zero.
  const number = value === undefined ? undefined : value.trim() === '' ? Number.NaN : Number(value);
  if (number !== undefined && Number.isNaN(number)) return fail('a number after `=`', value);
  let fault = toFault(kind, number, fail);
  const rule: { -readonly [K in keyof EmulatorFaultRule]: EmulatorFaultRule[K] } = { fault };
  for (const option of options) {
    const [key, text = ''] = option.split('=');
    // `Number('')` is 0 here too: `chunks=` is a mistake.
    const figure = text.trim() === '' ? Number.NaN : Number(text);
    if (key === 'chunks' && fault.kind === 'stall') {
      if (!Number.isInteger(figure) || figure < 0) fail('`chunks=N` with N a whole number', option);
      rule.fault = fault = { ...fault, afterChunks: figure };
    } else if (key === 'after' && fault.kind === 'error-frame') {
      if (Number.isNaN(figure)) fail('`after=P` with P a share from 0 to 1', option);
      rule.fault = fault = { ...fault, after: figure };
    } else if (key === 'model') rule.model = text;
    else if (key === 'rate') {
      if (text.trim() === '') fail('`rate=P` with P a share from 0 to 1', option);
      rule.rate = Number(text);
    } else if (key === 'at') rule.requests = text.split('+').map(Number);
    else fail(`options among ${optionNames(fault.kind)}`, option);
  }
  validateFaults([rule]);
  if (served !== undefined && rule.model !== undefined) {
    checkFaultModel(rule.model, served, `--fault ${spec}`);
  }
  return rule;
}

function toFault(
  kind: Kind,
  value: number | undefined,
  fail: (expected: string, value: unknown) => never,
): EmulatorFault {
  switch (kind) {
    case 'rate-limit':
    case 'unavailable':
      return value === undefined ? { kind } : { kind, retryAfterSeconds: value };
    case 'stall':
      return { kind, ms: value ?? fail('`stall=MS`, the delay before the first token', value) };
    case 'slow':
      return { kind, factor: value ?? fail('`slow=FACTOR`, how many times slower', value) };
    case 'cut':
    case 'bad-chunk':
      return value === undefined ? { kind } : { kind, after: value };
    case 'error-frame':
      return value === undefined ? { kind } : { kind, status: value };
    default:
      return { kind };
  }
}

function optionNames(kind: Kind): string {
  const own = kind === 'stall' ? 'chunks=N, ' : kind === 'error-frame' ? 'after=P, ' : '';
  return `${own}model=ID, rate=P, at=N+N`;
}
