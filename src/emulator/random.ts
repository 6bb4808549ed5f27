const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * Hashes a string to an unsigned 32-bit integer with FNV-1a over its UTF-8 bytes.
 *
 * @example
 * hashString('foobar'); // 0xbf9cf968
 */
export function hashString(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  }
  return hash >>> 0;
}

/** A seeded source of pseudo-random values: the same seed always yields the same sequence. */
export interface Random {
  /** A float in `[0, 1)`. */
  next(): number;
  /** A whole number from `min` to `max`, both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /**
   * A multiplicative factor, log-normally distributed with median 1 and always above 0. About
   * 95% of factors fall within `e^±spread`, so a spread of `0.15` keeps most values within
   * roughly ±15%.
   */
  jitter(spread: number): number;
}

/**
 * Creates a seeded pseudo-random generator (mulberry32): small, fast, and identical on every
 * JavaScript runtime, which is what a deterministic emulator needs (not cryptographic quality).
 *
 * @example
 * const random = createRandom(deriveSeed('gpt-emulated', 'step-1'));
 * random.int(1, 6);
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  return {
    next,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
        throw new RangeError(
          `Expected \`min\` and \`max\` to be whole numbers with min <= max, got \`${min}\` and \`${max}\``,
        );
      }
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      if (items.length === 0) {
        throw new RangeError('Expected `items` to be a non-empty list, got an empty list');
      }
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    jitter(spread) {
      if (!(spread >= 0) || !Number.isFinite(spread)) {
        throw new RangeError(
          `Expected \`spread\` to be a finite number from 0 up, got \`${spread}\` (${typeof spread})`,
        );
      }
      // Box-Muller; `1 - next()` lies in (0, 1], so the logarithm stays finite.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return Math.exp((spread / 2) * normal);
    },
  };
}

/**
 * Combines strings and numbers into one 32-bit seed. Parts are joined with a unit separator, so
 * `('ab', 'c')` and `('a', 'bc')` give different seeds.
 *
 * @example
 * deriveSeed('model-a', 'prompt hash', 3);
 */
export function deriveSeed(...parts: Array<string | number>): number {
  return hashString(parts.map(String).join('\u001f'));
}
