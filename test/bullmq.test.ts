import {
  chain,
  createEmulatedPool,
  createRuntime,
  createSystemClock,
  deepseekV4Flash,
  fn,
  HotpathError,
  llm,
  type MapItemResult,
  mercury2,
  RunAbortedError,
  type StepRecord,
} from 'hotpath';
import { createBullmqExecutor, startWorker } from 'hotpath/bullmq';
import { createRedisLimits } from 'hotpath/redis';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { findRedisServer, freePort, startRedisServer } from './helpers/redis-server';

const url = inject('redisUrl');

const fanOut = chain('remote-map', { input: z.object({ count: z.number() }) }).map(
  'answers',
  ({ input }) => Array.from({ length: input.count }, (_, index) => `question ${index}`),
  llm({ prompt: (question: string) => `Answer briefly: ${question}`, maxOutputTokens: 12 }),
  { concurrency: 4, onItemError: 'collect' },
);

const emulated = () =>
  createRuntime({
    models: createEmulatedPool({
      profiles: [deepseekV4Flash],
      // Not faster: the default first-token timeout (10 s here) must outlast a loaded event loop.
      clock: createSystemClock({ timeScale: 20 }),
    }),
    // No first-token timeouts: on a loaded machine a scaled clock would cut calls only late.
    timeouts: false,
  });

describe.skipIf(!url)('map items on BullMQ workers', () => {
  it('runs every item on the workers, in item order, with the same events and trace', async () => {
    const queueName = `remote-${process.pid}-${Date.now()}`;
    const workers = await Promise.all(
      [0, 1].map(() =>
        startWorker({ connection: { url }, runtime: emulated(), chains: [fanOut], queueName }),
      ),
    );
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const ended: StepRecord[] = [];
    coordinator.on('step:end', (record) => {
      if (record.item !== undefined) ended.push(record);
    });
    try {
      const { output, trace } = await coordinator.run(fanOut, { count: 30 });
      const answers = output.answers as MapItemResult<{ text: string }>[];
      expect(answers).toHaveLength(30);
      expect(answers.every((answer) => answer.ok && answer.value.text.length > 0)).toBe(true);
      const items = trace.items.answers!;
      expect(items.map((record) => record.item).sort((a, b) => a! - b!)).toEqual(
        Array.from({ length: 30 }, (_, index) => index),
      );
      expect(ended).toHaveLength(30);
      // The coordinator ran no item: the workers did, and the trace adds up their spend.
      expect(workers[0]!.finished + workers[1]!.finished).toBe(30);
      expect(trace.costUsd).toBeCloseTo(
        items.reduce((total, record) => total + record.costUsd, 0),
        12,
      );
      expect(trace.costUsd).toBeGreaterThan(0);
      expect(new Set(items.map((record) => record.model))).toEqual(new Set([deepseekV4Flash.id]));
    } finally {
      await executor.close();
      await Promise.all(workers.map((worker) => worker.close()));
    }
  }, 60_000);

  it("runs the items on the model the coordinator's plan chose, not the worker's choice", async () => {
    // Both plan for latency, but the worker's pool believes DeepSeek is the faster model (as a
    // worker's learned speeds can); the coordinator's puts the items on Mercury. The items must
    // run where the coordinator's plan put them, as a local map's do.
    const queueName = `planned-${process.pid}-${Date.now()}`;
    const fastDeepseek = {
      ...deepseekV4Flash,
      timeToFirstTokenMs: 50,
      outputTokensPerSecond: 5_000,
    };
    const twoModels = (deepseek: typeof deepseekV4Flash) =>
      createRuntime({
        models: createEmulatedPool({
          profiles: [mercury2, deepseek],
          clock: createSystemClock({ timeScale: 20 }),
        }),
        objective: 'latency',
        timeouts: false,
      });
    const workerRuntime = twoModels(fastDeepseek);
    expect(workerRuntime.plan(fanOut, { count: 6 }).step('answers')!.model).toBe(
      deepseekV4Flash.id,
    );
    const worker = await startWorker({
      connection: { url },
      runtime: workerRuntime,
      chains: [fanOut],
      queueName,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: twoModels(deepseekV4Flash).models, executor });
    try {
      const planned = coordinator.plan(fanOut, { count: 6 }, { objective: 'latency' });
      expect(planned.step('answers')!.model).toBe(mercury2.id);
      const { trace } = await coordinator.run(fanOut, { count: 6 }, { objective: 'latency' });
      const items = trace.items.answers!;
      expect(items).toHaveLength(6);
      expect(items.map((record) => [record.model, record.lane, record.plannedModel])).toEqual(
        Array.from({ length: 6 }, () => [mercury2.id, 'fast', undefined]),
      );
    } finally {
      await executor.close();
      await worker.close();
    }
  }, 60_000);

  it('cancelling the run cancels its jobs', async () => {
    const queueName = `cancel-${process.pid}-${Date.now()}`;
    const worker = await startWorker({
      connection: { url },
      runtime: emulated(),
      chains: [fanOut],
      queueName,
      concurrency: 2,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const controller = new AbortController();
    let ended = 0;
    coordinator.on('step:end', (record) => {
      if (record.item !== undefined && ++ended === 3) controller.abort(new Error('enough'));
    });
    try {
      await expect(
        coordinator.run(fanOut, { count: 200 }, { signal: controller.signal }),
      ).rejects.toThrow(/abort|enough/i);
      const finishedAtCancel = worker.finished;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // At most the jobs running (or just taken) finish; the waiting ones were removed.
      expect(worker.finished - finishedAtCancel).toBeLessThanOrEqual(4);
      expect(worker.finished).toBeLessThan(20);
    } finally {
      await executor.close();
      await worker.close();
    }
  }, 60_000);

  it('cancelling stops the items running on workers, and the trace keeps what they were', async () => {
    // Long answers (~0.3 s each at 20x), so the two running at the cancel are mid-call.
    const slow = chain('remote-slow-map', { input: z.object({ count: z.number() }) }).map(
      'answers',
      ({ input }) => Array.from({ length: input.count }, (_, index) => `question ${index}`),
      llm({ prompt: (question: string) => `Answer at length: ${question}`, maxOutputTokens: 400 }),
      { concurrency: 4, onItemError: 'collect' },
    );
    const queueName = `cancel-running-${process.pid}-${Date.now()}`;
    const worker = await startWorker({
      connection: { url },
      runtime: emulated(),
      chains: [slow],
      queueName,
      concurrency: 2,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const controller = new AbortController();
    coordinator.on('step:end', (record) => {
      if (record.item !== undefined && record.status === 'ok')
        controller.abort(new Error('enough'));
    });
    try {
      const started = performance.now();
      const error = (await coordinator
        .run(slow, { count: 50 }, { signal: controller.signal })
        .catch((caught: unknown) => caught)) as { trace?: { items: Record<string, StepRecord[]> } };
      const stoppedAfterMs = performance.now() - started;
      const items = error.trace!.items.answers!;
      // The first item answered; the one running beside it (and any just taken) stopped
      // mid-call rather than ran to the end, and is in the trace.
      const stopped = items.filter((record) => record.status === 'error');
      expect(stopped.length).toBeGreaterThanOrEqual(1);
      for (const record of stopped) expect(record.error).toMatch(/cancel|abort/i);
      // Nothing else ran: the answered item and the two beside it were all that were paid for.
      expect(items.filter((record) => record.costUsd > 0).length).toBeLessThanOrEqual(3);
      expect(stoppedAfterMs).toBeLessThan(20_000);
    } finally {
      await executor.close();
      await worker.close();
    }
  }, 60_000);
});

describe.skipIf(!url)('a budgeted run on workers', () => {
  it('fails its items saying the workers need shared budgets, not naming a key never passed', async () => {
    const queueName = `budgetless-${process.pid}-${Date.now()}`;
    // A worker runtime without `sharedLimits`: it cannot share the run's budget.
    const worker = await startWorker({
      connection: { url },
      runtime: emulated(),
      chains: [fanOut],
      queueName,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    try {
      const { output } = await coordinator.run(fanOut, { count: 2 }, { maxCostUsd: 1 });
      const answers = output.answers as MapItemResult<unknown>[];
      expect(answers.map((answer) => answer.ok)).toEqual([false, false]);
      for (const answer of answers) {
        const { message } = (answer as { error: Error }).error;
        expect(message).toContain(
          "Expected the worker's `runtime` to have `sharedLimits` that share budgets (for example `createRedisLimits`) to run items of a run with `maxCostUsd` (1)",
        );
        expect(message).not.toContain('budgetKey');
      }
    } finally {
      await executor.close();
      await worker.close();
    }
  }, 60_000);
});

describe.skipIf(!url)('a run id used again', () => {
  const shout = chain('reused-id', { input: z.object({ topic: z.string() }) }).map(
    'shout',
    ({ input }) => [`${input.topic} one`, `${input.topic} two`],
    fn((phrase: string) => phrase.toUpperCase()),
  );

  it('finds the jobs of the same items (a resume pays nothing), and runs other items afresh', async () => {
    const queueName = `reused-${process.pid}-${Date.now()}`;
    const worker = await startWorker({
      connection: { url },
      runtime: emulated(),
      chains: [shout],
      queueName,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const runId = `report-${process.pid}-${Date.now()}`;
    try {
      const first = await coordinator.run(shout, { topic: 'cats' }, { runId });
      expect(first.output.shout).toEqual(['CATS ONE', 'CATS TWO']);
      expect(worker.finished).toBe(2);
      // The same run again, as a coordinator that crashed would resume it: its jobs answer.
      const resumed = await coordinator.run(shout, { topic: 'cats' }, { runId });
      expect(resumed.output.shout).toEqual(['CATS ONE', 'CATS TWO']);
      expect(worker.finished).toBe(2);
      // Another input under the same id is another run's work, not the first run's answers.
      const other = await coordinator.run(shout, { topic: 'dogs' }, { runId });
      expect(other.output.shout).toEqual(['DOGS ONE', 'DOGS TWO']);
      expect(worker.finished).toBe(4);
    } finally {
      await executor.close();
      await worker.close();
    }
  }, 60_000);

  it('runs the items of a run that reuses the id of one whose items were stopped', async () => {
    const strict = chain('reused-after-stop', { input: z.object({ topic: z.string() }) }).map(
      'shout',
      ({ input }) => [`${input.topic} one`, `${input.topic} two`],
      fn((phrase: string) => {
        if (phrase.startsWith('boom')) throw new Error('no booms');
        return phrase.toUpperCase();
      }),
    );
    const queueName = `reused-stop-${process.pid}-${Date.now()}`;
    const worker = await startWorker({
      connection: { url },
      runtime: emulated(),
      chains: [strict],
      queueName,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const runId = `stopped-${process.pid}-${Date.now()}`;
    try {
      // A failed item stops the run: the workers are told to stop its jobs.
      await expect(coordinator.run(strict, { topic: 'boom' }, { runId })).rejects.toThrow(
        /no booms/,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await coordinator.run(strict, { topic: 'cats' }, { runId });
      expect(again.output.shout).toEqual(['CATS ONE', 'CATS TWO']);
    } finally {
      await executor.close();
      await worker.close();
    }
  }, 60_000);

  it("does not count the last run's spend against the budget of a run that reuses its id", async () => {
    const topics = chain('reused-budget', { input: z.object({ topic: z.string() }) }).map(
      'answers',
      ({ input }) => [`${input.topic} one`, `${input.topic} two`],
      llm({ prompt: (topic: string) => `Answer briefly: ${topic}`, maxOutputTokens: 12 }),
    );
    const queueName = `reused-budget-${process.pid}-${Date.now()}`;
    const sharedLimits = createRedisLimits({ url, prefix: queueName });
    const worker = await startWorker({
      connection: { url },
      runtime: createRuntime({ models: emulated().models, sharedLimits, timeouts: false }),
      chains: [topics],
      queueName,
      // One call at a time: a run's reservations never overlap.
      concurrency: 1,
    });
    const executor = createBullmqExecutor({ connection: { url }, queueName });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const runId = `budget-${process.pid}-${Date.now()}`;
    try {
      const first = await coordinator.run(topics, { topic: 'cats' }, { runId, maxCostUsd: 1 });
      const spent = first.trace.costUsd;
      expect(spent).toBeGreaterThan(0);
      // Room for this run's two calls, not for the last run's as well.
      const second = await coordinator.run(
        topics,
        { topic: 'dogs' },
        { runId, maxCostUsd: spent * 1.3 },
      );
      expect(second.trace.costUsd).toBeGreaterThan(0);
    } finally {
      await executor.close();
      await worker.close();
      await sharedLimits.close();
    }
  }, 60_000);
});

describe.skipIf(!url)('closing', () => {
  it('closes every connection the executor and the worker opened', async () => {
    // A Redis of its own: other test files' connections come and go on the shared one.
    const server = await startRedisServer(findRedisServer()!);
    const url = server.url;
    const { Redis } = await import('ioredis');
    const admin = new Redis(url);
    const clients = async () => ((await admin.client('LIST')) as string).trim().split('\n').length;
    try {
      const baseline = await clients();
      const queueName = `close-${process.pid}-${Date.now()}`;
      const worker = await startWorker({
        connection: { url },
        runtime: emulated(),
        chains: [fanOut],
        queueName,
      });
      const executor = createBullmqExecutor({ connection: { url }, queueName });
      const coordinator = createRuntime({ models: emulated().models, executor });
      await coordinator.run(fanOut, { count: 2 });
      expect(await clients()).toBeGreaterThan(baseline);
      await executor.close();
      await worker.close();
      await expect.poll(clients, { timeout: 5_000 }).toBe(baseline);
    } finally {
      admin.disconnect();
      await server.stop();
    }
  }, 60_000);
});

describe('an executor whose Redis cannot be reached', () => {
  it('fails the run after `connectTimeoutMs`, naming the Redis URL with its password masked', async () => {
    // A loopback port where nothing listens.
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const executor = createBullmqExecutor({ connection: { url }, connectTimeoutMs: 300 });
    const coordinator = createRuntime({ models: emulated().models, executor });
    try {
      const started = performance.now();
      const error = await coordinator.run(fanOut, { count: 2 }).catch((caught: Error) => caught);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(HotpathError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^Expected Redis at `redis:\/\/\[redacted\]@127\.0\.0\.1:\d+` to answer within 300 ms for `hotpath\/bullmq`, got no connection/,
      );
      expect((error as Error).message).not.toContain('hunter2');
    } finally {
      await executor.close();
    }
  }, 30_000);

  it('ends the run at once when it is cancelled while waiting for Redis', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const executor = createBullmqExecutor({ connection: { url }, connectTimeoutMs: 60_000 });
    const coordinator = createRuntime({ models: emulated().models, executor });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 200);
    try {
      const started = performance.now();
      const run = coordinator.run(fanOut, { count: 2 }, { signal: controller.signal });
      await expect(run).rejects.toThrow(RunAbortedError);
      await expect(run).rejects.toThrow(/user left/);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await executor.close();
    }
  }, 30_000);
});

describe('a worker whose Redis cannot be reached', () => {
  it('fails to start after `connectTimeoutMs`, naming the Redis URL with its password masked', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const runtime = createRuntime({ models: emulated().models });
    const started = performance.now();
    const error = await startWorker({
      connection: { url },
      runtime,
      chains: [fanOut],
      connectTimeoutMs: 300,
    }).catch((caught: Error) => caught);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(HotpathError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Expected Redis at `redis:\/\/\[redacted\]@127\.0\.0\.1:\d+` to answer within 300 ms for `hotpath\/bullmq`/,
    );
    expect((error as Error).message).not.toContain('hunter2');
  }, 30_000);
});

describe('a missing BullMQ peer', () => {
  it('fails at once with what to install', async () => {
    const { loadPeer } = await import('../src/redis/load-peer');
    await expect(
      loadPeer('bullmq', 'hotpath/bullmq', async () => {
        throw new Error("Cannot find package 'bullmq'");
      }),
    ).rejects.toThrow(
      'Expected `bullmq` to be installed for `hotpath/bullmq` (npm install bullmq)',
    );
  });
});
