import { asNumber, generateString, type Schema } from './json-string';
import type { Random } from './random';
import { generateShortString } from './text';

interface Context {
  readonly root: unknown;
  readonly random: Random;
  /** `$ref` hops on the current path; past `SHALLOW_REF_DEPTH` recursion winds down. */
  readonly refDepth: number;
  /** Schema nesting on the current path; a hard stop for schemas that cannot terminate. */
  readonly depth: number;
}

const SHALLOW_REF_DEPTH = 2;
const MAX_DEPTH = 64;

/**
 * Generates a value that validates against a JSON Schema (draft-07 or 2020-12), as an emulated
 * model's structured output. Strings are short readable words, numbers stay near zero, arrays
 * hold 3 to 6 items when unbounded, and every declared property is emitted. Recursive `$ref`s
 * wind down after a few levels by preferring `null` branches, minimal arrays and omitting
 * optional properties. A `pattern` is met on a best-effort basis.
 *
 * @example
 * generateJsonInstance(z.toJSONSchema(z.object({ title: z.string() })), createRandom(1));
 * // { title: 'clear plan' }
 */
export function generateJsonInstance(schema: unknown, random: Random): unknown {
  return generate(schema, { root: schema, random, refDepth: 0, depth: 0 });
}

function generate(input: unknown, ctx: Context): unknown {
  if (input === false || ctx.depth > MAX_DEPTH) return null;
  if (!isRecord(input)) return generateShortString(ctx.random);
  const schema = input;
  const inner: Context = { ...ctx, depth: ctx.depth + 1 };
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, ctx.root);
    const { $ref: _, ...rest } = schema;
    return generate(mergeSchemas([target, rest]), { ...inner, refDepth: ctx.refDepth + 1 });
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return generate(mergeSchemas([rest, ...allOf.map((part) => deref(part, ctx.root))]), inner);
  }
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return generate(mergeSchemas([rest, chooseBranch(branches, ctx)]), inner);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return ctx.random.pick(schema.enum);

  switch (chooseType(schema, ctx)) {
    case 'null':
      return null;
    case 'boolean':
      return ctx.random.next() < 0.5;
    case 'integer':
      return generateNumber(schema, true, ctx.random);
    case 'number':
      return generateNumber(schema, false, ctx.random);
    case 'object':
      return generateObject(schema, inner);
    case 'array':
      return generateArray(schema, inner);
    default:
      return generateString(schema, ctx.random);
  }
}

function isShallow(ctx: Context): boolean {
  return ctx.refDepth > SHALLOW_REF_DEPTH;
}

/** The first non-null branch; once recursion is deep, a null or ref-free branch if there is one. */
function chooseBranch(branches: readonly unknown[], ctx: Context): unknown {
  const isNull = (branch: unknown) => isRecord(branch) && branch.type === 'null';
  if (isShallow(ctx)) {
    const exit =
      branches.find(isNull) ?? branches.find((branch) => !JSON.stringify(branch).includes('$ref'));
    if (exit !== undefined) return exit;
  }
  return branches.find((branch) => !isNull(branch) && branch !== false) ?? branches[0];
}

function chooseType(schema: Schema, ctx: Context): string {
  const declared = Array.isArray(schema.type) ? schema.type : [schema.type ?? inferType(schema)];
  const types = declared.filter((type): type is string => typeof type === 'string');
  if (types.includes('null') && (isShallow(ctx) || types.length === 1)) return 'null';
  return types.find((type) => type !== 'null') ?? 'string';
}

function inferType(schema: Schema): string {
  const has = (...keys: string[]) => keys.some((key) => key in schema);
  if (has('properties', 'additionalProperties', 'required', 'propertyNames')) return 'object';
  if (has('items', 'prefixItems', 'minItems', 'maxItems')) return 'array';
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) {
    return 'number';
  }
  return 'string';
}

function generateObject(schema: Schema, ctx: Context): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const extra = schema.additionalProperties;
  const valueSchema = extra === undefined || extra === false ? true : extra;
  const entries = new Map<string, unknown>();
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (required.has(key) || !isShallow(ctx)) entries.set(key, generate(propertySchema, ctx));
  }
  for (const key of required) {
    if (!entries.has(key)) entries.set(key, generate(valueSchema, ctx));
  }
  // A record (no declared properties): a couple of entries with keys from `propertyNames`.
  if (Object.keys(properties).length === 0 && isRecord(extra) && !isShallow(ctx)) {
    const names = isRecord(schema.propertyNames) ? schema.propertyNames : {};
    for (let attempt = 0; attempt < 4 && entries.size < 2; attempt++) {
      const key = String(generate(names, ctx));
      // Free-form keys read better as identifiers; constrained ones must stay as generated.
      const name = Object.keys(names).every((k) => k === 'type') ? key.replaceAll(' ', '_') : key;
      if (!entries.has(name)) entries.set(name, generate(extra, ctx));
    }
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return Object.fromEntries(entries);
}

function generateArray(schema: Schema, ctx: Context): unknown[] {
  const draft7Tuple = Array.isArray(schema.items);
  const prefix = (draft7Tuple ? schema.items : schema.prefixItems) as unknown[] | undefined;
  const rest = draft7Tuple ? schema.additionalItems : schema.items;
  const min = asNumber(schema.minItems) ?? 0;
  const max = Math.min(
    asNumber(schema.maxItems) ?? Number.POSITIVE_INFINITY,
    rest === false ? (prefix?.length ?? 0) : Number.POSITIVE_INFINITY,
  );
  let count: number;
  if (isShallow(ctx)) count = min;
  else if (prefix && prefix.length > 0 && rest === undefined)
    count = clamp(prefix.length, min, max);
  else count = Math.max(prefix?.length ?? 0, chooseCount(min, max, ctx));
  count = clamp(count, min, max);
  return Array.from({ length: count }, (_, index) => generate(prefix?.[index] ?? rest, ctx));
}

/** 3 to 6 items at the top level, 1 to 2 inside `$ref`s so recursive data stays small. */
function chooseCount(min: number, max: number, ctx: Context): number {
  const [low, high] = ctx.refDepth === 0 ? [3, 6] : [1, 2];
  if (max < low) return ctx.random.int(Math.min(min === 0 ? 1 : min, max), max);
  if (min > high) return ctx.random.int(min, Math.min(max, min + 3));
  return ctx.random.int(Math.max(low, min), Math.min(high, max));
}

function generateNumber(schema: Schema, integer: boolean, random: Random): number {
  let low = asNumber(schema.minimum);
  let high = asNumber(schema.maximum);
  let lowExclusive = schema.exclusiveMinimum === true;
  let highExclusive = schema.exclusiveMaximum === true;
  const exclusiveMin = asNumber(schema.exclusiveMinimum);
  const exclusiveMax = asNumber(schema.exclusiveMaximum);
  if (exclusiveMin !== undefined && (low === undefined || exclusiveMin >= low)) {
    [low, lowExclusive] = [exclusiveMin, true];
  }
  if (exclusiveMax !== undefined && (high === undefined || exclusiveMax <= high)) {
    [high, highExclusive] = [exclusiveMax, true];
  }
  // Plausible values sit in a window of 100 near zero, shifted inside the bounds.
  const windowLow =
    low !== undefined && low > 0 ? low : high !== undefined && high < 100 ? high - 100 : 0;
  const from = Math.max(windowLow, low ?? windowLow);
  const to = Math.min(windowLow + 100, high ?? windowLow + 100);
  const isAbove = (value: number) =>
    low === undefined || (lowExclusive ? value > low : value >= low);
  const isBelow = (value: number) =>
    high === undefined || (highExclusive ? value < high : value <= high);

  const multipleOf = asNumber(schema.multipleOf);
  const step = integer ? integerStep(multipleOf ?? 1) : multipleOf;
  if (step === undefined || step <= 0) {
    const value = Math.round((from + random.next() * (to - from)) * 100) / 100;
    return isAbove(value) && isBelow(value) ? value : (from + to) / 2;
  }
  const at = (k: number) => roundTo(k * step, decimalsOf(step));
  let first = Math.ceil(from / step);
  let last = Math.floor(to / step);
  if (!isAbove(at(first))) first++;
  if (!isBelow(at(last))) last--;
  return first <= last ? at(random.int(first, last)) : at(first);
}

/** The smallest whole multiple of `multipleOf`, so integer and multipleOf hold together. */
function integerStep(multipleOf: number): number {
  for (let k = 1; k <= 1000; k++) {
    const candidate = roundTo(k * multipleOf, decimalsOf(multipleOf));
    if (Number.isInteger(candidate)) return candidate;
  }
  return multipleOf;
}

function mergeSchemas(parts: readonly unknown[]): Schema {
  const merged: Schema = {};
  for (const part of parts) {
    if (!isRecord(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      merged[key] = key in merged ? mergeKeyword(key, merged[key], value) : value;
    }
  }
  return merged;
}

function mergeKeyword(key: string, previous: unknown, value: unknown): unknown {
  if (key === 'properties' && isRecord(previous) && isRecord(value)) {
    const properties: Schema = { ...previous };
    for (const [name, schema] of Object.entries(value)) {
      properties[name] = name in previous ? { allOf: [previous[name], schema] } : schema;
    }
    return properties;
  }
  if (key === 'required' && Array.isArray(previous) && Array.isArray(value)) {
    return [...new Set([...previous, ...value])];
  }
  if (key === 'pattern') return [previous, value].flat();
  if (key === 'type') {
    const types = [value].flat();
    const kept = [previous].flat().filter((type) => types.includes(type));
    if (kept.length > 0) return kept;
    return types.includes('integer') || [previous].flat().includes('integer') ? 'integer' : value;
  }
  if (typeof previous === 'number' && typeof value === 'number') {
    if (/^(min|exclusiveMin)/.test(key)) return Math.max(previous, value);
    if (/^(max|exclusiveMax)/.test(key)) return Math.min(previous, value);
  }
  return value;
}

/** Resolves a local JSON Pointer such as `#`, `#/$defs/Node` or `#/definitions/Node`. */
function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return true;
  let node = root;
  for (const segment of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isRecord(node) ? node[key] : undefined;
  }
  return node ?? true;
}

function deref(schema: unknown, root: unknown): unknown {
  if (!isRecord(schema) || typeof schema.$ref !== 'string') return schema;
  const { $ref, ...rest } = schema;
  return mergeSchemas([resolveRef($ref, root), rest]);
}

function isRecord(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

function decimalsOf(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

function roundTo(value: number, decimals: number): number {
  return Number(value.toFixed(Math.min(decimals, 20)));
}
