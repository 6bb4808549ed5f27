import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChainDefinition, StepNode } from '../chain';
import { createRandom } from '../emulator/random';
import { catalog } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import type { ModelPool } from '../models/pool';
import type { Objective, Plan } from './plan';
import { planChain } from './plan-chain';
import { recallProblem } from './refix-problem';
import { type DoneStep, type RunningStep, replanChain } from './replan-chain';
import { scaleSpeeds } from './speed-pool';

const pool = createEmulatedPool({ profiles: Object.values(catalog) });
const models = pool.models.map((entry) => entry.id);

/** Steps needing one to three of the `reach` steps before them; some maps, some code. */
function randomChain(size: number, reach: number, random: () => number): ChainDefinition {
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const steps: StepNode[] = [];
  for (let i = 0; i < size; i++) {
    const needs = new Set<string>();
    if (i > 0)
      for (let k = between(1, 3); k > 0; k--) needs.add(`s${i - between(1, Math.min(i, reach))}`);
    const base = { id: `s${i}`, needs: [...needs] };
    const roll = random();
    if (roll < 0.1) {
      const definition = {
        kind: 'fn' as const,
        run: () => null,
        expect: { durationMs: between(5, 900) },
      };
      steps.push({ ...base, kind: 'fn', definition });
      continue;
    }
    const expect = { inputTokens: between(200, 4000), outputTokens: between(50, 1500) };
    const definition = { kind: 'llm' as const, prompt: 'x', expect };
    steps.push(
      roll < 0.25
        ? { ...base, kind: 'map', definition, concurrency: 4, expectItems: between(2, 12) }
        : { ...base, kind: 'llm', definition },
    );
  }
  return { name: `random-${size}`, input: undefined as never, steps };
}

function objectiveOf(kind: number, scale: number, chain: ChainDefinition): Objective {
  if (kind === 0) return 'latency';
  if (kind === 1) return 'cost';
  if (kind === 2) return 'balanced';
  const fast = planChain({ chain, pool, objective: 'latency' });
  if (kind === 3) return { deadlineMs: fast.durationMs * (0.9 + scale) };
  const cheap = planChain({ chain, pool, objective: 'cost' }).costUsd;
  return { budgetUsd: cheap + (fast.costUsd - cheap) * scale };
}

/** Everything a reader of a plan sees. */
function seen(plan: Plan) {
  return { json: JSON.stringify(plan), explain: plan.explain(), frontier: plan.frontier };
}

interface Case {
  readonly seed: number;
  readonly size: number;
  readonly reach: number;
  readonly kind: number;
  readonly scale: number;
  readonly events: number;
  /** Events before the first re-plan (the run follows its first plan until then). */
  readonly skip?: number;
  /**
   * Speed factors as the runtime measures them: after a step ends, now and then its model's
   * factor moves (or goes back to 1), and the chain is re-planned on the pool scaled by them.
   */
  readonly speeds?: boolean;
  /** The calendar start of the run (its price windows), when priced by the hour. */
  readonly startAt?: number;
  /** Counts the re-plans of a run priced by the hour that reused what their previous plan was planned from. */
  readonly tally?: { recalled: number };
}

/**
 * A run of the chain, event by event: a ready step starts (running on its planned model, now and
 * then on another), or a running one ends, its time and cost drifted by 0.3-3x, now moving to
 * its end. After each event (from `skip` on) the chain is planned again both ways from the same previous plan:
 * incrementally (reusing what that plan was planned from) and from scratch; the incremental
 * plan is the next previous one. Returns how many re-plans were compared.
 */
function compareRun(run: Case): number {
  const { seed, size, reach, kind, scale, events, skip = 0, speeds, startAt, tally } = run;
  // The emulator's seeded generator: the same seed, the same chain and run.
  const random = createRandom(seed).next;
  const chain = randomChain(size, reach, random);
  const objective = objectiveOf(kind, scale, chain);
  const done = new Map<string, DoneStep>();
  const running = new Map<string, RunningStep>();
  let previous = planChain({ chain, pool, objective, startAt });
  const factors = new Map<string, number>();
  let scaled: ModelPool = pool;
  let nowMs = 0;
  let compared = 0;
  for (let event = 0; event < skip + events && done.size < size; event++) {
    const ready = chain.steps.filter(
      (step) =>
        !done.has(step.id) && !running.has(step.id) && step.needs.every((id) => done.has(id)),
    );
    if (ready.length > 0 && (running.size === 0 || random() < 0.5)) {
      const step = ready[Math.floor(random() * ready.length)]!;
      const planned = previous.step(step.id)!.model;
      const model =
        planned !== undefined && random() < 0.1
          ? models[Math.floor(random() * models.length)]
          : planned;
      running.set(step.id, { startMs: nowMs, model });
    } else {
      const [id, step] = [...running][Math.floor(random() * running.size)]!;
      const predicted = previous.step(id)!.predicted;
      const drift = 0.3 + random() * 2.7;
      const endMs = step.startMs + predicted.durationMs * drift;
      running.delete(id);
      done.set(id, { ...step, endMs, costUsd: predicted.costUsd * drift });
      nowMs = Math.max(nowMs, endMs);
      if (speeds && step.model !== undefined && random() < 0.6) {
        if (random() < 0.2) factors.delete(step.model);
        else factors.set(step.model, 0.5 + random() * 1.5);
        scaled = scaleSpeeds(pool, factors);
      }
    }
    if (event < skip) continue;
    const progress = { nowMs, done: new Map(done), running: new Map(running) };
    // The incremental re-plan starts from what `previous` was planned from (until the prices
    // change under a run priced by the hour).
    const source = { chain, pool: scaled, releaseMs: nowMs, startAt };
    if (startAt === undefined) expect(recallProblem(previous, source)).toBeDefined();
    else if (recallProblem(previous, source) && tally) tally.recalled++;
    const options = { chain, pool: scaled, objective, previous, progress, startAt };
    const incremental = replanChain(options);
    const rebuilt = replanChain({ ...options, _internal: { rebuild: true } });
    expect(incremental.changes).toEqual(rebuilt.changes);
    expect(seen(incremental.plan)).toEqual(seen(rebuilt.plan));
    previous = incremental.plan;
    compared++;
  }
  return compared;
}

describe('incremental re-plans', () => {
  it('give the plan a rebuild gives, over random runs of short chains and every objective', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          size: fc.integer({ min: 2, max: 40 }),
          reach: fc.integer({ min: 1, max: 8 }),
          kind: fc.integer({ min: 0, max: 4 }),
          scale: fc.double({ min: 0, max: 1, noNaN: true }),
          events: fc.constant(24),
        }),
        (run) => {
          compared += compareRun(run);
        },
      ),
      { numRuns: 25, seed: 12 },
    );
    expect(compared).toBeGreaterThan(300);
  });

  it('give the plan a rebuild gives when models speed up and slow down as the run goes', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          size: fc.integer({ min: 2, max: 40 }),
          reach: fc.integer({ min: 1, max: 8 }),
          kind: fc.integer({ min: 0, max: 4 }),
          scale: fc.double({ min: 0, max: 1, noNaN: true }),
          events: fc.constant(24),
          speeds: fc.constant(true),
        }),
        (run) => {
          compared += compareRun(run);
        },
      ),
      { numRuns: 25, seed: 13 },
    );
    expect(compared).toBeGreaterThan(300);
  });

  it('give the plan a rebuild gives for runs that may cross a DeepSeek price change', () => {
    // Wednesday 2026-12-02: DeepSeek's peak ends at 04:00 UTC, a few seconds to a minute after
    // the start. Re-plans before the change reuse the plan's problem and price it at the starts.
    const change = Date.parse('2026-12-02T04:00:00Z');
    const tally = { recalled: 0 };
    let compared = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          size: fc.integer({ min: 2, max: 30 }),
          reach: fc.integer({ min: 1, max: 8 }),
          kind: fc.integer({ min: 0, max: 4 }),
          scale: fc.double({ min: 0, max: 1, noNaN: true }),
          events: fc.constant(16),
          startAt: fc.integer({ min: change - 60_000, max: change - 2_000 }),
        }),
        (run) => {
          compared += compareRun({ ...run, tally });
        },
      ),
      { numRuns: 20, seed: 14 },
    );
    expect(compared).toBeGreaterThan(200);
    expect(tally.recalled).toBeGreaterThan(200);
  });

  it('give the plan a rebuild gives on long chains (linear heuristics, sampled frontier)', () => {
    for (const kind of [0, 1, 2, 3, 4]) {
      // Mid-way: the first re-plan fixes some 60 steps at once, the next ones a step each.
      const run = {
        seed: 100 + kind,
        size: 200,
        reach: 10,
        kind,
        scale: 0.5,
        events: 12,
        skip: 120,
      };
      expect(compareRun(run)).toBe(12);
      expect(compareRun({ ...run, seed: 200 + kind, speeds: true })).toBe(12);
    }
  });
});
