import { flattenNeeds } from './flat-options';
import type { Percentiles } from './model-stats';
import type { Problem } from './problem';
import { optionSigma } from './spread';

/** The seed of every makespan sample: the same plan gives the same percentiles, run after run. */
const seed = 0x9e3779b9;

/** Step draws one evaluation may make: a 1,000-step chain is sampled 200 times. */
const drawBudget = 200_000;

/** Fewer samples put a p90 within about ±6% (σ 0.5), more buy little. */
const sampleRange = { min: 200, max: 1000 } as const;

/** How many runs {@link sampleMakespans} samples for a chain of `steps` steps. */
export function sampleCount(steps: number): number {
  return Math.min(
    sampleRange.max,
    Math.max(sampleRange.min, Math.floor(drawBudget / Math.max(1, steps))),
  );
}

/**
 * The makespans of sampled runs of `choice`, sorted: each pending step's duration is its
 * predicted (median) duration times e^(σ z), σ from {@link optionSigma}, z a standard normal,
 * independent across steps; each run is the forward pass over those durations. The draws come
 * from one seeded generator in the same order for every assignment (common random numbers), so
 * two plans of a problem are compared on the same sampled worlds and the answer is
 * deterministic. A running step ends no earlier than now; done steps keep their measured times.
 * Pipelined maps are sampled as if they waited for their whole producer (an upper bound).
 */
export function sampleMakespans(
  problem: Problem,
  choice: Int32Array,
  samples = sampleCount(problem.options.length),
): Float64Array {
  const { options, fixedStart, releaseMs, infos } = problem;
  const needs = flattenNeeds(problem.needs);
  const n = options.length;
  const median = new Float64Array(n);
  const sigma = new Float64Array(n);
  const floor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const option = options[i]![choice[i]!]!;
    median[i] = option.durationMs;
    sigma[i] = optionSigma(problem, infos[i]!, option);
    floor[i] = Number.isNaN(fixedStart[i]!) ? 0 : Math.max(0, releaseMs - fixedStart[i]!);
  }
  const end = new Float64Array(n);
  const out = new Float64Array(samples);
  const kept = normalDraws(samples * n);
  // Too many draws to keep: each run's are made before its pass, into one row.
  const normal = kept === undefined ? createNormals(seed) : undefined;
  const z = kept ?? new Float64Array(n);
  const { start, at } = needs;
  for (let s = 0; s < samples; s++) {
    // This run's draws, one per step: every step draws, spread or not, so that the stream
    // lines up across assignments.
    if (normal !== undefined) for (let i = 0; i < n; i++) z[i] = normal();
    const base = normal === undefined ? s * n : 0;
    let makespan = 0;
    for (let i = 0; i < n; i++) {
      let begin = fixedStart[i]!;
      if (Number.isNaN(begin)) {
        begin = releaseMs;
        for (let k = start[i]!, last = start[i + 1]!; k < last; k++) {
          const after = end[at[k]!]!;
          if (after > begin) begin = after;
        }
      }
      const duration = sigma[i]! > 0 ? median[i]! * Math.exp(sigma[i]! * z[base + i]!) : median[i]!;
      const finish = begin + Math.max(duration, floor[i]!);
      end[i] = finish;
      if (finish > makespan) makespan = finish;
    }
    out[s] = makespan;
  }
  return out.sort();
}

/**
 * The draws of every sampling are the same stream (the same seed, the same order), so the
 * first {@link keptDraws} of it are made once per process and read after: the generator's
 * logarithm, root and sine per pair were a third of a sampling's time. `undefined` for a
 * sampling that needs more (its draws are made as it goes).
 */
const keptDraws = 1 << 18;
let drawn: Float64Array | undefined;

function normalDraws(count: number): Float64Array | undefined {
  if (count > keptDraws) return undefined;
  if (drawn === undefined || drawn.length < count) {
    // Made to the largest size asked for so far, in steps of 4, so that a longer chain redraws
    // the stream a few times at most.
    const size = Math.min(keptDraws, Math.max(count, (drawn?.length ?? 0) * 4, 4096));
    const next = new Float64Array(size);
    const normal = createNormals(seed);
    for (let k = 0; k < size; k++) next[k] = normal();
    drawn = next;
  }
  return drawn;
}

/** The value at `share` of sorted samples: the smallest that at least that share reach. */
export function quantileOf(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[at]!;
}

/** The share of sorted samples at or below `limit`. */
export function shareWithin(sorted: Float64Array, limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length === 0 ? Number.NaN : lo / sorted.length;
}

/** p50, p90 and p99 of sampled makespans. */
export function makespanPercentiles(sorted: Float64Array): Percentiles {
  return {
    p50: quantileOf(sorted, 0.5),
    p90: quantileOf(sorted, 0.9),
    p99: quantileOf(sorted, 0.99),
  };
}

/** Standard normals from a seeded mulberry32 generator, by Box-Muller (both halves used). */
function createNormals(start: number): () => number {
  let state = start >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = Number.NaN;
      return value;
    }
    // 1 - u lies in (0, 1]: the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
