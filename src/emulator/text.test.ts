import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../models/tokens';
import { createRandom } from './random';
import { generateProse, generateShortString } from './text';

describe('generateProse', () => {
  it('hits the token target exactly, with or without a topic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.nat(),
        fc.option(fc.string({ maxLength: 60 })),
        (target, seed, topic) => {
          const text = generateProse(createRandom(seed), target, topic ?? undefined);
          return countTokens(text) === target;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('hits every small target, where the tail has the least room', () => {
    for (let target = 1; target <= 40; target++) {
      for (let seed = 0; seed < 20; seed++) {
        expect(countTokens(generateProse(createRandom(seed), target))).toBe(target);
      }
    }
  });

  it('returns an empty string for 0 tokens and rejects bad targets', () => {
    expect(generateProse(createRandom(1), 0)).toBe('');
    expect(() => generateProse(createRandom(1), -1)).toThrow(/whole number from 0 up, got `-1`/);
    expect(() => generateProse(createRandom(1), 2.5)).toThrow(RangeError);
  });

  it('is deterministic for the same seed and varies across seeds', () => {
    const text = generateProse(createRandom(42), 120, 'edge caching');
    expect(generateProse(createRandom(42), 120, 'edge caching')).toBe(text);
    expect(generateProse(createRandom(43), 120, 'edge caching')).not.toBe(text);
  });

  it('reads as sentences: capitalised, single-spaced, ending with a period', () => {
    for (let seed = 0; seed < 50; seed++) {
      const text = generateProse(createRandom(seed), 80);
      expect(text).toMatch(/^[A-Z][a-z]/);
      expect(text.endsWith('.')).toBe(true);
      expect(text).not.toMatch(/ {2}|\.\.|,\./);
      expect(text).toMatch(/^[A-Za-z ,.'-]+$/);
      for (const sentence of text.split('. ').slice(1)) expect(sentence).toMatch(/^[A-Z]/);
    }
  });

  it('weaves the topic words into the text', () => {
    const text = generateProse(createRandom(3), 300, 'Quantum annealing');
    expect(text).toMatch(/quantum/);
    expect(text).toMatch(/annealing/);
    expect(generateProse(createRandom(3), 300)).not.toMatch(/quantum|annealing/);
    const withFunctionWords = generateProse(createRandom(3), 300, 'What about the caching?');
    expect(withFunctionWords).toMatch(/caching/);
    expect(withFunctionWords).not.toMatch(/\b(what|about)\b/i);
  });
});

describe('generateShortString', () => {
  it('gives a few lowercase words', () => {
    const random = createRandom(4);
    for (let index = 0; index < 100; index++) {
      const words = generateShortString(random).split(' ');
      expect(words.length).toBeGreaterThanOrEqual(2);
      expect(words.length).toBeLessThanOrEqual(3);
      for (const word of words) expect(word).toMatch(/^[a-z-]+$/);
    }
  });

  it('never exceeds maxLength, trimming whole words first', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 30 }), (seed, maxLength) => {
        const text = generateShortString(createRandom(seed), maxLength);
        return text.length <= maxLength && (maxLength === 0 || text.length > 0);
      }),
    );
    expect(generateShortString(createRandom(1), 0)).toBe('');
  });

  it('is deterministic for the same seed', () => {
    expect(generateShortString(createRandom(8))).toBe(generateShortString(createRandom(8)));
  });
});
