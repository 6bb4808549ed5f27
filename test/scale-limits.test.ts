import { fileURLToPath } from 'node:url';
import { startEmulator } from 'hotpath/node';
import { describe, expect, inject, it } from 'vitest';
import { maxInWindow } from './contracts/shared-limits';
import { runFixtureProcess } from './helpers/worker-processes';

const redisUrl = inject('redisUrl');
const fixture = fileURLToPath(new URL('./fixtures/shared-limits-process.ts', import.meta.url));

/** Runs one fixture process and resolves to the JSON line it prints. */
const runProcess = (env: Record<string, string>) =>
  runFixtureProcess(fixture, env, `process ${env.NAME}`) as Promise<Record<string, unknown>>;

describe.skipIf(!redisUrl)('limits shared by three processes through Redis', () => {
  it('keeps one model’s requests and output tokens per minute across them, with no 429', async () => {
    // This 2-core machine, shared with other test runs, serves only some 10-30 calls a second
    // over HTTP, and its event loops lag by up to seconds: time runs only 2x, and the output
    // limit (1,500 a minute: ~80 calls of ~18 tokens) sets the pace.
    const timeScale = 2;
    const limits = { requestsPerMinute: 600, outputTokensPerMinute: 1_500 };
    const emulator = await startEmulator({ timeScale, requestLog: true });
    try {
      const common = {
        REDIS_URL: redisUrl,
        EMULATOR_URL: emulator.url,
        TIME_SCALE: String(timeScale),
        EPOCH: String(Date.now()),
        PREFIX: `scale-limits-${process.pid}-${Date.now()}`,
        LIMITS: JSON.stringify(limits),
        ITEMS: '35',
      };
      const results = await Promise.all(
        ['a', 'b', 'c'].map((name) => runProcess({ ...common, NAME: name })),
      );
      for (const result of results) {
        expect(result).toMatchObject({ answered: 35, failed: 0, rateLimited: 0 });
        expect(result.models).toEqual(['mercury-2']);
      }
      const log = emulator.stats().requestLog!.filter((entry) => entry.model === 'mercury-2');
      expect(log).toHaveLength(105);
      // On the emulator's own (scaled) clock, over every sliding minute.
      const requests = log.map((entry) => ({ at: entry.atMs }));
      const outputs = log.map((entry) => ({ at: entry.atMs, amount: entry.outputTokens }));
      const windows = {
        requests: maxInWindow(requests),
        outputTokens: maxInWindow(outputs),
      };
      const grants = results.flatMap((result) => result.grants as { at: number; amount: number }[]);
      console.log(
        `[scale-limits] turns on the shared clock: busiest minute ${maxInWindow(grants.map(({ at }) => ({ at })))} requests, ${maxInWindow(grants)} output tokens`,
      );
      console.log(
        `[scale-limits] 105 requests from 3 processes over ${((Math.max(...requests.map((r) => r.at)) - Math.min(...requests.map((r) => r.at))) / 1000).toFixed(0)} s emulated: busiest minute ${windows.requests} requests, ${windows.outputTokens} output tokens`,
      );
      expect(windows.requests).toBeLessThanOrEqual(limits.requestsPerMinute);
      expect(windows.outputTokens).toBeLessThanOrEqual(limits.outputTokensPerMinute);
      // The limits were what held the pace: the busiest minute came close to one of them.
      expect(
        Math.max(
          windows.requests / limits.requestsPerMinute,
          windows.outputTokens / limits.outputTokensPerMinute,
        ),
      ).toBeGreaterThan(0.8);
    } finally {
      await emulator.close();
    }
  }, 120_000);
});
