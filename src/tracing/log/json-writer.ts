import { createSecretMasker, type RedactOptions, secretsFromEnv, shouldKeepKey } from './redact';

/** Strings up to this long are quoted once and remembered, this many of them. */
const rememberedLength = 200;
const rememberedStrings = 4096;

/**
 * Writes `value` as redacted JSON text; `omit` leaves one key of the value itself out (a trace
 * log line holds the run's id once, beside its data). `undefined` when the value is dropped.
 */
export type JsonWriter = (value: unknown, omit?: string) => string | undefined;

/**
 * A function that writes a value as redacted JSON text in one walk: what
 * `JSON.stringify(createRedactor(options)(value))` gives, without building the redacted copy.
 * Prompts, inputs and outputs are left out unless included, credentials and header objects
 * always; every string is masked (`createSecretMasker`); non-finite numbers are `null`; errors
 * become their name and message; functions, symbols, bigints and cycles are dropped (`null` in
 * arrays).
 *
 * Trace logs repeat the same keys and short strings (step ids, models, the run's id) on every
 * line: each key is judged once, and each short string masked and quoted once.
 */
export function createJsonWriter(options: RedactOptions = {}): JsonWriter {
  const mask = createSecretMasker(options.secrets ?? secretsFromEnv());
  const keepKey = shouldKeepKey(options.include ?? {});
  // `"key":` for a key that is written, '' for one that is left out.
  const keys = new Map<string, string>();
  const strings = new Map<string, string>();
  const ancestors: object[] = [];

  // A string masked and quoted, remembered when short.
  const quoteNew = (text: string): string => {
    const quoted = JSON.stringify(mask(text));
    if (text.length > rememberedLength) return quoted;
    if (strings.size >= rememberedStrings) strings.clear();
    strings.set(text, quoted);
    return quoted;
  };
  const quote = (text: string): string => strings.get(text) ?? quoteNew(text);
  const prefixOf = (key: string): string => {
    const prefix = keepKey(key) ? `${JSON.stringify(key)}:` : '';
    keys.set(key, prefix);
    return prefix;
  };
  // One `"key":value` member after those in `out`, or `out` as it was. The common cases (a
  // remembered key, a remembered string, a number) take no call of ours: while a process is
  // young its code runs in V8's interpreter, where each call costs more than the rest of a
  // member does.
  const member = (out: string, key: string, value: unknown): string => {
    const prefix = keys.get(key) ?? prefixOf(key);
    if (prefix === '') return out;
    let item: string | undefined;
    switch (typeof value) {
      case 'string':
        item = strings.get(value) ?? quoteNew(value);
        break;
      case 'number':
        item = Number.isFinite(value) ? `${value}` : 'null';
        break;
      case 'boolean':
        item = value ? 'true' : 'false';
        break;
      case 'object':
        item = write(value);
        if (item === undefined) return out;
        break;
      default:
        return out;
    }
    return out === '' ? prefix + item : `${out},${prefix}${item}`;
  };

  const writeObject = (value: Record<string, unknown>, omit: string | undefined): string => {
    let out = '';
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      // `for...in` reads each value by the object's layout (fast); a plain object has no
      // inherited enumerable keys for it to find.
      for (const key in value) if (key !== omit) out = member(out, key, value[key]);
    } else {
      for (const key of Object.keys(value)) if (key !== omit) out = member(out, key, value[key]);
    }
    return `{${out}}`;
  };
  const writeArray = (value: readonly unknown[]): string => {
    let out = '';
    for (let index = 0; index < value.length; index++) {
      const element = value[index];
      const item =
        typeof element === 'string'
          ? (strings.get(element) ?? quoteNew(element))
          : (write(element) ?? 'null');
      out += index === 0 ? item : `,${item}`;
    }
    return `[${out}]`;
  };

  const write: JsonWriter = (value, omit) => {
    switch (typeof value) {
      case 'string':
        return quote(value);
      case 'number':
        return Number.isFinite(value) ? String(value) : 'null';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        break;
      default:
        return undefined;
    }
    if (value === null) return 'null';
    // A value inside itself is dropped; the same value twice side by side is written twice.
    if (ancestors.includes(value)) return undefined;
    // An AI SDK error carries the request body and headers: its name and message only.
    if (value instanceof Error) {
      const name = write(value.name);
      const message = quote(String(value.message));
      return name === undefined
        ? `{"message":${message}}`
        : `{"name":${name},"message":${message}}`;
    }
    ancestors.push(value);
    try {
      return Array.isArray(value)
        ? writeArray(value)
        : writeObject(value as Record<string, unknown>, omit);
    } finally {
      ancestors.pop();
    }
  };
  return write;
}

/**
 * A function that turns an event payload into plain JSON fit for a log: prompts, inputs and
 * outputs left out unless included, credentials and header objects always left out, any known
 * secret value or key-shaped string masked, errors reduced to name and message (an AI SDK error
 * carries the request body and headers), functions and cycles dropped. The trace log writes
 * the same in one walk ({@link createJsonWriter}); this reads that text back.
 */
export function createRedactor(options: RedactOptions = {}): (value: unknown) => unknown {
  const write = createJsonWriter(options);
  return (value) => {
    const text = write(value);
    return text === undefined ? undefined : JSON.parse(text);
  };
}
