/**
 * Run-store overhead: the same chains on the zero-latency mock with no store, a store that
 * discards what it is given (the journal's own work: keys, records, batching), the memory store,
 * the file store and the PostgreSQL store (a throwaway cluster, when the server binaries are
 * here). Per step: 200 sequential steps; per map item: a 10,000-item map at concurrency 64.
 * Runs interleave, in a balanced order (`balancedOrder`: each store runs in every position and
 * after every other equally often); wall time and process CPU time (every thread: the
 * file system's and the garbage collector's work counts) are medians, and CPU is also paired: the
 * median of each repetition's ratio to that repetition's no-store run, wall time too, with a 90%
 * bootstrap interval of that median. `npx tsx bench/stores.ts [--full] [--repeats N] [--stores
 * none,file]` runs it alone: more repetitions of fewer stores narrow the interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryRunStore, createRuntime, type RunStore } from 'hotpath';
import { createFileRunStore } from 'hotpath/node';
import { createPostgresRunStore } from 'hotpath/postgres';
import { postgresMissing, startCluster } from '../test/helpers/postgres-cluster';
import { balancedOrder } from './lib/order';
import { medianInterval } from './lib/stats';
import type { BenchRow } from './lib/table';
import {
  mapWorkload,
  sequentialWorkload,
  type Workload,
  workloadInput,
} from './overhead/workloads';
import { createZeroModel } from './overhead/zero-model';

/** The goal: the file store adds under 5% to a 10,000-item map's wall time (and CPU time). */
export const storeGoalShare = 0.05;

interface StoreVariant {
  readonly id: string;
  readonly label: string;
  readonly store: RunStore | undefined;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Each repetition's `sample / baseline - 1`: a load that comes and goes moves both. */
const pairedShares = (samples: readonly number[], baseline: readonly number[]) =>
  samples.map((sample, index) => sample / baseline[index]! - 1);

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The median of paired shares with its 90% bootstrap interval. */
interface Paired {
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

const paired = (shares: readonly number[]): Paired => ({
  median: median(shares),
  ...medianInterval(shares),
});

const pairedCell = ({ median, low, high }: Paired) =>
  `${percent(median)} (${percent(low)} to ${percent(high)})`;

/** Options of {@link benchStores}. */
export interface StoreBenchOptions {
  /** More repetitions of each workload (10 and 11, or 5 and 3 quick). */
  readonly full: boolean;
  /** Repetitions of each workload, overriding `full`'s. */
  readonly repeats?: number;
  /** The ids of the stores to run (`none` always runs: the others are measured against it). */
  readonly stores?: readonly string[];
}

/** The lowest and highest sample. */
const spread = (values: readonly number[]) =>
  `${Math.min(...values).toFixed(0)} to ${Math.max(...values).toFixed(0)}`;

/** Measures every store on both workloads; rows for the results table. */
export async function benchStores(options: StoreBenchOptions): Promise<BenchRow[]> {
  const { full } = options;
  const folder = mkdtempSync(join(tmpdir(), 'hotpath-bench-stores-'));
  const wanted = (id: string) => options.stores === undefined || options.stores.includes(id);
  const missing = wanted('postgres') ? postgresMissing() : undefined;
  const cluster = wanted('postgres') && missing === undefined ? await startCluster() : undefined;
  const postgres = cluster && (await createPostgresRunStore({ connectionString: cluster.url }));
  const discard: RunStore = { ...createMemoryRunStore(), append: async () => {} };
  const all: StoreVariant[] = [
    { id: 'none', label: 'no store', store: undefined },
    { id: 'discard', label: 'journal only (a store that discards entries)', store: discard },
    { id: 'memory', label: 'memory store', store: createMemoryRunStore() },
    { id: 'file', label: 'file store', store: createFileRunStore({ dir: join(folder, 'runs') }) },
    ...(postgres
      ? [{ id: 'postgres', label: 'PostgreSQL store (local, fsync off)', store: postgres }]
      : []),
  ];
  const variants = all.filter(({ id }) => id === 'none' || wanted(id));
  const { pool } = createZeroModel();
  const runtimes = new Map(
    variants.map((variant) => [
      variant.id,
      // The mock's clock never waits, so a timeout would fire at once: none here.
      createRuntime({ models: pool, store: variant.store, timeouts: false }),
    ]),
  );
  const plans: { workload: Workload; repeats: number; unit: string }[] = [
    {
      workload: sequentialWorkload(200),
      repeats: options.repeats ?? (full ? 10 : 5),
      unit: 'step',
    },
    {
      workload: mapWorkload(10_000, 64),
      repeats: options.repeats ?? (full ? 11 : 3),
      unit: 'item',
    },
  ];
  const ids = variants.map((variant) => variant.id);
  const rows: BenchRow[] = [];
  try {
    for (const { workload, repeats, unit } of plans) {
      // One unmeasured run each warms the JIT and the stores' tables and folders.
      const warmup = workload.calls <= 1000 ? workload : mapWorkload(1000, 64);
      for (const variant of variants) {
        await runtimes.get(variant.id)!.run(warmup.chain, workloadInput);
      }
      const samples = new Map<string, number[]>(ids.map((id) => [id, []]));
      const cpu = new Map<string, number[]>(ids.map((id) => [id, []]));
      for (let repeat = 0; repeat < repeats; repeat++) {
        for (const id of balancedOrder(ids, repeat)) {
          const start = performance.now();
          const startCpu = process.cpuUsage();
          await runtimes.get(id)!.run(workload.chain, workloadInput);
          samples.get(id)!.push(performance.now() - start);
          const used = process.cpuUsage(startCpu);
          cpu.get(id)!.push((used.user + used.system) / 1000);
        }
      }
      const base = median(samples.get('none')!);
      const baseCpu = median(cpu.get('none')!);
      for (const variant of variants) {
        const ms = median(samples.get(variant.id)!);
        const cpuMs = median(cpu.get(variant.id)!);
        const over = ms - base;
        // Each repetition's run against the no-store run of the same repetition (they ran a few
        // seconds apart): a load that comes and goes moves both, a median of them does not.
        const wallPaired = paired(pairedShares(samples.get(variant.id)!, samples.get('none')!));
        const cpuPaired = paired(pairedShares(cpu.get(variant.id)!, cpu.get('none')!));
        const goal =
          variant.id === 'file' && workload.calls === 10_000
            ? `< ${storeGoalShare * 100}% (paired wall and CPU): ${storeVerdict(wallPaired, cpuPaired)}`
            : '';
        const none = variant.id === 'none';
        rows.push({
          workload: workload.label,
          store: variant.label,
          'run (ms)': `${ms.toFixed(1)} (${spread(samples.get(variant.id)!)}, n=${repeats})`,
          'over no store': none ? '' : percent(over / base),
          'CPU (ms)': cpuMs.toFixed(0),
          'CPU over no store': none ? '' : percent((cpuMs - baseCpu) / baseCpu),
          'wall over no store, paired (90% interval)': none ? '' : pairedCell(wallPaired),
          'CPU over no store, paired (90% interval)': none ? '' : pairedCell(cpuPaired),
          'µs over no store (wall / CPU)': none
            ? ''
            : `${((over * 1000) / workload.calls).toFixed(1)} / ${(((cpuMs - baseCpu) * 1000) / workload.calls).toFixed(1)} per ${unit}`,
          goal,
        });
      }
    }
    if (missing !== undefined) {
      rows.push({ workload: 'both', store: 'PostgreSQL store', 'run (ms)': `not run: ${missing}` });
    }
  } finally {
    await postgres?.close();
    cluster?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Met when the 90% intervals of both paired medians lie under the goal, not met when either
 * median is over it; otherwise the repetitions cannot tell (more of them narrow the intervals).
 * Both must agree: on a busy machine wall time swings more than the overhead, and CPU time counts
 * every thread's work but not waiting.
 */
function storeVerdict(...measures: readonly Paired[]): string {
  if (measures.some((each) => each.median >= storeGoalShare)) return '**not met**';
  if (measures.every((each) => each.high < storeGoalShare)) return 'met';
  return '**not shown** (an interval reaches the goal)';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatMarkdownTable } = await import('./lib/table');
  const flag = (name: string) => {
    const at = process.argv.indexOf(name);
    return at === -1 ? undefined : process.argv[at + 1];
  };
  const repeats = flag('--repeats');
  const options: StoreBenchOptions = {
    full: process.argv.includes('--full'),
    repeats: repeats === undefined ? undefined : Number(repeats),
    stores: flag('--stores')?.split(','),
  };
  console.log(formatMarkdownTable(await benchStores(options)));
}
