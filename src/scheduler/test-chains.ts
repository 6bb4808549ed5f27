/*
 * Random chains and a brute-force oracle for the solver tests and the optimality benchmark.
 * Not exported from the package: it imports fast-check, a dev dependency.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { type ChainDefinition, chain, llm, type StepNode } from '../chain';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import type { ModelPool } from '../models/pool';
import { pricesAt } from '../models/price-windows';
import type { ModelProfile } from '../models/profile';
import { findCandidates } from './candidates';
import { estimateStep, predictStep, type StepEstimate } from './predict';
import { pricePoolAt } from './price-pool';
import { toleranceMs, toleranceUsd } from './timing';

/** A random chain of up to `maxSteps` steps over a pool of up to `maxModels` random models. */
export interface RandomInstance {
  readonly chain: ChainDefinition;
  readonly pool: ModelPool;
}

/*
 * Models on a trade-off curve (the faster, the dearer, with noise), so that few are dominated and
 * the search has real choices, as between mercury-2, deepseek-flash and claude-haiku-4-5.
 */
const noise = fc.double({ min: 0.6, max: 1.6, noNaN: true });

const profileArbitrary = (id: string) =>
  fc
    .record({
      fastness: fc.double({ min: 0, max: 1, noNaN: true }),
      noise: fc.tuple(noise, noise, noise, noise),
      roundTrip: fc.integer({ min: 20, max: 200 }),
    })
    .map(
      ({ fastness, noise: [a, b, c, d], roundTrip }): ModelProfile => ({
        id,
        name: id,
        provider: 'test',
        architecture: 'autoregressive',
        pricing: {
          inputPerMTok: 0.1 * 10 ** fastness * a,
          cachedInputPerMTok: 0.01 * 10 ** fastness * a,
          outputPerMTok: 0.25 * 20 ** fastness * b,
        },
        timeToFirstTokenMs: (2000 - 1500 * fastness) * c,
        outputTokensPerSecond: 30 * 35 ** fastness * d,
        prefillTokensPerSecond: 20_000,
        roundTripMs: roundTrip,
        contextWindow: 1_000_000,
        capabilities: { structuredOutput: true, tools: true, developerRole: true },
        source: 'random test profile',
      }),
    );

const stepArbitrary = fc.record({
  kind: fc.constantFrom('llm', 'llm', 'llm', 'llm', 'map', 'fn'),
  needMask: fc.integer({ min: 0, max: 255 }),
  inputTokens: fc.integer({ min: 50, max: 4000 }),
  outputTokens: fc.integer({ min: 10, max: 2000 }),
  items: fc.integer({ min: 1, max: 10 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  fnMs: fc.integer({ min: 0, max: 3000 }),
  lane: fc.constantFrom(undefined, undefined, undefined, undefined, undefined, 'fast', 'cheap'),
});

/** Random instances: DAGs of 1 to `maxSteps` steps, each needing a random set of earlier ones. */
export function instanceArbitrary(
  maxSteps = 8,
  maxModels = 3,
  full = false,
): fc.Arbitrary<RandomInstance> {
  const models = fc
    .integer({ min: full ? maxModels : 1, max: maxModels })
    .chain((count) => fc.tuple(...[...Array(count).keys()].map((k) => profileArbitrary(`m${k}`))));
  const steps = fc.array(
    full ? stepArbitrary.map((d) => ({ ...d, lane: undefined })) : stepArbitrary,
    {
      minLength: full ? maxSteps : 1,
      maxLength: maxSteps,
    },
  );
  return fc.tuple(models, steps).map(([profiles, drawn]) => ({
    pool: createEmulatedPool({ profiles }),
    chain: {
      name: 'random',
      input: undefined as never,
      steps: drawn.map((d, i): StepNode => {
        const needs = [...Array(i).keys()].filter((k) => (d.needMask >> (i - 1 - k)) & 1);
        const ids = needs.map((k) => `s${k}`);
        if (d.kind === 'fn') {
          return {
            id: `s${i}`,
            kind: 'fn',
            needs: ids,
            definition: { kind: 'fn', run: () => null, expect: { durationMs: d.fnMs } },
          };
        }
        const definition = {
          kind: 'llm' as const,
          prompt: 'x',
          lane: d.lane as 'fast' | 'cheap' | undefined,
          expect: { inputTokens: d.inputTokens, outputTokens: d.outputTokens },
        };
        const map = d.kind === 'map' ? { concurrency: d.concurrency, expectItems: d.items } : {};
        return { id: `s${i}`, kind: d.kind as 'llm' | 'map', needs: ids, definition, ...map };
      }),
    },
  }));
}

const hourMs = 3_600_000;
// 2026-12-02 is a Wednesday; every window below runs 01:00-04:00 UTC on every day.
const midnight = Date.parse('2026-12-02T00:00:00Z');

/**
 * Random instances whose models (some of them) change price at 01:00 or 04:00 UTC, dearer or
 * cheaper, with the chain starting up to half a minute before the change (`startAt`).
 */
export function pricedInstanceArbitrary(): fc.Arbitrary<{
  instance: RandomInstance;
  startAt: number;
}> {
  return fc
    .record({
      instance: instanceArbitrary(),
      multipliers: fc.array(fc.constantFrom(undefined, 0.4, 2, 3), { minLength: 3, maxLength: 3 }),
      edge: fc.constantFrom(1, 4),
      beforeMs: fc.integer({ min: 0, max: 30_000 }),
    })
    .map(({ instance, multipliers, edge, beforeMs }) => {
      const profiles = instance.pool.models.map((entry, k): ModelProfile => {
        const multiplier = multipliers[k];
        if (multiplier === undefined) return entry.profile;
        const windows = [
          { name: 'peak', days: [0, 1, 2, 3, 4, 5, 6], fromHour: 1, toHour: 4, multiplier },
        ];
        return { ...entry.profile, pricing: { ...entry.profile.pricing, windows } };
      });
      const priced: RandomInstance = {
        chain: instance.chain,
        pool: createEmulatedPool({ profiles }),
      };
      return { instance: priced, startAt: midnight + edge * hourMs - beforeMs };
    });
}

/** One assignment's totals, found by trying every one. */
export interface BruteForceResult {
  readonly durationMs: number;
  readonly costUsd: number;
}

/**
 * Every assignment of every step to every candidate (pins respected), scored by the plain
 * longest-path recurrence: the slow, obviously right answer the solvers are checked against.
 */
export function enumeratePlans(instance: RandomInstance): BruteForceResult[] {
  const { chain, pool } = instance;
  const per = chain.steps.map((step) => {
    const estimate = estimateStep(step);
    return candidateProfiles(chain.name, step, pool, estimate).map((profile) => {
      const { durationMs, costUsd } = predictStep(step, profile, estimate);
      return { durationMs, costAt: () => costUsd };
    });
  });
  return enumerate(chain, per);
}

/**
 * {@link enumeratePlans} for a chain that starts at the instant `startAt` (Unix ms): every call
 * priced at the window in force when it starts, a map's items by the wave they run in (waves of
 * the map's concurrency, one after another). `input` sizes prompts that read it. A lane pin
 * picks its model at the prices of the start, as the planner does.
 */
export function enumeratePlansAt(
  instance: RandomInstance,
  startAt: number,
  input?: unknown,
): BruteForceResult[] {
  const { chain, pool } = instance;
  const atStart = pricePoolAt(pool, startAt).pool;
  const windowed = (id: string) => pool.models.find((entry) => entry.id === id)!.profile;
  const per = chain.steps.map((step) => {
    const estimate = estimateStep(step, input);
    return candidateProfiles(chain.name, step, atStart, estimate).map((flat) => {
      const profile = flat && windowed(flat.id);
      const { durationMs } = predictStep(step, profile, estimate);
      const items = step.kind === 'map' ? estimate.items : 1;
      const waves = step.kind === 'map' ? Math.ceil(items / (step.concurrency ?? 1)) : 1;
      // One item's calls on `profile` at the prices in force at `epochMs`.
      const itemAt = (epochMs: number) => {
        if (profile === undefined) return 0;
        const pricing = pricesAt(profile.pricing, epochMs).pricing;
        return predictStep(step, { ...profile, pricing }, estimate).costUsd / items;
      };
      // Wave w runs items w·k .. w·k + k - 1 and starts w waves after the step.
      const costAt = (startMs: number) => {
        const perWave = Math.ceil(items / waves);
        let cost = 0;
        for (let item = 0; item < items; item++) {
          const wave = Math.floor(item / perWave);
          cost += itemAt(startAt + startMs + (wave * durationMs) / waves);
        }
        return cost;
      };
      return { durationMs, costAt };
    });
  });
  return enumerate(chain, per);
}

/** The profiles a step may run on: its lane's pick, else every candidate's; none for code. */
function candidateProfiles(
  chain: string,
  step: StepNode,
  pool: ModelPool,
  estimate: StepEstimate,
): (ModelProfile | undefined)[] {
  const candidates = findCandidates(chain, step, pool, estimate);
  if (!candidates) return [undefined];
  const lane = step.definition.kind === 'llm' ? step.definition.lane : undefined;
  if (lane) return [(lane === 'fast' ? candidates.fastest : candidates.cheapest).entry.profile];
  return candidates.all.map((candidate) => candidate.entry.profile);
}

/**
 * Every assignment of the options in `per` (one list per step), each timed by the plain
 * longest-path recurrence (written apart from the solvers' own timing code) and priced by its
 * options at the times they start.
 */
function enumerate(
  chain: ChainDefinition,
  per: readonly (readonly { durationMs: number; costAt: (startMs: number) => number }[])[],
): BruteForceResult[] {
  const position = new Map(chain.steps.map((s, i) => [s.id, i]));
  const needs = chain.steps.map((s) => s.needs.map((id) => position.get(id)!));
  const results: BruteForceResult[] = [];
  const pick = new Array<number>(per.length).fill(0);
  const end = new Array<number>(per.length).fill(0);
  for (;;) {
    let cost = 0;
    let makespan = 0;
    for (let i = 0; i < per.length; i++) {
      const option = per[i]![pick[i]!]!;
      const start = Math.max(0, ...needs[i]!.map((k) => end[k]!));
      end[i] = start + option.durationMs;
      makespan = Math.max(makespan, end[i]!);
      cost += option.costAt(start);
    }
    results.push({ durationMs: makespan, costUsd: cost });
    let k = 0;
    while (k < pick.length && ++pick[k]! === per[k]!.length) pick[k++] = 0;
    if (k === pick.length) return results;
  }
}

/** The least cost by the deadline, or undefined when no assignment meets it. */
export function bestByDeadline(plans: readonly BruteForceResult[], deadlineMs: number) {
  const feasible = plans.filter((p) => p.durationMs <= deadlineMs + toleranceMs);
  return feasible.length === 0 ? undefined : Math.min(...feasible.map((p) => p.costUsd));
}

/** The least makespan within the budget, or undefined when no assignment fits it. */
export function bestByBudget(plans: readonly BruteForceResult[], budgetUsd: number) {
  const feasible = plans.filter((p) => p.costUsd <= budgetUsd + toleranceUsd);
  return feasible.length === 0 ? undefined : Math.min(...feasible.map((p) => p.durationMs));
}

/** Ten steps in a row, each reading 400 tokens and writing 500 (the worked example). */
export function tenSteps(): ChainDefinition {
  let built: { step: (...args: any[]) => any; definition: ChainDefinition } = chain('ten', {
    input: z.object({ topic: z.string() }),
  });
  for (let k = 1; k <= 10; k++) {
    built = built.step(
      `s${k}`,
      llm({ prompt: 'x', expect: { inputTokens: 400, outputTokens: 500 } }),
    );
  }
  return built.definition;
}

/*
 * The fast and cheap catalog models as hotpath's first version timed and priced them (Mercury 2
 * at its claimed 1,009 tok/s, DeepSeek Flash at the pre-August $0.14 / $0.28, no peak hours):
 * the re-planning worked examples were computed by hand on these and test the mechanics, not
 * the catalog.
 */
export const firstVersionProfiles: readonly ModelProfile[] = [
  { ...mercury2, outputTokensPerSecond: 1009 },
  {
    ...deepseekFlash,
    pricing: { inputPerMTok: 0.14, cachedInputPerMTok: 0.003, outputPerMTok: 0.28 },
  },
];
