import { describe, expect, it } from 'vitest';
import { hashAfter, hashParts, hashPrefix, hashText, hashValue, stableText } from './hash';

describe('stable hashes', () => {
  // Journals written by earlier versions are reused only under the same keys: these must not move.
  it('keeps the text and hash of a value from one version to the next', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(stableText([1, [2, { b: 1, a: [null, true] }]])).toBe('[1,[2,{"a":[null,true],"b":1}]]');
    expect(stableText({ z: { y: 1 }, a: 'x', d: new Date(0), n: undefined })).toBe(
      '{"a":"x","d":date:1970-01-01T00:00:00.000Z,"n":undefined,"z":{"y":1}}',
    );
    expect(stableText(cyclic)).toBe('{"a":1,"self":[cycle]}');
    expect(stableText('a"b')).toBe('"a\\"b"');
    expect(hashText('1')).toBe('29cedd667aaa790e853bc52f84b0f2d7');
    expect(hashValue([1, [2, { b: 1, a: [null, true] }]])).toBe('f6cb555fada0ac70191b0a089b5dda30');
    expect(hashValue(cyclic)).toBe('fa4180033289b28072933ba8cf0b7227');
  });

  it('does not depend on key order, and tells apart values that differ', () => {
    expect(hashValue({ a: 1, b: [1, 2] })).toBe(hashValue({ b: [1, 2], a: 1 }));
    expect(hashValue({ a: 1 })).not.toBe(hashValue({ a: '1' }));
    expect(hashValue([1, 2])).not.toBe(hashValue([2, 1]));
    // A shared (not cyclic) object is written out each time it appears.
    const shared = { x: 1 };
    expect(stableText([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('tells maps and sets apart by their entries, not their insertion order', () => {
    expect(hashValue({ tags: new Set(['a']) })).not.toBe(hashValue({ tags: new Set(['b']) }));
    expect(hashValue(new Set(['a', 'b']))).toBe(hashValue(new Set(['b', 'a'])));
    expect(hashValue(new Set())).not.toBe(hashValue({}));
    expect(hashValue(new Map([['k', 1]]))).not.toBe(hashValue(new Map([['k', 2]])));
    expect(hashValue(new Map([['k', 1]]))).not.toBe(hashValue(new Map([['j', 1]])));
    expect(
      hashValue(
        new Map<string, unknown>([
          ['a', 1],
          ['b', { c: [1] }],
        ]),
      ),
    ).toBe(
      hashValue(
        new Map<string, unknown>([
          ['b', { c: [1] }],
          ['a', 1],
        ]),
      ),
    );
    expect(stableText(new Map([[1, new Set(['x'])]]))).toBe('map:{1=>set:{"x"}}');
  });

  it('hashes parts, and a text after a prefix, as the joined text', () => {
    const text = 'a8cffd46d72b0a0b8b87356a3315bcce|17|["Item 17: one line."]';
    expect(
      hashParts('a8cffd46', 'd72b0a0b8b87356a3315bcce|', '17|', '["Item 17: one line."]'),
    ).toBe(hashText(text));
    const prefix = hashPrefix('a8cffd46d72b0a0b8b87356a3315bcce|');
    expect(hashAfter(prefix, '17', '|["Item 17: one line."]')).toBe(hashText(text));
    // A prefix is reused: hashing after it again gives the same, and another text another hash.
    expect(hashAfter(prefix, '17', '|["Item 17: one line."]')).toBe(hashText(text));
    expect(hashAfter(prefix, '18', '|["Item 17: one line."]')).not.toBe(hashText(text));
    expect(hashParts()).toBe(hashText(''));
  });
});
