import { mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileEstimateStore } from './file-estimate-store';

const key = { chain: 'c', stepId: 's' };
const fresh = { chain: 'c', stepId: 'new-step' };
const sample = { inputTokens: 100, outputTokens: 100, durationMs: 1000, cachedInputTokens: 0 };
const small = { inputTokens: 7, outputTokens: 7, durationMs: 70, cachedInputTokens: 0 };

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'hotpath-estimates-')), 'estimates.jsonl');
}

describe('createFileEstimateStore refresh() after another store compacts the file', () => {
  it('sees what is appended to a smaller snapshot renamed over its file', () => {
    const path = tempFile();
    const writer = createFileEstimateStore({ path });
    for (let i = 0; i < 30; i++) writer.record!(key, sample);
    const reader = createFileEstimateStore({ path });
    const before = statSync(path).size;
    const compactor = createFileEstimateStore({ path, compactAfterLines: 10 });
    expect(statSync(path).size).toBeLessThan(before);
    for (let i = 0; i < 10; i++) compactor.record!(fresh, small);
    reader.refresh();
    expect(reader.get(fresh)?.samples).toBe(10);
    expect(reader.get(key)).toEqual(createFileEstimateStore({ path }).get(key));
  });

  it('does not start mid-line once the snapshot grows past the old offset', () => {
    const path = tempFile();
    const writer = createFileEstimateStore({ path });
    for (let i = 0; i < 30; i++) writer.record!(key, sample);
    const reader = createFileEstimateStore({ path });
    const compactor = createFileEstimateStore({ path, compactAfterLines: 10 });
    for (let i = 0; i < 40; i++) compactor.record!(key, sample);
    reader.refresh();
    const whole = createFileEstimateStore({ path, compactAfterLines: 1e9 });
    expect(whole.get(key)?.samples).toBe(70);
    expect(reader.get(key)?.samples).toBe(70);
  });

  it('notices a same-size file put in its place, and its version still moves forward', () => {
    const path = tempFile();
    const writer = createFileEstimateStore({ path });
    writer.record!(key, sample);
    const reader = createFileEstimateStore({ path });
    const seen = reader.version!();
    // Another file of the same length, renamed over the first: only its identity tells.
    const replacement = `${path}.other`;
    writeFileSync(
      replacement,
      readFileSync(path, 'utf8').replace('"durationMs":1000', '"durationMs":2000'),
    );
    renameSync(replacement, path);
    reader.refresh();
    expect(reader.get(key)).toMatchObject({ durationMs: 2000, samples: 1 });
    expect(reader.version!()).toBeGreaterThan(seen);
  });
});

describe("createFileEstimateStore refresh() and the store's own lines", () => {
  it('counts what it recorded itself once', () => {
    const path = tempFile();
    const store = createFileEstimateStore({ path });
    store.record!(key, sample);
    store.refresh();
    expect(store.get(key)?.samples).toBe(1);
  });

  it('counts every sample once when two stores write in turns', () => {
    const path = tempFile();
    const a = createFileEstimateStore({ path });
    const b = createFileEstimateStore({ path });
    for (let i = 0; i < 5; i++) {
      a.record!(key, sample);
      b.record!(key, sample);
      b.record!(key, small);
      if (i % 2 === 0) a.refresh();
    }
    a.refresh();
    b.refresh();
    expect(a.get(key)?.samples).toBe(15);
    expect(b.get(key)?.samples).toBe(15);
  });
});
