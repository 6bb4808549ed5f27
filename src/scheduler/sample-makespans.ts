import { type FlatNeeds, flattenNeeds } from './flat-options';
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
  /** Test seam: `perRun` passes a run at a time, drawing as it goes (the reference). */
  _internal?: { readonly perRun?: boolean },
): Float64Array {
  const { options, fixedStart, releaseMs, infos } = problem;
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
  const needs = flattenNeeds(problem.needs);
  const kept = _internal?.perRun ? undefined : normalDraws(samples * n);
  const pass = { n, samples, fixedStart, releaseMs, median, sigma, floor, needs };
  return (kept === undefined ? sampleAsDrawn(pass) : sampleByStep(pass, kept, problem)).sort();
}

/** What one sampling's forward passes read. */
interface Pass {
  readonly n: number;
  readonly samples: number;
  readonly fixedStart: Float64Array;
  readonly releaseMs: number;
  readonly median: Float64Array;
  readonly sigma: Float64Array;
  readonly floor: Float64Array;
  readonly needs: FlatNeeds;
}

/**
 * The passes of every run at once, a step at a time: each step's ends in all runs are one row
 * (step-major, so a step reads its needs' rows in order). What the last kept sampling worked
 * out is kept ({@link lastSampling}): a step whose median and σ are the same keeps its sampled
 * durations (its draws are the same: the `i`th of each run's), and in a sampling of the same
 * problem, a step that kept its durations and whose needs kept their ends keeps its ends. A
 * confidence plan samples the plans of several solves of one problem, which mostly choose the
 * same options, and a re-plan predicts most pending steps as before: after the first sampling
 * only the steps that changed are drawn again, and only they and the steps after them are
 * passed again. A run's makespan is its latest end, read off the steps no pending step waits
 * for (every other step ends no later than one that waits for it). The same arithmetic as
 * {@link sampleAsDrawn}: the same makespans to the bit.
 */
function sampleByStep(pass: Pass, z: Float64Array, problem: Problem): Float64Array {
  const { n, samples, fixedStart, releaseMs, median, sigma, floor, needs } = pass;
  const { start, at } = needs;
  const last = lastSampling(n, samples);
  const { ends, durations, medians, sigmas, changed } = last;
  // Ends are kept for the same problem only: another has other needs, started steps or now.
  const sameProblem = last.problem === problem;
  last.problem = problem;
  for (let i = 0; i < n; i++) {
    const row = i * samples;
    const drawn = medians[i] === median[i] && sigmas[i] === sigma[i];
    let moved = !(sameProblem && drawn);
    for (let k = start[i]!, stop = start[i + 1]!; k < stop && !moved; k++) {
      moved = changed[at[k]!] === 1;
    }
    changed[i] = moved ? 1 : 0;
    if (!moved) continue;
    const spread = sigma[i]! > 0;
    if (!drawn) {
      medians[i] = median[i]!;
      sigmas[i] = sigma[i]!;
      if (spread) {
        const middle = median[i]!;
        const scale = sigma[i]!;
        for (let s = 0; s < samples; s++) {
          durations[row + s] = middle * Math.exp(scale * z[s * n + i]!);
        }
      }
    }
    const fixed = fixedStart[i]!;
    const pending = Number.isNaN(fixed);
    const first = start[i]!;
    const stop = pending ? start[i + 1]! : first;
    const least = floor[i]!;
    for (let s = 0; s < samples; s++) {
      let begin = pending ? releaseMs : fixed;
      for (let k = first; k < stop; k++) {
        const after = ends[at[k]! * samples + s]!;
        if (after > begin) begin = after;
      }
      const duration = spread ? durations[row + s]! : median[i]!;
      ends[row + s] = begin + Math.max(duration, least);
    }
  }
  const out = new Float64Array(samples);
  const ending = lastEnding(needs, fixedStart, n);
  for (let j = 0; j < ending.length; j++) {
    const row = ending[j]! * samples;
    for (let s = 0; s < samples; s++) {
      const finish = ends[row + s]!;
      if (finish > out[s]!) out[s] = finish;
    }
  }
  return out;
}

/**
 * What the last kept sampling worked out, a row per step: each step's sampled durations (for
 * the median and σ beside them) and its ends in every run (for `problem`), and whether the step
 * changed in that sampling. One for the process, as big as the largest kept sampling (at most
 * {@link keptDraws} numbers each), reset for another count of steps or runs.
 */
interface LastSampling {
  problem: Problem | undefined;
  readonly steps: number;
  readonly samples: number;
  readonly ends: Float64Array;
  readonly durations: Float64Array;
  readonly medians: Float64Array;
  readonly sigmas: Float64Array;
  readonly changed: Uint8Array;
}

let last: LastSampling | undefined;

function lastSampling(steps: number, samples: number): LastSampling {
  if (last?.steps === steps && last.samples === samples) return last;
  const size = steps * samples;
  const big = last !== undefined && last.ends.length >= size;
  last = {
    problem: undefined,
    steps,
    samples,
    ends: big ? last!.ends : new Float64Array(size),
    durations: big ? last!.durations : new Float64Array(size),
    medians: new Float64Array(steps).fill(Number.NaN),
    sigmas: new Float64Array(steps).fill(Number.NaN),
    changed: new Uint8Array(steps),
  };
  return last;
}

/**
 * The steps whose ends may be a run's latest: those no pending step waits for. A started step
 * keeps its start whatever its needs did (a pipelined map starts while its producer runs), so
 * what it needs may end after it.
 */
function lastEnding(needs: FlatNeeds, fixedStart: Float64Array, steps: number): Int32Array {
  const waitedFor = new Uint8Array(steps);
  for (let i = 0; i < steps; i++) {
    if (!Number.isNaN(fixedStart[i]!)) continue;
    for (let k = needs.start[i]!, stop = needs.start[i + 1]!; k < stop; k++) {
      waitedFor[needs.at[k]!] = 1;
    }
  }
  let count = 0;
  for (let i = 0; i < steps; i++) if (waitedFor[i] === 0) count++;
  const ending = new Int32Array(count);
  for (let i = 0, j = 0; i < steps; i++) if (waitedFor[i] === 0) ending[j++] = i;
  return ending;
}

/**
 * The passes a run at a time, each run's draws made just before it: for samplings with more
 * draws than are kept (a chain of some 1,300 steps and more).
 */
function sampleAsDrawn(pass: Pass): Float64Array {
  const { n, samples, fixedStart, releaseMs, median, sigma, floor } = pass;
  const { start, at } = pass.needs;
  const end = new Float64Array(n);
  const out = new Float64Array(samples);
  const normal = createNormals(seed);
  const z = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    // This run's draws, one per step: every step draws, spread or not, so that the stream
    // lines up across assignments.
    for (let i = 0; i < n; i++) z[i] = normal();
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
      const duration = sigma[i]! > 0 ? median[i]! * Math.exp(sigma[i]! * z[i]!) : median[i]!;
      const finish = begin + Math.max(duration, floor[i]!);
      end[i] = finish;
      if (finish > makespan) makespan = finish;
    }
    out[s] = makespan;
  }
  return out;
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
