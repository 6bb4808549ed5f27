import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { balancedOrder } from '../lib/order';
import { spread, verdict } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import { createVariants, type Variant } from './variants';
import { mapWorkload, sequentialWorkload, type Workload, workloadInput } from './workloads';
import { createZeroModel } from './zero-model';

/** How many interleaved repetitions of each workload, and which variants run it. */
export interface OverheadPlan {
  readonly workload: Workload;
  readonly repeats: number;
  readonly variants: readonly string[];
  /** Sample the heap during runs (the 10,000-item map). */
  readonly memory?: boolean;
}

/** The overhead target: µs per step over plain calls, with tracing and re-planning on. */
export const targetMicros = 10;

/** `gc()` without `--expose-gc`: the flag can be set at run time and read in a new context. */
function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The plans for quick and full mode. */
export function overheadPlans(full: boolean): OverheadPlan[] {
  const all = ['default', 'traced', 'always'];
  return [
    { workload: sequentialWorkload(10), repeats: full ? 200 : 30, variants: all },
    {
      workload: sequentialWorkload(1000),
      repeats: full ? 5 : 1,
      variants: full ? all : ['default', 'traced'],
    },
    { workload: mapWorkload(100, 64), repeats: full ? 30 : 5, variants: all },
    {
      workload: mapWorkload(10_000, 64),
      repeats: full ? 3 : 1,
      variants: full ? all : ['traced'],
      memory: true,
    },
  ];
}

interface Sample {
  readonly ms: number;
  /** Peak live heap above the heap before the run, in bytes. */
  readonly peakBytes: number;
}

/**
 * Runs every plan: each repetition runs the plain calls and every variant, in an order rotated
 * per repetition so that drift in the machine's speed falls on all of them alike. A variant's
 * overhead per step is (its time - the same repetition's baseline time) / calls.
 */
export async function measureOverhead(full: boolean): Promise<BenchRow[]> {
  const gc = getGc();
  const { model, pool } = createZeroModel();
  const { variants, cleanUp } = createVariants(pool);
  const rows: BenchRow[] = [];
  try {
    for (const plan of overheadPlans(full)) {
      const chosen = variants.filter((variant) => plan.variants.includes(variant.id));
      const samples = new Map<string, Sample[]>([['baseline', []]]);
      for (const variant of chosen) samples.set(variant.id, []);
      // One unmeasured run of each warms the JIT (the long workloads warm up in their first calls).
      if (plan.workload.calls <= 100) {
        await plan.workload.baseline(model);
        for (const variant of chosen) await runVariant(variant, plan, gc);
      }
      for (let repeat = 0; repeat < plan.repeats; repeat++) {
        const order = ['baseline', ...chosen.map((variant) => variant.id)];
        for (const id of balancedOrder(order, repeat)) {
          const variant = chosen.find((candidate) => candidate.id === id);
          const sample = variant
            ? await runVariant(variant, plan, gc)
            : await runBaseline(plan, model, gc);
          samples.get(id)!.push(sample);
        }
      }
      rows.push(...rowsFor(plan, chosen, samples));
    }
  } finally {
    cleanUp();
  }
  return rows;
}

async function runVariant(variant: Variant, plan: OverheadPlan, gc: () => void): Promise<Sample> {
  const heap = createHeapProbe(plan.memory === true, gc);
  const off = plan.memory ? variant.runtime.on('step:end', heap.tick) : undefined;
  const start = performance.now();
  await variant.runtime.run(plan.workload.chain, workloadInput);
  await variant.flush();
  const ms = performance.now() - start;
  off?.();
  return { ms, peakBytes: heap.peak() };
}

async function runBaseline(
  plan: OverheadPlan,
  model: ReturnType<typeof createZeroModel>['model'],
  gc: () => void,
): Promise<Sample> {
  const heap = createHeapProbe(plan.memory === true, gc);
  const start = performance.now();
  await plan.workload.baseline(model, heap.tick);
  const ms = performance.now() - start;
  return { ms, peakBytes: heap.peak() };
}

/**
 * Live heap above a post-GC starting point: every 1,000th call forces a GC and samples the heap,
 * so the peak counts what the run holds, not garbage not yet collected.
 */
function createHeapProbe(enabled: boolean, gc: () => void) {
  if (!enabled) return { tick: () => {}, peak: () => 0 };
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let ticks = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  };
  return {
    tick: () => {
      if (++ticks % 1000 === 0) {
        gc();
        sample();
      }
    },
    peak: () => peak,
  };
}

function rowsFor(
  plan: OverheadPlan,
  variants: readonly Variant[],
  samples: Map<string, Sample[]>,
): BenchRow[] {
  const baseline = samples.get('baseline')!;
  const calls = plan.workload.calls;
  const perCall = (ms: number) => (ms * 1000) / calls;
  const baselineRow: BenchRow = {
    workload: plan.workload.label,
    runtime: 'plain `streamText` + async/await',
    'run (ms)': spread(
      baseline.map((sample) => sample.ms),
      1,
    ),
    'µs per step over plain': '',
    target: '',
    'peak heap (MB)': plan.memory ? mb(baseline) : '',
  };
  return [
    baselineRow,
    ...variants.map((variant) => {
      const own = samples.get(variant.id)!;
      const overhead = own.map((sample, index) => perCall(sample.ms - baseline[index]!.ms));
      const judged = variant.id !== 'default';
      const middle = overhead.slice().sort((a, b) => a - b)[Math.floor(overhead.length / 2)]!;
      return {
        workload: plan.workload.label,
        runtime: variant.label,
        'run (ms)': spread(
          own.map((sample) => sample.ms),
          1,
        ),
        'µs per step over plain': spread(overhead, 0),
        target: judged ? `<= ${targetMicros} µs: ${verdict(middle <= targetMicros)}` : '',
        'peak heap (MB)': plan.memory
          ? `${mb(own)} (< 50 MB: ${verdict(median(own) < 50 * 2 ** 20)})`
          : '',
      };
    }),
  ];
}

const median = (samples: readonly Sample[]) =>
  samples.map((sample) => sample.peakBytes).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
const mb = (samples: readonly Sample[]) => (median(samples) / 2 ** 20).toFixed(1);
