import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';

describe('the request log of the in-process emulator', () => {
  it('logs every request in order: prompt, times, whether it completed, billed tokens', async () => {
    const clock = createVirtualClock();
    const pool = createEmulatedPool({
      profiles: [mercury2],
      clock,
      requestLog: true,
      // The second request is cut after half its output.
      faults: [{ fault: { kind: 'cut', after: 0.5 }, requests: [2] }],
    });
    const model = pool.get('mercury-2').model;
    await generateText({ model, prompt: 'First question', maxOutputTokens: 40 });
    const startSecond = clock.now();
    const cut = streamText({ model, prompt: 'Second question', maxOutputTokens: 40 });
    await expect(cut.text).rejects.toThrow();
    const stats = pool.stats();
    const log = stats.requestLog!;
    expect(log.map((request) => [request.number, request.model, request.prompt])).toEqual([
      [1, 'mercury-2', 'First question'],
      [2, 'mercury-2', 'Second question'],
    ]);
    expect(log.map((request) => request.completed)).toEqual([true, false]);
    expect(log[0]!.atMs).toBe(0);
    expect(log[1]!.atMs).toBe(startSecond);
    for (const request of log) expect(request.endedAt).toBeGreaterThanOrEqual(request.startedAt);
    // Billed as the stats bill: the cut one for what it sent.
    expect(log[1]!.outputTokens).toBeGreaterThan(0);
    expect(log[1]!.outputTokens).toBeLessThan(log[0]!.outputTokens);
    expect(log.reduce((total, request) => total + request.outputTokens, 0)).toBe(
      stats.outputTokens,
    );
    expect(log.reduce((total, request) => total + request.inputTokens, 0)).toBe(stats.inputTokens);
  });

  it('keeps no log unless asked', async () => {
    const pool = createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() });
    await generateText({ model: pool.get('mercury-2').model, prompt: 'q', maxOutputTokens: 8 });
    expect(pool.stats().requestLog).toBeUndefined();
  });
});
