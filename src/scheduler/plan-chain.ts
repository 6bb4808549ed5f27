import type { ChainDefinition, Lane, StepNode } from '../chain';
import type { ModelPool } from '../models/pool';
import { type Candidate, findCandidates, type StepCandidates } from './candidates';
import { computeSchedule, type Schedule } from './critical-path';
import { explainPlan } from './explain';
import type { Objective, Plan, PlannedStep, PlanTotals } from './plan';
import { estimateStep, predictStep, type StepEstimate } from './predict';

/** What {@link planChain} needs. */
export interface PlanChainOptions {
  readonly chain: ChainDefinition;
  readonly pool: ModelPool;
  /** @default 'balanced' */
  readonly objective?: Objective;
  /** The chain input, when known: it sizes prompts that depend only on the input. */
  readonly input?: unknown;
}

interface StepInfo {
  readonly step: StepNode;
  readonly estimate: StepEstimate;
  readonly candidates: StepCandidates | undefined;
}

type Assignment = Map<string, Candidate | undefined>;

/** Slack differences below this (ms) count as none. */
const toleranceMs = 1e-6;

/**
 * Gives every step of a chain a model. `balanced`: the critical path on the fastest candidate,
 * map items and steps whose slack absorbs the slower model on the cheapest. `latency`: fastest
 * everywhere. `cost`: cheapest everywhere. Pure: no I/O, no clock.
 */
export function planChain({ chain, pool, objective = 'balanced', input }: PlanChainOptions): Plan {
  const infos = new Map<string, StepInfo>();
  for (const step of chain.steps) {
    const estimate = estimateStep(step, input);
    infos.set(step.id, {
      step,
      estimate,
      candidates: findCandidates(chain.name, step, pool, estimate),
    });
  }
  const uniform = (pick: (c: StepCandidates) => Candidate): Assignment =>
    new Map([...infos].map(([id, info]) => [id, info.candidates && pick(info.candidates)]));
  const allFast = uniform((c) => c.fastest);
  const allCheap = uniform((c) => c.cheapest);

  const reasons = new Map<string, string>();
  const assignment =
    objective === 'latency'
      ? pinLanes(infos, allFast, reasons, 'latency objective: the fastest candidate')
      : objective === 'cost'
        ? pinLanes(infos, allCheap, reasons, 'cost objective: the cheapest candidate')
        : balance(infos, allFast, reasons);

  const schedule = scheduleOf(infos, assignment);
  const steps = chain.steps.map((step) =>
    plannedStep(infos.get(step.id)!, assignment.get(step.id), schedule, reasons.get(step.id)),
  );
  const plan: Plan = {
    chain: chain.name,
    objective,
    steps,
    makespanMs: schedule.makespanMs,
    costUsd: totalCost(infos, assignment),
    criticalPath: schedule.criticalPath,
    baselines: { allFast: totalsOf(infos, allFast), allCheap: totalsOf(infos, allCheap) },
    step: (id) => steps.find((planned) => planned.id === id),
    explain: () => explainPlan(plan),
  };
  return plan;
}

function balance(
  infos: Map<string, StepInfo>,
  allFast: Assignment,
  reasons: Map<string, string>,
): Assignment {
  const assignment = pinLanes(infos, allFast, reasons);
  for (const [id, info] of infos) {
    if (info.step.kind === 'map' && info.candidates && !reasons.has(id)) {
      assignment.set(id, info.candidates.cheapest);
      reasons.set(
        id,
        `fan-out of ~${info.estimate.items} items: batch work goes to the cheapest model`,
      );
    }
  }
  const makespan = scheduleOf(infos, assignment).makespanMs;
  const open = [...infos.values()]
    .filter((info) => info.candidates && !reasons.has(info.step.id))
    .filter((info) => info.candidates!.cheapest !== info.candidates!.fastest)
    .sort((a, b) => saving(b) - saving(a));
  for (const info of open) {
    const { cheapest, fastest } = info.candidates!;
    const before = scheduleOf(infos, assignment);
    assignment.set(info.step.id, cheapest);
    if (scheduleOf(infos, assignment).makespanMs <= makespan + toleranceMs) {
      const slack = before.slackMs.get(info.step.id)!;
      reasons.set(info.step.id, `${seconds(slack)} of slack covers ${cheapest.entry.id}`);
    } else {
      assignment.set(info.step.id, fastest);
      const slack = before.slackMs.get(info.step.id)!;
      reasons.set(
        info.step.id,
        slack <= toleranceMs
          ? 'on the critical path'
          : `${seconds(slack)} of slack is less than ${cheapest.entry.id} would add`,
      );
    }
  }
  return assignment;
}

/** Applies lane pins; unpinned steps keep `base` (and get `reason` when one is given). */
function pinLanes(
  infos: Map<string, StepInfo>,
  base: Assignment,
  reasons: Map<string, string>,
  reason?: string,
): Assignment {
  const assignment: Assignment = new Map(base);
  for (const [id, info] of infos) {
    const lane: Lane | undefined =
      info.step.definition.kind === 'llm' ? info.step.definition.lane : undefined;
    if (!info.candidates) continue;
    if (lane) {
      assignment.set(id, lane === 'fast' ? info.candidates.fastest : info.candidates.cheapest);
      reasons.set(id, `pinned to the ${lane} lane`);
    } else if (info.candidates.fastest === info.candidates.cheapest) {
      reasons.set(
        id,
        `${info.candidates.fastest.entry.id} is both the fastest and the cheapest candidate`,
      );
    } else if (reason) {
      reasons.set(id, reason);
    }
  }
  return assignment;
}

function saving(info: StepInfo): number {
  const { cheapest, fastest } = info.candidates!;
  return (fastest.call.costUsd - cheapest.call.costUsd) * info.estimate.items;
}

function scheduleOf(infos: Map<string, StepInfo>, assignment: Assignment): Schedule {
  return computeSchedule(
    [...infos.values()].map((info) => info.step),
    (step) => {
      const info = infos.get(step.id)!;
      return predictStep(step, assignment.get(step.id)?.entry.profile, info.estimate).durationMs;
    },
  );
}

function totalCost(infos: Map<string, StepInfo>, assignment: Assignment): number {
  let total = 0;
  for (const [id, info] of infos) {
    total += predictStep(info.step, assignment.get(id)?.entry.profile, info.estimate).costUsd;
  }
  return total;
}

function totalsOf(infos: Map<string, StepInfo>, assignment: Assignment): PlanTotals {
  return {
    makespanMs: scheduleOf(infos, assignment).makespanMs,
    costUsd: totalCost(infos, assignment),
  };
}

function plannedStep(
  info: StepInfo,
  candidate: Candidate | undefined,
  schedule: Schedule,
  reason: string | undefined,
): PlannedStep {
  const { step, estimate, candidates } = info;
  const prediction = predictStep(step, candidate?.entry.profile, estimate);
  const slackMs = schedule.slackMs.get(step.id)!;
  const lane =
    candidate === undefined ? undefined : candidate === candidates?.fastest ? 'fast' : 'cheap';
  return {
    id: step.id,
    kind: step.kind,
    model: candidate?.entry.id,
    lane,
    items: step.kind === 'map' ? estimate.items : undefined,
    predicted: {
      startMs: schedule.startMs.get(step.id)!,
      endMs: schedule.endMs.get(step.id)!,
      durationMs: prediction.durationMs,
      costUsd: prediction.costUsd,
      inputTokens: estimate.inputTokens,
      outputTokens: estimate.outputTokens,
    },
    slackMs,
    critical: slackMs === 0,
    reason: reason ?? (candidate === undefined ? 'plain code: no model' : 'on the critical path'),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
