import type { StepOption } from './problem';

/**
 * A problem's option durations and costs as flat numbers: option `o` of step `i` at
 * `offset[i] + o`. The passes that solvers run over and over (a budget's bisection makes dozens)
 * read a number here rather than a field of an option object of a list of lists.
 */
export interface FlatOptions {
  readonly offset: Int32Array;
  readonly ms: Float64Array;
  readonly usd: Float64Array;
}

/** The needs of every step as one list: step `i` needs `at[start[i]]` to `at[start[i + 1] - 1]`. */
export interface FlatNeeds {
  readonly start: Int32Array;
  readonly at: Int32Array;
}

// Keyed by the arrays themselves: a problem's options are never changed once it is made.
const flatOptionsOf = new WeakMap<object, FlatOptions>();
const flatNeedsOf = new WeakMap<object, FlatNeeds>();

/** `options` flattened, made once per options array. */
export function flattenOptions(options: readonly (readonly StepOption[])[]): FlatOptions {
  const known = flatOptionsOf.get(options);
  if (known !== undefined) return known;
  const n = options.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += options[i]!.length;
  // One buffer for the three (buffers live outside the heap and cost more to make than to fill).
  const numbers = new Float64Array(2 * total + Math.ceil((n + 1) / 2));
  const ms = numbers.subarray(0, total);
  const usd = numbers.subarray(total, 2 * total);
  const offset = new Int32Array(numbers.buffer, 16 * total, n + 1);
  for (let i = 0; i < n; i++) offset[i + 1] = offset[i]! + options[i]!.length;
  for (let i = 0; i < n; i++) {
    const list = options[i]!;
    const at = offset[i]!;
    for (let o = 0; o < list.length; o++) {
      ms[at + o] = list[o]!.durationMs;
      usd[at + o] = list[o]!.costUsd;
    }
  }
  const flat = { offset, ms, usd };
  flatOptionsOf.set(options, flat);
  return flat;
}

/** `needs` flattened, made once per needs array (one per chain layout). */
export function flattenNeeds(needs: readonly (readonly number[])[]): FlatNeeds {
  const known = flatNeedsOf.get(needs);
  if (known !== undefined) return known;
  const n = needs.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + needs[i]!.length;
  const at = new Int32Array(start[n]!);
  for (let i = 0; i < n; i++) {
    const wanted = needs[i]!;
    for (let k = 0; k < wanted.length; k++) at[start[i]! + k] = wanted[k]!;
  }
  const flat = { start, at };
  flatNeedsOf.set(needs, flat);
  return flat;
}
