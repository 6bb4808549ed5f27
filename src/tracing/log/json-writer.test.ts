import { describe, expect, it } from 'vitest';
import { createJsonWriter } from './json-writer';

describe('createJsonWriter', () => {
  const write = createJsonWriter({ secrets: ['hunter2-long-secret'] });

  it('writes plain JSON: non-finite numbers as null, functions, symbols and bigints left out', () => {
    const text = write({
      a: 1.5,
      b: Number.NaN,
      c: Number.POSITIVE_INFINITY,
      d: [1, undefined, () => 1, Symbol('s'), 2n, null],
      e: undefined,
      f: () => 1,
      g: 2n,
      h: { nested: true, quote: 'say "hi"\n' },
    });
    expect(text).toBe(
      '{"a":1.5,"b":null,"c":null,"d":[1,null,null,null,null,null],"h":{"nested":true,"quote":"say \\"hi\\"\\n"}}',
    );
    expect(write(undefined)).toBeUndefined();
    expect(write('plain')).toBe('"plain"');
  });

  it('masks every string, remembered or not, and leaves credential keys and prompts out', () => {
    const payload = {
      stepId: 'hunter2-long-secret',
      error: 'HTTP 401 for sk-abcdefghijklmnop',
      headers: { authorization: 'Bearer abc' },
      apiKey: 'x',
      prompt: 'hello',
      output: 'world',
      long: `${'x'.repeat(300)} hunter2-long-secret`,
    };
    const expected = `{"stepId":"[redacted]","error":"HTTP 401 for [redacted]","long":"${'x'.repeat(300)} [redacted]"}`;
    expect(write(payload)).toBe(expected);
    // Past the strings it remembers, it forgets and still masks.
    for (let k = 0; k < 5000; k++) write(`step-${k}`);
    expect(write(payload)).toBe(expected);
    const included = createJsonWriter({ include: { prompts: true, outputs: true }, secrets: [] });
    expect(included({ prompt: 'hello', output: 'world', headers: {} })).toBe(
      '{"prompt":"hello","output":"world"}',
    );
  });

  it('writes an error as its name and message, and drops a value inside itself', () => {
    const error = Object.assign(new TypeError('bad hunter2-long-secret'), {
      requestBodyValues: { prompt: 'p' },
    });
    const cyclic: Record<string, unknown> = { id: 'r' };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    const shared = { n: 1 };
    expect(write({ error, cyclic, twice: [shared, shared] })).toBe(
      '{"error":{"name":"TypeError","message":"bad [redacted]"},"cyclic":{"id":"r","list":[null]},"twice":[{"n":1},{"n":1}]}',
    );
  });

  it('reads own keys of class instances, and leaves `omit` out of the value itself only', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get sum() {
        return this.x + this.y;
      }
    }
    const base = { inherited: 1 };
    const child = Object.assign(Object.create(base), { own: 2 });
    expect(write({ point: new Point(1, 2), child })).toBe(
      '{"point":{"x":1,"y":2},"child":{"own":2}}',
    );
    expect(write({ runId: 'r', nested: { runId: 'r' } }, 'runId')).toBe('{"nested":{"runId":"r"}}');
  });
});
