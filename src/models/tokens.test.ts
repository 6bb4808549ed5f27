import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countPromptTokens, countTokens, messageOverheadTokens } from './tokens';

describe('countTokens', () => {
  it('counts about 4 characters per token, rounding up', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('a')).toBe(1);
    expect(countTokens('abcd')).toBe(1);
    expect(countTokens('abcde')).toBe(2);
    expect(countTokens('hello world')).toBe(3);
  });

  it('covers every character with fewer than 4 to spare', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const tokens = countTokens(text);
        return tokens * 4 >= text.length && tokens * 4 < text.length + 4;
      }),
    );
  });
});

describe('countPromptTokens', () => {
  it('counts the texts as joined by newlines, plus the overhead of each message', () => {
    expect(countPromptTokens([], 0)).toBe(0);
    expect(countPromptTokens(['abcd', 'efg'], 2)).toBe(2 + 2 * messageOverheadTokens);
    fc.assert(
      fc.property(fc.array(fc.string()), fc.nat(5), (texts, messages) => {
        const expected = countTokens(texts.join('\n')) + messages * messageOverheadTokens;
        return countPromptTokens(texts, messages) === expected;
      }),
    );
  });
});
