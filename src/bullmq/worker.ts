import type { AnyChain } from '../chain';
import { assertWholeNumber } from '../errors/invalid-argument-error';
import { createRedisWait } from '../redis/unreachable';
import type { ItemOutcome } from '../runtime/map-executor';
import type { Runtime } from '../runtime/runtime';
import {
  cancelChannel,
  defaultQueueName,
  type ItemJobData,
  type ItemJobProgress,
  readCancelWord,
} from './job-data';
import { type BullmqConnection, loadBullmq } from './peers';
import { createItemRunner } from './run-job';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** The Redis BullMQ keeps its queue in: `{ url: 'redis://host:port/db' }`. */
  readonly connection: BullmqConnection;
  /**
   * Runs the items: its models, limits (share them with `createRedisLimits`) and exporters. Items
   * of a run with `maxCostUsd` need `sharedLimits` that share budgets (`createRedisLimits`): the
   * workers of a run share its budget through them, and without them each such item fails saying so.
   */
  readonly runtime: Runtime;
  /** The chains whose map items this worker may run, found by name. */
  readonly chains: readonly AnyChain[];
  /** Items this worker runs at once. @default 8 */
  readonly concurrency?: number;
  /** @default 'hotpath-items' */
  readonly queueName?: string;
  /**
   * BullMQ's lock on a running job, in ms: a worker that dies holding jobs loses them to other
   * workers once it lapses. @default 30_000 (BullMQ's)
   */
  readonly lockDuration?: number;
  /** How often BullMQ looks for jobs whose lock lapsed, in ms. @default 30_000 (BullMQ's) */
  readonly stalledInterval?: number;
  /** How many times a job may be found stalled before it fails. @default 1 (BullMQ's) */
  readonly maxStalledCount?: number;
  /**
   * How long to wait for Redis when starting, in ms: past it `startWorker` rejects with an error
   * naming the Redis URL (credentials masked), its connections ended. @default 10_000
   */
  readonly connectTimeoutMs?: number;
}

/** A running worker. */
export interface HotpathWorker {
  /** Items finished by this worker so far. */
  readonly finished: number;
  /** Stops taking jobs, waits for the ones running, and closes its connections. */
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker that runs map items sent by `createBullmqExecutor`: each job is one
 * item, run on `runtime` as that chain's map step would run it. A job whose item finished before
 * the worker died is answered from its stored result, never paid for again.
 *
 * @example
 * ```ts
 * const worker = await startWorker({ connection: { url }, runtime, chains: [research] });
 * ```
 */
export async function startWorker(options: WorkerOptions): Promise<HotpathWorker> {
  const concurrency = options.concurrency ?? 8;
  assertWholeNumber('concurrency', concurrency);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  assertWholeNumber('connectTimeoutMs', connectTimeoutMs);
  const { bullmq, ioredis } = await loadBullmq();
  const queueName = options.queueName ?? defaultQueueName;
  const runItemJob = createItemRunner(options.chains);
  const connection = new ioredis.Redis(options.connection.url, { maxRetriesPerRequest: null });
  const subscriber = connection.duplicate();
  // ioredis retries a lost connection forever: the last error is what a timeout reports.
  const redisWait = createRedisWait(options.connection.url, 'hotpath/bullmq', connectTimeoutMs);
  connection.on('error', redisWait.onError);
  subscriber.on('error', redisWait.onError);
  /** Running jobs by run, so a cancelled run's jobs can be stopped. */
  const running = new Map<string, Set<string>>();
  /**
   * Runs cancelled lately, and when: a job of theirs added before the word and taken after it is
   * not started (one added later belongs to a resume, or to a run that reuses the id).
   */
  const cancelled = new Map<string, number>();
  let finished = 0;

  const worker = new bullmq.Worker<ItemJobData, ItemOutcome>(
    queueName,
    async (job, _token, signal) => {
      const stored = job.progress as ItemJobProgress | number;
      if (typeof stored === 'object' && stored?.outcome) return stored.outcome;
      if (job.timestamp <= (cancelled.get(job.data.runId) ?? Number.NEGATIVE_INFINITY)) {
        return {
          index: job.data.index,
          ok: false,
          error: {
            name: 'RunAbortedError',
            message: 'the run was cancelled before the item started',
          },
        } satisfies ItemOutcome;
      }
      const jobs = running.get(job.data.runId) ?? new Set<string>();
      running.set(job.data.runId, jobs);
      jobs.add(job.id!);
      try {
        const outcome = await runItemJob(options.runtime, job.data, signal);
        // Kept before the job completes: a retry after a crash here returns it unpaid.
        await job.updateProgress({ outcome } satisfies ItemJobProgress);
        finished += 1;
        return outcome;
      } finally {
        jobs.delete(job.id!);
        if (jobs.size === 0) running.delete(job.data.runId);
      }
    },
    {
      connection,
      concurrency,
      ...(options.lockDuration !== undefined && { lockDuration: options.lockDuration }),
      ...(options.stalledInterval !== undefined && { stalledInterval: options.stalledInterval }),
      ...(options.maxStalledCount !== undefined && { maxStalledCount: options.maxStalledCount }),
    },
  );
  worker.on('error', () => {});
  subscriber.on('message', (_channel, message: string) => {
    const { runId, at } = readCancelWord(message);
    cancelled.delete(runId);
    cancelled.set(runId, at);
    // Kept for the jobs still to come; the oldest word is dropped past a thousand runs.
    if (cancelled.size > 1_000) cancelled.delete(cancelled.keys().next().value!);
    for (const jobId of running.get(runId) ?? []) worker.cancelJob(jobId, 'the run was cancelled');
  });
  const ready = Promise.all([
    subscriber.subscribe(cancelChannel(queueName)),
    worker.waitUntilReady(),
  ]);
  try {
    await redisWait.wait(ready);
  } catch (error) {
    ready.catch(() => {});
    // Redis is down: the connections are ended without the goodbyes that would wait for it.
    void worker.close(true).catch(() => {});
    subscriber.disconnect();
    connection.disconnect();
    throw error;
  }

  return {
    get finished() {
      return finished;
    },
    async close() {
      await worker.close();
      subscriber.disconnect();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
