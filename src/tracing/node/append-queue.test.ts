import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../log/redact';
import { appendLine, drained } from './append-queue';

describe('the JSONL append queue', () => {
  it('writes every line in order, and makes the folder again when it was removed (rotation)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hotpath-append-'));
    const path = join(root, 'logs', 'trace.jsonl');
    const errors: unknown[] = [];
    try {
      for (let index = 0; index < 50; index++)
        void appendLine(path, `line ${index}`, (error) => errors.push(error));
      await drained(path);
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      expect(lines).toEqual(Array.from({ length: 50 }, (_, index) => `line ${index}`));

      rmSync(join(root, 'logs'), { recursive: true });
      await appendLine(path, 'after rotation', (error) => errors.push(error));
      expect(readFileSync(path, 'utf8')).toBe('after rotation\n');
      expect(errors).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the redactor', () => {
  it('masks key-shaped strings and every known secret, longest first, and drops secret keys', () => {
    const redact = createRedactor({ secrets: ['hunter2-hunter2', 'hunter2-hunter2-long'] });
    const out = redact({
      note: 'key sk-abcdefghijklmnop and hunter2-hunter2-long and hunter2-hunter2.',
      short: 'ok',
      apiKey: 'dropped',
      nested: [{ header: 'Bearer abcdefgh123' }],
    });
    expect(out).toEqual({
      note: 'key [redacted] and [redacted] and [redacted].',
      short: 'ok',
      nested: [{}],
    });
  });

  it('treats secrets as text, not as patterns, and ignores an empty one', () => {
    const redact = createRedactor({ secrets: ['a.b*c+d?e(f)', ''] });
    expect(redact({ text: 'x a.b*c+d?e(f) y aXbbc z' })).toEqual({
      text: 'x [redacted] y aXbbc z',
    });
  });
});
