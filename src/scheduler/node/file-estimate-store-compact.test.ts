import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFileEstimateStore } from './file-estimate-store';

// Another process's appends land between two of the compactor's own file calls: `during` runs
// before each write to the compactor's temporary file and before it is renamed over the file.
// `write` and `written` run before and after a store writes a line it appends (through a handle
// it opened before).
const seam = vi.hoisted(() => ({
  during: undefined as undefined | ((call: string) => void),
  write: undefined as undefined | (() => void),
  written: undefined as undefined | (() => void),
}));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const watched =
    <T extends (...args: any[]) => unknown>(name: string, call: T) =>
    (...args: Parameters<T>) => {
      if (String(args[0]).endsWith('.tmp')) seam.during?.(name);
      return call(...args);
    };
  return {
    ...actual,
    writeFileSync: watched('write', actual.writeFileSync),
    appendFileSync: watched('append', actual.appendFileSync),
    renameSync: watched('rename', actual.renameSync),
    writeSync: (...args: Parameters<typeof actual.writeSync>) => {
      seam.write?.();
      const bytes = actual.writeSync(...args);
      seam.written?.();
      return bytes;
    },
  };
});
const { appendFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } =
  await vi.importActual<typeof import('node:fs')>('node:fs');

afterEach(() => {
  seam.during = undefined;
  seam.write = undefined;
  seam.written = undefined;
});

const key = { chain: 'c', stepId: 's' };
const sample = { inputTokens: 100, outputTokens: 100, durationMs: 1000, cachedInputTokens: 0 };

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'hotpath-compact-')), 'estimates.jsonl');
}

/** One call sample, a line as another process's store appends it. */
function callLine(timeToFirstTokenMs: number): string {
  const s = { model: 'mercury-2', status: 'ok', timeToFirstTokenMs, outputTokensPerSecond: 700 };
  return `${JSON.stringify({ v: 1, k: 'call', s })}\n`;
}

/** A file of 30 samples of one step: past a `compactAfterLines` of 10. */
function longFile(): string {
  const path = tempFile();
  const writer = createFileEstimateStore({ path });
  for (let i = 0; i < 30; i++) writer.record!(key, sample);
  return path;
}

const lineCount = (path: string) => readFileSync(path, 'utf8').trim().split('\n').length;

describe('createFileEstimateStore compaction and other processes', () => {
  it('keeps the lines appended while it writes the snapshot, and those appended meanwhile', () => {
    const path = longFile();
    let appended = 0;
    seam.during = (call) => {
      // One line as the snapshot is written, one more while the first is copied after it.
      if ((call === 'write' && appended === 0) || (call === 'append' && appended === 1))
        appendFileSync(path, callLine(9000 + appended++));
    };
    const compactor = createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(appended).toBe(2);
    expect(lineCount(path)).toBe(3); // The snapshot's one estimate and both calls.
    for (const store of [compactor, createFileEstimateStore({ path })]) {
      expect(store.get(key)?.samples).toBe(30);
      expect(store.modelStats!('mercury-2')).toMatchObject({ samples: 2 });
    }
  });

  it('keeps a line appended after its last look at the file, just before the rename', () => {
    const path = longFile();
    seam.during = (call) => {
      if (call === 'rename') appendFileSync(path, callLine(9000));
    };
    const compactor = createFileEstimateStore({ path, compactAfterLines: 10 });
    for (const store of [compactor, createFileEstimateStore({ path })]) {
      expect(store.get(key)?.samples).toBe(30);
      expect(store.modelStats!('mercury-2')).toMatchObject({ samples: 1 });
    }
  });

  it('keeps a line written to the file a compactor replaced after the writer opened it', () => {
    const path = longFile();
    const writer = createFileEstimateStore({ path });
    seam.write = () => {
      seam.write = undefined;
      createFileEstimateStore({ path, compactAfterLines: 10 });
    };
    writer.record!(key, sample);
    expect(seam.write).toBeUndefined();
    for (const store of [createFileEstimateStore({ path }), writer]) {
      store.refresh();
      expect(store.get(key)?.samples).toBe(31);
    }
  });

  it('counts once a line the compactor took in that its writer finds in the replaced file', () => {
    const path = longFile();
    const writer = createFileEstimateStore({ path });
    // The line is written, then the file compacted (the line in its snapshot), then the writer
    // looks: the file it wrote to was replaced.
    seam.written = () => {
      seam.written = undefined;
      createFileEstimateStore({ path, compactAfterLines: 10 });
    };
    writer.record!(key, sample);
    expect(seam.written).toBeUndefined();
    for (const store of [createFileEstimateStore({ path }), writer]) {
      store.refresh();
      expect(store.get(key)?.samples).toBe(31);
    }
  });

  it('counts once a line written after the last look that the compactor copied on', () => {
    const path = longFile();
    const writer = createFileEstimateStore({ path });
    seam.during = (call) => {
      if (call !== 'rename') return;
      seam.during = undefined;
      writer.record!(key, sample);
    };
    createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(seam.during).toBeUndefined();
    for (const store of [createFileEstimateStore({ path }), writer]) {
      store.refresh();
      expect(store.get(key)?.samples).toBe(31);
    }
  });

  it('leaves the file to another compactor that replaced it meanwhile', () => {
    const path = longFile();
    const theirs = `${JSON.stringify({ v: 1, k: 'put', key, e: { ...sample, samples: 99 } })}\n`;
    seam.during = (call) => {
      if (call !== 'write') return;
      seam.during = undefined;
      writeFileSync(`${path}.other`, theirs);
      fs.renameSync(`${path}.other`, path);
    };
    createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    expect(fs.existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });
});

describe('createFileEstimateStore compaction lock', () => {
  it('breaks a lock more than a minute old, left by a compactor that crashed', () => {
    const path = longFile();
    writeFileSync(`${path}.lock`, '');
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(`${path}.lock`, dayAgo, dayAgo);
    createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(lineCount(path)).toBe(1);
    expect(fs.existsSync(`${path}.lock`)).toBe(false);
  });

  it('breaks a fresh lock whose process on this host has ended', () => {
    const path = longFile();
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${path}.lock`, `${ended}@${hostname()}`);
    createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(lineCount(path)).toBe(1);
  });

  it('leaves the file alone under a fresh lock of a live process', () => {
    const path = longFile();
    writeFileSync(`${path}.lock`, `${process.pid}@${hostname()}`);
    createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(lineCount(path)).toBe(30);
    expect(fs.existsSync(`${path}.lock`)).toBe(true);
  });
});
