import { BudgetExceededError, chain, createRuntime, fromEnv, llm, type Runtime } from 'hotpath';
import { createBullmqExecutor, type HotpathWorker, startWorker } from 'hotpath/bullmq';
import { startEmulator } from 'hotpath/node';
import { createRedisLimits, type RedisLimits } from 'hotpath/redis';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';

const url = inject('redisUrl');

const fanOut = chain('budgeted-map', { input: z.object({ count: z.number() }) }).map(
  'answers',
  ({ input }) => Array.from({ length: input.count }, (_, index) => `question ${index}`),
  llm({ prompt: (question: string) => `Answer briefly: ${question}`, maxOutputTokens: 8 }),
  // Under `collect` a failed item is kept, but a budget refusal still stops the map.
  { concurrency: 16, onItemError: 'collect' },
);

describe.skipIf(!url)('a budget shared by the workers of one run', () => {
  it('stops the map at the budget, and the trace spends what the emulator served', async () => {
    const timeScale = 20;
    const emulator = await startEmulator({ timeScale, requestLog: true });
    const models = () =>
      fromEnv({
        env: { HOTPATH_EMULATOR_URL: emulator.url, HOTPATH_EMULATOR_TIME_SCALE: String(timeScale) },
        log: false,
      });
    const queueName = `budget-${process.pid}-${Date.now()}`;
    const prefix = `hotpath-budget-${process.pid}-${Date.now()}`;
    // Three workers as three processes would have them: own runtime, own Redis connections;
    // only the budget in Redis is shared.
    const limits: RedisLimits[] = [];
    const workers: HotpathWorker[] = [];
    for (let index = 0; index < 3; index++) {
      const sharedLimits = createRedisLimits({ url, prefix });
      limits.push(sharedLimits);
      const runtime: Runtime = createRuntime({
        models: models(),
        sharedLimits,
        hedge: false,
        timeouts: false,
      });
      workers.push(
        await startWorker({
          connection: { url },
          runtime,
          chains: [fanOut],
          queueName,
          concurrency: 4,
        }),
      );
    }
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: models(), executor });
    const maxCostUsd = 0.0003;
    const count = 300;
    try {
      const error = await coordinator.run(fanOut, { count }, { maxCostUsd }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(BudgetExceededError.isInstance(error)).toBe(true);
      const refused = error as BudgetExceededError;
      const trace = refused.trace!;
      const served = emulator.stats();
      const items = trace.items.answers!;
      const log = served.requestLog!;
      const billed = new Map(
        log.map((entry) => [Number(/question (\d+)/.exec(entry.prompt ?? '')?.[1]), entry]),
      );
      const answered = items.filter((record) => record.status === 'ok');
      const stopped = items.filter((record) => record.status === 'error');
      // Every answered item is in the trace with exactly the tokens the emulator billed for it.
      for (const record of answered) {
        const entry = billed.get(record.item!)!;
        expect([record.usage.inputTokens, record.usage.outputTokens]).toEqual([
          entry.inputTokens,
          entry.outputTokens,
        ]);
      }
      // The items running when the budget stopped the map are in the trace too, stopped. The
      // emulator bills a stopped stream for what it sent, the runtime for what it had read,
      // so they may differ by a few tokens each (the same as a map stopped in one process).
      const perCall = 8 * (1 / 1e6) * 2; // 8 output tokens at under $2 a million
      expect(Math.abs(served.costUsd - trace.costUsd)).toBeLessThanOrEqual(
        stopped.length * perCall,
      );
      expect(trace.costUsd).toBeCloseTo(
        items.reduce((total, record) => total + record.costUsd, 0),
        12,
      );
      expect(refused.spentUsd).toBeCloseTo(trace.costUsd, 12);
      // The workers together stayed inside the one budget, and got close to it.
      expect(trace.costUsd).toBeLessThanOrEqual(maxCostUsd + 1e-12);
      expect(served.costUsd).toBeLessThanOrEqual(maxCostUsd + stopped.length * perCall);
      expect(trace.costUsd).toBeGreaterThan(maxCostUsd * 0.5);
      // It stopped: far from every item ran, and nothing runs after the run has failed.
      expect(items.length).toBeLessThan(count / 2);
      const workersDone = workers.reduce((total, worker) => total + worker.finished, 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(emulator.stats().requestLog!.length).toBe(served.requestLog!.length);
      expect(workers.reduce((total, worker) => total + worker.finished, 0)).toBe(workersDone);
    } finally {
      await executor.close();
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(limits.map((shared) => shared.close()));
      await emulator.close();
    }
  }, 120_000);
});
