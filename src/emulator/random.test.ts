import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, hashString } from './random';

/** The published mulberry32 reference, as an oracle. */
function mulberry32Reference(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('hashString', () => {
  it('matches the FNV-1a 32-bit test vectors', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes, so non-ASCII text differs from its code units', () => {
    // 'é' is the two bytes c3 a9 in UTF-8.
    let expected = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) expected = Math.imul(expected ^ byte, 0x01000193) >>> 0;
    expect(hashString('é')).toBe(expected);
  });

  it('always returns an unsigned 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const hash = hashString(text);
        return Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff;
      }),
    );
  });
});

describe('createRandom', () => {
  it('produces the mulberry32 sequence', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const reference = mulberry32Reference(seed);
      const random = createRandom(seed);
      for (let index = 0; index < 100; index++) expect(random.next()).toBe(reference());
    }
  });

  it('repeats the same sequence for the same seed and diverges for another', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return [random.next(), random.int(1, 100), random.pick(['a', 'b', 'c']), random.jitter(0.2)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('keeps next() in [0, 1)', () => {
    const random = createRandom(3);
    for (let index = 0; index < 10_000; index++) {
      const value = random.next();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });

  it('draws int() from both inclusive ends and nothing outside', () => {
    const random = createRandom(5);
    const seen = new Set<number>();
    for (let index = 0; index < 2000; index++) seen.add(random.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(random.int(4, 4)).toBe(4);
  });

  it('rejects int() bounds that are reversed or fractional', () => {
    const random = createRandom(1);
    expect(() => random.int(3, 2)).toThrow(/min <= max, got `3` and `2`/);
    expect(() => random.int(0.5, 2)).toThrow(RangeError);
  });

  it('picks every element of a list and rejects an empty one', () => {
    const random = createRandom(9);
    const items = ['x', 'y', 'z'] as const;
    const seen = new Set<string>();
    for (let index = 0; index < 300; index++) seen.add(random.pick(items));
    expect(seen).toEqual(new Set(items));
    expect(() => random.pick([])).toThrow(/non-empty list/);
  });

  it('jitters around a median of 1, mostly within the spread, always above 0', () => {
    const random = createRandom(11);
    const factors = Array.from({ length: 5000 }, () => random.jitter(0.15));
    const sorted = [...factors].sort((a, b) => a - b);
    const median = sorted[2500] ?? 0;
    expect(median).toBeGreaterThan(0.98);
    expect(median).toBeLessThan(1.02);
    expect(factors.every((factor) => factor > 0)).toBe(true);
    const within = factors.filter((factor) => factor > 0.85 && factor < 1.15).length;
    expect(within / factors.length).toBeGreaterThan(0.9);
    expect(within).toBeLessThan(factors.length); // it does spread
  });

  it('jitters by exactly 1 for a zero spread and rejects a negative one', () => {
    expect(createRandom(2).jitter(0)).toBe(1);
    expect(() => createRandom(2).jitter(-0.1)).toThrow(/from 0 up, got `-0.1`/);
  });
});

describe('deriveSeed', () => {
  it('is the hash of the parts joined by a unit separator', () => {
    expect(deriveSeed('model', 3)).toBe(hashString('model\u001f3'));
    expect(deriveSeed('model', 3)).toBe(deriveSeed('model', '3'));
  });

  it('keeps part boundaries apart', () => {
    expect(deriveSeed('ab', 'c')).not.toBe(deriveSeed('a', 'bc'));
    expect(deriveSeed('a', 'b')).not.toBe(deriveSeed('b', 'a'));
  });
});
