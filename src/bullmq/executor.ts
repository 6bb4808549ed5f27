import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { assertWholeNumber } from '../errors/invalid-argument-error';
import { createRedisWait } from '../redis/unreachable';
import type { ItemOutcome, MapExecution, MapExecutor } from '../runtime/map-executor';
import {
  type CancelWord,
  cancelChannel,
  defaultQueueName,
  type ItemJobData,
  itemJobId,
} from './job-data';
import { type BullmqConnection, loadBullmq } from './peers';

/** Options of {@link createBullmqExecutor}. */
export interface BullmqExecutorOptions {
  /** The Redis BullMQ keeps its queue in: `{ url: 'redis://host:port/db' }`. */
  readonly connection: BullmqConnection;
  /** The queue the items go to; workers read the same name. @default 'hotpath-items' */
  readonly queueName?: string;
  /**
   * How long without any job event before the executor reads the jobs still pending directly
   * (events are the fast path; this catches any it missed). @default 2_000
   */
  readonly pollMs?: number;
  /**
   * After a failed item or a cancellation, how long to wait for the items already running to
   * stop and report what they spent (a local map waits for them too) before failing anyway.
   * @default 30_000
   */
  readonly settleMs?: number;
  /**
   * How long a map waits for Redis to answer before it fails, naming the URL (a cancelled run
   * stops waiting at once). The connection is retried meanwhile, and by the next map.
   * @default 10_000
   */
  readonly connectTimeoutMs?: number;
}

/** An executor and the connections to close when done. */
export interface BullmqExecutor extends MapExecutor {
  close(): Promise<void>;
}

interface Connected {
  readonly queue: Queue<ItemJobData, ItemOutcome>;
  readonly events: QueueEvents;
  readonly publish: (channel: string, message: string) => Promise<unknown>;
  readonly close: () => Promise<void>;
}

/**
 * Runs map items as BullMQ jobs, one job per item, on the workers started with `startWorker`;
 * the coordinating run collects their outcomes and reports them in item order, with the same
 * `onItemError` rules, events and trace as a local map. Cancelling the run removes its waiting
 * jobs and stops its running ones.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({
 *   models: models.fromEnv(),
 *   executor: createBullmqExecutor({
 *     connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
 *   }),
 * });
 * ```
 */
export function createBullmqExecutor(options: BullmqExecutorOptions): BullmqExecutor {
  const queueName = options.queueName ?? defaultQueueName;
  const pollMs = options.pollMs ?? 2_000;
  const settleMs = options.settleMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  assertWholeNumber('connectTimeoutMs', connectTimeoutMs);
  let connected: Promise<Connected> | undefined;
  let ready: Connected | undefined;
  /** The connections once made, ready or not: `close` ends them even while Redis is down. */
  let opened: { connection: Redis; listener: Redis } | undefined;
  const redisWait = createRedisWait(options.connection.url, 'hotpath/bullmq', connectTimeoutMs);
  const connect = (signal: AbortSignal) => {
    connected ??= (async () => {
      const { bullmq, ioredis } = await loadBullmq();
      const connection = new ioredis.Redis(options.connection.url, { maxRetriesPerRequest: null });
      // ioredis retries a lost connection forever: the last error is what a timeout reports.
      connection.on('error', redisWait.onError);
      // QueueEvents blocks on its own connection; closing it leaves a connection passed in open.
      const listener = connection.duplicate();
      listener.on('error', redisWait.onError);
      opened = { connection, listener };
      const queue = new bullmq.Queue<ItemJobData, ItemOutcome>(queueName, { connection });
      const events = new bullmq.QueueEvents(queueName, { connection: listener });
      queue.on('error', () => {});
      events.on('error', () => {});
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      ready = {
        queue,
        events,
        publish: (channel, message) => connection.publish(channel, message),
        async close() {
          await events.close();
          await queue.close();
          listener.disconnect();
          await connection.quit().catch(() => connection.disconnect());
        },
      };
      return ready;
    })();
    // Awaited by each map, with its signal and timeout; unhandled until the first.
    connected.catch(() => {});
    return redisWait.wait(connected, signal);
  };
  return {
    async runItems(execution) {
      const { queue, events, publish } = await connect(execution.signal);
      await collect(queue, events, publish, execution);
    },
    async close() {
      if (ready) return ready.close();
      // Not ready (Redis down): the connections are ended without the goodbyes that would wait.
      opened?.listener.disconnect();
      opened?.connection.disconnect();
    },
  };

  async function collect(
    queue: Connected['queue'],
    events: QueueEvents,
    publish: Connected['publish'],
    execution: MapExecution,
  ): Promise<void> {
    const { runId, stepId, signal } = execution;
    signal.throwIfAborted();
    const ids = execution.items.map((item, index) =>
      itemJobId(runId, stepId, index, item, execution.stepKey),
    );
    const indexOf = new Map(ids.map((id, index) => [id, index]));
    const pending = new Set(ids);
    let lastEventAt = Date.now();

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      /** The first failure (or the cancellation): once set, items still running are awaited. */
      let failure: { error: unknown } | undefined;
      let giveUp: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        if (settled) return;
        settled = true;
        events.off('completed', onCompleted);
        events.off('failed', onFailed);
        signal.removeEventListener('abort', onAbort);
        clearInterval(poller);
        clearTimeout(giveUp);
        if (failure === undefined) resolve();
        else reject(failure.error);
      };
      // As a local map does: stop what has not ended, and hear from every item that started
      // before failing, so that what they spent is in the run's trace.
      const fail = (error: unknown) => {
        if (failure !== undefined || settled) return;
        failure = { error };
        giveUp = setTimeout(settle, settleMs);
        cancel(queue, publish, runId, [...pending])
          .then((removed) => {
            for (const id of removed) pending.delete(id);
            // Jobs never added, or ended before their event reached us, are read directly.
            return readPending(queue, [...pending], indexOf, deliver, pending);
          })
          .catch(() => {})
          .finally(() => {
            if (pending.size === 0) settle();
          });
      };
      const deliver = (id: string, outcome: ItemOutcome) => {
        if (!pending.delete(id)) return;
        try {
          execution.onItem(outcome);
        } catch (error) {
          fail(error);
        }
        if (pending.size === 0) settle();
      };
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        lastEventAt = Date.now();
        if (!pending.has(jobId)) return;
        deliver(jobId, parse(returnvalue));
      };
      const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        lastEventAt = Date.now();
        if (!pending.has(jobId)) return;
        deliver(jobId, failedOutcome(indexOf.get(jobId)!, failedReason));
      };
      const onAbort = () => fail(signal.reason);
      events.on('completed', onCompleted);
      events.on('failed', onFailed);
      signal.addEventListener('abort', onAbort, { once: true });
      // The events are the fast path; a quiet spell reads the pending jobs themselves.
      const poller = setInterval(() => {
        if (Date.now() - lastEventAt < pollMs || pending.size === 0) return;
        lastEventAt = Date.now();
        readPending(queue, [...pending], indexOf, deliver).catch(() => {});
      }, pollMs);

      queue
        .addBulk(
          execution.items.map((item, index) => ({
            name: stepId,
            data: {
              runId,
              chain: execution.chain,
              stepId,
              index,
              item,
              model: execution.model,
              maxCostUsd: execution.maxCostUsd,
              budgetKey: execution.budgetKey,
            },
            opts: {
              jobId: ids[index],
              removeOnComplete: { age: 3_600 },
              removeOnFail: { age: 3_600 },
            },
          })),
        )
        .catch(fail);
    });
  }
}

function parse(returnvalue: unknown): ItemOutcome {
  return (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as ItemOutcome;
}

function failedOutcome(index: number, reason: string): ItemOutcome {
  return { index, ok: false, error: { name: 'HotpathWorkerError', message: reason } };
}

/**
 * Reads pending jobs directly and delivers those that have ended; with `missing`, drops from it
 * the jobs that do not exist (never added, or removed).
 */
async function readPending(
  queue: Connected['queue'],
  ids: readonly string[],
  indexOf: Map<string, number>,
  deliver: (id: string, outcome: ItemOutcome) => void,
  missing?: Set<string>,
): Promise<void> {
  for (const id of ids) {
    const job = (await queue.getJob(id)) as Job<ItemJobData, ItemOutcome> | undefined;
    if (job === undefined) missing?.delete(id);
    if (job?.finishedOn === undefined) continue;
    if (job.failedReason) deliver(id, failedOutcome(indexOf.get(id)!, job.failedReason));
    else deliver(id, parse(job.returnvalue));
  }
}

/**
 * Removes a run's waiting jobs and tells the workers to stop its running ones; resolves to the
 * jobs removed (those that will never run).
 */
async function cancel(
  queue: Connected['queue'],
  publish: Connected['publish'],
  runId: string,
  ids: readonly string[],
): Promise<string[]> {
  const word: CancelWord = { runId, at: Date.now() };
  await publish(cancelChannel(queue.name), JSON.stringify(word));
  const removed = await Promise.all(
    ids.map(async (id) => {
      // A job that ended before its event reached us is read, not removed: it was paid for.
      // (A running job is locked: BullMQ does not remove it.)
      const state = await queue.getJobState(id);
      if (state === 'completed' || state === 'failed' || state === 'active') return 0;
      return queue.remove(id);
    }),
  ).catch(() => ids.map(() => 0));
  return ids.filter((_, index) => removed[index] === 1);
}
