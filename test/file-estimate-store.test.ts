import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, createVirtualClock, deepseekFlash, mercury2, models } from 'hotpath';
import { createFileEstimateStore } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { learn } from './helpers/learn-run';

/** Runs the writer in its own Node process and waits for it to exit. */
function writer(path: string, runs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/learn-run.ts', path, String(runs)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`)),
    );
  });
}

// What this process believes: the catalog (DeepSeek at 90 tok/s).
const believed = () =>
  models.emulated({ profiles: [mercury2, deepseekFlash], clock: createVirtualClock() });
const planWith = (path: string) =>
  createRuntime({
    models: believed(),
    objective: { deadlineMs: 8_000 },
    history: createFileEstimateStore({ path }),
  }).plan(learn);

describe('createFileEstimateStore', () => {
  /*
   * 400 tokens in, 300 out. On the catalog's DeepSeek: 120 + 1500 + 400/8 + 300/0.09 = 5,003 ms,
   * inside the 8 s deadline and cheaper than Mercury: the plan puts the step on deepseek-flash.
   * The writer's world decodes DeepSeek at 30 tok/s: ~11.7 s a call, past the deadline.
   */
  it('a store written by one process changes the next process’s plan', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hotpath-estimates-')), 'estimates.jsonl');
    expect(planWith(path).step('summary')!.model).toBe('deepseek-flash');

    await writer(path, 6);

    const store = createFileEstimateStore({ path });
    const measured = store.get({ chain: 'learn', stepId: 'summary', model: 'deepseek-flash' })!;
    expect(measured.samples).toBe(6);
    expect(measured.durationMs).toBeGreaterThan(8_000);
    const speed = store.modelStats!('deepseek-flash')!;
    expect(speed.samples).toBe(6);
    expect(speed.outputTokensPerSecond.p50).toBeGreaterThan(20);
    expect(speed.outputTokensPerSecond.p50).toBeLessThan(40);
    const plan = planWith(path);
    expect(plan.step('summary')!.model).toBe('mercury-2');
    expect(plan.step('summary')!.reason).toMatch(/less than the [\d.]+ s deepseek-flash would add/);
  }, 60_000);

  it('merges two processes writing at once: no line torn, every sample counted', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hotpath-estimates-')), 'estimates.jsonl');
    await Promise.all([writer(path, 20), writer(path, 20)]);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const store = createFileEstimateStore({ path });
    expect(store.get({ chain: 'learn', stepId: 'summary' })!.samples).toBe(40);
    expect(store.modelStats!('deepseek-flash')!.samples).toBe(40);
  }, 60_000);

  it('shares one file between runs of one process, and refresh() reads what others appended', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hotpath-estimates-')), 'estimates.jsonl');
    const first = createFileEstimateStore({ path });
    const second = createFileEstimateStore({ path });
    const runtime = createRuntime({
      models: models.emulated({ profiles: [mercury2, deepseekFlash], clock: createVirtualClock() }),
      history: first,
    });
    await Promise.all([runtime.run(learn, { q: 'a' }), runtime.run(learn, { q: 'b' })]);
    expect(first.get({ chain: 'learn', stepId: 'summary' })!.samples).toBe(2);
    expect(second.get({ chain: 'learn', stepId: 'summary' })).toBeUndefined();
    second.refresh();
    expect(second.get({ chain: 'learn', stepId: 'summary' })!.samples).toBe(2);
  });

  it('compacts a long file into a snapshot that plans the same', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hotpath-estimates-')), 'estimates.jsonl');
    await writer(path, 12);
    const before = createFileEstimateStore({ path });
    const key = { chain: 'learn', stepId: 'summary', model: 'deepseek-flash' };
    const compacted = createFileEstimateStore({ path, compactAfterLines: 5 });
    expect(compacted.get(key)).toEqual(before.get(key));
    const reread = createFileEstimateStore({ path });
    expect(reread.get(key)).toEqual(before.get(key));
    expect(reread.modelStats!('deepseek-flash')).toEqual(before.modelStats!('deepseek-flash'));
    expect(readFileSync(path, 'utf8').trimEnd().split('\n').length).toBeLessThan(12 * 3);
  }, 60_000);

  it('names the field of a bad path', () => {
    expect(() => createFileEstimateStore({ path: '' })).toThrow('`path`');
  });
});
