import type { Random } from './random';
import { generateShortString } from './text';

/** A JSON schema object. */
export type Schema = Record<string, unknown>;

/** A schema keyword's value when it is a finite number. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

// Strings for JSON instances: short readable text within the length bounds, the common formats,
// and a small sampler for `pattern` regular expressions (checked against the real RegExp).

export function generateString(schema: Schema, random: Random): string {
  const min = asNumber(schema.minLength) ?? 0;
  const max = asNumber(schema.maxLength) ?? Number.POSITIVE_INFINITY;
  const formatted =
    typeof schema.format === 'string' ? formatValue(schema.format, random) : undefined;
  let text = formatted ?? generateShortString(random, Math.min(max, 40));
  while (text.length < min) text = `${text} ${generateShortString(random)}`;
  text = text.slice(0, max);
  if (text.endsWith(' ')) text = `${text.slice(0, -1)}s`;
  const patterns = [schema.pattern].flat().filter((p): p is string => typeof p === 'string');
  return patterns.length > 0 ? matchPatterns(patterns, text, min, max, random) : text;
}

function formatValue(format: string, random: Random): string | undefined {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const word = () => generateShortString(random, 12).split(' ')[0] as string;
  const hex = (length: number) =>
    Array.from({ length }, () => random.int(0, 15).toString(16)).join('');
  const date = () =>
    `${random.int(2020, 2026)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
  const time = () =>
    `${pad(random.int(0, 23))}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}`;
  switch (format) {
    case 'date-time':
      return `${date()}T${time()}Z`;
    case 'date':
      return date();
    case 'time':
      return `${time()}Z`;
    case 'email':
      return `${word()}.${word()}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
    case 'uri-reference':
      return `https://example.com/${word()}`;
    case 'hostname':
      return `${word()}.example.com`;
    case 'uuid':
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
    case 'ipv4':
      return Array.from({ length: 4 }, () => random.int(1, 254)).join('.');
    case 'ipv6':
      return `2001:db8::${hex(4)}`;
    case 'duration':
      return `PT${random.int(1, 59)}M`;
    default:
      return undefined;
  }
}

function matchPatterns(
  patterns: readonly string[],
  fallback: string,
  min: number,
  max: number,
  random: Random,
): string {
  const regexes = patterns.map(compilePattern);
  const fits = (text: string) =>
    text.length >= min &&
    text.length <= max &&
    regexes.every((regex) => !regex || regex.test(text));
  if (fits(fallback)) return fallback;
  // Odd attempts join one sample per pattern, which meets a prefix and a suffix pattern together.
  for (let attempt = 0; attempt < 24; attempt++) {
    const candidate =
      attempt % 2 === 0
        ? samplePattern(patterns[(attempt / 2) % patterns.length] as string, random)
        : patterns.map((pattern) => samplePattern(pattern, random)).join('');
    if (fits(candidate)) return candidate;
  }
  return fallback;
}

function compilePattern(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // Not valid with these flags (e.g. `\-` outside a class under `u`); try the next ones.
    }
  }
  return undefined;
}

const DIGITS = '0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORD = `${LETTERS}${DIGITS}_`;
const PRINTABLE = Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)).join(
  '',
);

/**
 * Draws one string from a regular expression by walking it: literals, classes, groups,
 * alternation and quantifiers. Lookarounds and backreferences generate nothing, so the
 * caller tests each sample against the real RegExp.
 */
function samplePattern(pattern: string, random: Random): string {
  let pos = 0;
  const alternation = (): string => {
    const options = [sequence()];
    while (pattern[pos] === '|') {
      pos++;
      options.push(sequence());
    }
    return random.pick(options);
  };
  const sequence = (): string => {
    let out = '';
    while (pos < pattern.length && pattern[pos] !== '|' && pattern[pos] !== ')') {
      const start = pos;
      let text = atom();
      const [min, max] = quantifier();
      if (min !== 1 || max !== 1) {
        const end = pos;
        text = '';
        for (let left = random.int(min, Math.min(max, min + 3)); left > 0; left--) {
          pos = start;
          text += atom();
        }
        pos = end;
      }
      out += text;
    }
    return out;
  };
  const quantifier = (): [number, number] => {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(pos));
    const char = pattern[pos];
    let range: [number, number] | undefined;
    if (braces) {
      const min = Number(braces[1]);
      range = [min, braces[2] === undefined ? min : braces[3] ? Number(braces[3]) : min + 3];
      pos += braces[0].length - 1;
    } else if (char === '?') range = [0, 1];
    else if (char === '*') range = [0, 3];
    else if (char === '+') range = [1, 4];
    if (!range) return [1, 1];
    pos++;
    if (pattern[pos] === '?') pos++;
    return range;
  };
  const atom = (): string => {
    const char = pattern[pos++] ?? '';
    if (char === '^' || char === '$') return '';
    if (char === '.') return random.pick([...LETTERS]);
    if (char === '[') return characterClass();
    if (char === '\\') {
      if (/[bB1-9]/.test(pattern[pos] ?? '')) {
        pos++;
        return '';
      }
      return random.pick([...escapeSet()]);
    }
    if (char !== '(') return char;
    const prefix = /^\?(?::|<?[=!]|<[^>]+>)/.exec(pattern.slice(pos))?.[0] ?? '';
    pos += prefix.length;
    const text = alternation();
    pos++;
    return /[=!]/.test(prefix) ? '' : text;
  };
  const escapeSet = (): string => {
    const char = pattern[pos++] ?? '';
    const hexLength = char === 'u' ? 4 : char === 'x' ? 2 : 0;
    if (hexLength > 0 && /^[0-9a-fA-F]+$/.test(pattern.slice(pos, pos + hexLength))) {
      pos += hexLength;
      return String.fromCharCode(Number.parseInt(pattern.slice(pos - hexLength, pos), 16));
    }
    const sets: Record<string, string> = {
      d: DIGITS,
      w: WORD,
      s: ' ',
      D: LETTERS,
      W: '-',
      S: LETTERS,
    };
    return sets[char] ?? ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[char] ?? char;
  };
  const characterClass = (): string => {
    const negated = pattern[pos] === '^';
    if (negated) pos++;
    let members = '';
    while (pos < pattern.length && pattern[pos] !== ']') {
      const char = pattern[pos++] ?? '';
      const from = char === '\\' ? escapeSet() : char;
      if (from.length === 1 && pattern[pos] === '-' && pattern[pos + 1] !== ']') {
        pos++;
        const next = pattern[pos++] ?? '';
        const to = next === '\\' ? escapeSet() : next;
        const size = Math.min(to.charCodeAt(0) - from.charCodeAt(0) + 1, 256);
        for (let index = 0; index < size; index++) {
          members += String.fromCharCode(from.charCodeAt(0) + index);
        }
      } else members += from;
    }
    pos++;
    const pool = negated ? [...PRINTABLE].filter((char) => !members.includes(char)) : [...members];
    return pool.length > 0 ? random.pick(pool) : '';
  };
  return alternation();
}
