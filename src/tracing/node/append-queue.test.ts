import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedactor } from '../log/json-writer';
import { appendLine, closeFile, drained, keepOpenMs, writeAtChars } from './append-queue';

describe('the JSONL append queue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const temp = () => {
    const root = mkdtempSync(join(tmpdir(), 'hotpath-append-'));
    return { root, path: join(root, 'logs', 'trace.jsonl') };
  };

  it('writes every line in order, and makes the folder again when it was removed (rotation)', async () => {
    const { root, path } = temp();
    const errors: unknown[] = [];
    try {
      for (let index = 0; index < 50; index++)
        appendLine(path, `line ${index}`, (error) => errors.push(error));
      await drained(path);
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      expect(lines).toEqual(Array.from({ length: 50 }, (_, index) => `line ${index}`));

      await closeFile(path);
      rmSync(join(root, 'logs'), { recursive: true });
      appendLine(path, 'after rotation', (error) => errors.push(error));
      await drained(path);
      expect(readFileSync(path, 'utf8')).toBe('after rotation\n');
      expect(errors).toEqual([]);
    } finally {
      await closeFile(path);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps the file open between bursts, and closes it a second after the last', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { root, path } = temp();
    const errors: unknown[] = [];
    try {
      appendLine(path, 'first', (error) => errors.push(error));
      await drained(path);
      // Rotated by a rename: the open file is the one moved away, so it gets the next line...
      renameSync(path, `${path}.1`);
      vi.advanceTimersByTime(keepOpenMs - 1);
      appendLine(path, 'second', (error) => errors.push(error));
      await drained(path);
      expect(readFileSync(`${path}.1`, 'utf8')).toBe('first\nsecond\n');
      expect(existsSync(path)).toBe(false);
      // ...until the file has been idle for a while: then the path gets a new file.
      vi.advanceTimersByTime(keepOpenMs);
      appendLine(path, 'third', (error) => errors.push(error));
      await drained(path);
      expect(readFileSync(path, 'utf8')).toBe('third\n');
      expect(readFileSync(`${path}.1`, 'utf8')).toBe('first\nsecond\n');
      expect(errors).toEqual([]);
    } finally {
      await closeFile(path);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('writes to an open file as soon as it is flushed, not a turn of the event loop later', async () => {
    const { root, path } = temp();
    try {
      appendLine(path, 'opens the file', () => {});
      await drained(path);
      let turned = false;
      setImmediate(() => {
        turned = true;
      });
      appendLine(path, 'flushed', () => {});
      await drained(path);
      expect(turned).toBe(false);
      expect(readFileSync(path, 'utf8')).toBe('opens the file\nflushed\n');
      // The write it had scheduled for the next turn finds nothing left to write.
      await new Promise((resolve) => setImmediate(resolve));
      expect(readFileSync(path, 'utf8')).toBe('opens the file\nflushed\n');
    } finally {
      await closeFile(path);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('writes at once what passes 64 KB in one turn, the rest after the turn, in order', async () => {
    const { root, path } = temp();
    try {
      appendLine(path, 'opens the file', () => {});
      await drained(path);
      const line = 'x'.repeat(999);
      const count = Math.ceil(writeAtChars / line.length) + 3;
      for (let index = 0; index < count; index++) appendLine(path, `${index} ${line}`, () => {});
      // Still in the turn: the first 64 KB are on disk already, the last lines not yet.
      const now = readFileSync(path, 'utf8').trimEnd().split('\n');
      expect(now.length).toBeGreaterThan(60);
      expect(now.length).toBeLessThan(count + 1);
      await drained(path);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      expect(lines.map((one) => one.split(' ')[0])).toEqual([
        'opens',
        ...Array.from({ length: count }, (_, index) => String(index)),
      ]);
    } finally {
      await closeFile(path);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('starts on a new line after a line a crash cut short', async () => {
    const { root, path } = temp();
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '{"v":2,"event":"step:end","runId":"r","at":1,"da');
      appendLine(path, '{"v":2}', () => {});
      await drained(path);
      expect(readFileSync(path, 'utf8').split('\n')).toEqual([
        '{"v":2,"event":"step:end","runId":"r","at":1,"da',
        '{"v":2}',
        '',
      ]);
    } finally {
      await closeFile(path);
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
