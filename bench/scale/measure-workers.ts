import { readFileSync } from 'node:fs';
import { createRuntime, fromEnv, type MapItemResult } from 'hotpath';
import { createBullmqExecutor } from 'hotpath/bullmq';
import { questionsChain } from '../../test/fixtures/items-chain';
import {
  type BundledEntry,
  startReadyProcess,
  stopProcess,
} from '../../test/helpers/worker-processes';

/** Where one measurement runs: Redis, the emulator process and the bundled worker entry. */
export interface WorkersBed {
  readonly redisUrl: string;
  readonly redisPid: number;
  readonly emulatorUrl: string;
  readonly emulatorPid: number;
  readonly worker: BundledEntry;
  readonly timeScale: number;
}

/** One configuration: `workers` processes at `concurrency` each, or 0 for the map in process. */
export interface WorkersCase {
  readonly items: number;
  readonly workers: number;
  /** Items at once per worker, or the map's concurrency in process. */
  readonly concurrency: number;
  /** Extra `node` flags for the workers (`--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

/** What one configuration measured. */
export interface WorkersResult extends WorkersCase {
  /** From the run's start to its end, worker start-up excluded. */
  readonly wallMs: number;
  readonly itemsPerSecond: number;
  readonly failed: number;
  /** The mean item's duration in the trace, in real ms (model time over the time scale). */
  readonly meanItemMs: number;
  /** CPU time per item, in ms, by process role. */
  readonly cpuMsPerItem: {
    readonly coordinator: number;
    readonly workers: number;
    readonly emulator: number;
    readonly redis: number;
  };
}

/** User and system CPU of a process so far, in ms (Linux `/proc`). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * Mercury 2's 1,000 requests a minute would bound every row at ~17 items/s (and each worker
 * process, limited on its own, would get the whole limit): lifted, so the rows measure latency
 * and CPU, not the provider's limit. Across processes, limits are shared with `createRedisLimits`.
 */
const requestsPerMinute = 1_000_000;

const selfCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Runs the 2,000-item `questions` map once: on `workers` worker processes through
 * `createBullmqExecutor`, or with no executor in this process. Worker start-up is outside the
 * timed run; CPU is counted per process over the run.
 */
export async function measureWorkers(bed: WorkersBed, setup: WorkersCase): Promise<WorkersResult> {
  const queue = `bench-${process.pid}-${Date.now()}`;
  const env = {
    REDIS_URL: bed.redisUrl,
    EMULATOR_URL: bed.emulatorUrl,
    TIME_SCALE: String(bed.timeScale),
    QUEUE: queue,
    CONCURRENCY: String(setup.concurrency),
    REQUESTS_PER_MINUTE: String(requestsPerMinute),
  };
  const workers = await Promise.all(
    Array.from({ length: setup.workers }, () =>
      startReadyProcess(bed.worker.file, env, setup.nodeArgs),
    ),
  );
  const executor =
    setup.workers > 0
      ? createBullmqExecutor({ connection: { url: bed.redisUrl }, queueName: queue })
      : undefined;
  try {
    const runtime = createRuntime({
      models: fromEnv({
        env: { HOTPATH_EMULATOR_URL: bed.emulatorUrl, HOTPATH_EMULATOR_TIME_SCALE: env.TIME_SCALE },
        log: false,
      }),
      hedge: false,
      timeouts: false,
      limits: { 'mercury-2': { requestsPerMinute } },
      ...(executor && { executor }),
    });
    const chain = questionsChain(setup.concurrency);
    // Connections warmed and the chain planned once before the clock starts.
    await runtime.run(chain, { count: Math.min(8, setup.concurrency) });
    const pids = workers.map((worker) => worker.child.pid!);
    const before = {
      coordinator: selfCpuMs(),
      workers: pids.reduce((sum, pid) => sum + cpuMs(pid), 0),
      emulator: cpuMs(bed.emulatorPid),
      redis: cpuMs(bed.redisPid),
    };
    const started = performance.now();
    const { output, trace } = await runtime.run(chain, { count: setup.items });
    const wallMs = performance.now() - started;
    const per = (ms: number) => ms / setup.items;
    const cpuMsPerItem = {
      coordinator: per(selfCpuMs() - before.coordinator),
      workers: per(pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - before.workers),
      emulator: per(cpuMs(bed.emulatorPid) - before.emulator),
      redis: per(cpuMs(bed.redisPid) - before.redis),
    };
    const answers = output.answers as MapItemResult<unknown>[];
    return {
      ...setup,
      wallMs,
      itemsPerSecond: (setup.items / wallMs) * 1000,
      failed: answers.filter((answer) => !answer.ok).length,
      meanItemMs:
        (trace.items.answers ?? []).reduce((sum, record) => sum + record.durationMs, 0) /
        setup.items /
        bed.timeScale,
      cpuMsPerItem,
    };
  } finally {
    await executor?.close();
    await Promise.all(workers.map((worker) => stopProcess(worker.child)));
  }
}
