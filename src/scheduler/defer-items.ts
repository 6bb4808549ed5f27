import type { ModelPool } from '../models/pool';
import { hasPriceWindows, pricesAt } from '../models/price-windows';
import type { ItemDeferral } from './plan';
import { firstPriceChange, itemPricing } from './price-at-start';
import { buildProblem, optionFrontier, type Problem, type StepOption } from './problem';
import { computeSlack, computeTimes, createTiming, toleranceMs } from './timing';

/** A map step's option with its items split at a window change, and what it saves. */
interface Split {
  readonly option: StepOption;
  readonly deferral?: ItemDeferral;
  readonly costUsd: number;
}

/** Holding items back must save at least this share of the plan's cost to be worth a wait. */
const minSavingShare = 0.01;

/** The most price-window changes after a step's start that are tried for its items. */
const maxChanges = 6;

/**
 * Steps under a deadline that may start later, in a cheaper price window (DeepSeek's off-peak
 * hours), while they still end in time for the deadline: for each pending model step, in order,
 * every option of the step is tried with its last items held until one of the next window
 * changes (a map: as many items as still end by the step's latest end, from the deadline's
 * backward pass, the rest starting at once; any other step: the whole step, its one unit). The
 * cheapest way wins when it saves at least 1% of the plan's cost. The step's option becomes the
 * held one, so the steps after it are timed from its new end.
 *
 * The solver priced every call at the chain's start: a map's items held past a change are priced
 * here at the window they start in, each item one call (`calls` rounds for an agent).
 *
 * @returns the problem and choice with the held steps, and the deferral of each; `undefined`
 * when no step gains.
 */
export function deferIntoCheaperWindows(
  problem: Problem,
  choice: Int32Array,
  deadlineMs: number,
  startAt: number,
  pool: ModelPool,
  planCostUsd: number,
):
  | { problem: Problem; choice: Int32Array; deferrals: ReadonlyMap<string, ItemDeferral> }
  | undefined {
  const deferrals = new Map<string, ItemDeferral>();
  const alternatives = leftOutOptions(problem, pool);
  let options = problem.options;
  let current = problem;
  let picked = choice;
  // Timed once, and again only after a step was held (the steps after it move).
  const timing = createTiming(current);
  const retime = () => {
    computeTimes(current, picked, timing);
    computeSlack(current, timing, deadlineMs);
  };
  retime();
  for (let i = 0; i < problem.infos.length; i++) {
    const info = problem.infos[i]!;
    if (info.fixed || info.step.definition.kind !== 'llm') continue;
    if (info.step.pipeline !== undefined) continue;
    const startMs = timing.start[i]!;
    const latestEndMs = timing.latestEnd[i]!;
    // No price changes before the step's latest end: nothing to wait for.
    if (firstPriceChange(pool, startAt + startMs) >= startAt + latestEndMs) continue;
    const chosen = current.options[i]![picked[i]!]!;
    let best: Split = { option: chosen, costUsd: chosen.costUsd };
    for (const option of [...problem.options[i]!, ...alternatives(i)]) {
      const split = splitAtChange(current, i, option, startMs, latestEndMs, startAt, pool);
      if (split !== undefined && split.costUsd < best.costUsd) best = split;
    }
    if (best.deferral === undefined) continue;
    if (chosen.costUsd - best.costUsd < minSavingShare * planCostUsd) continue;
    deferrals.set(info.step.id, { ...best.deferral, savedUsd: chosen.costUsd - best.costUsd });
    // The split joins the step's options where its time puts it: the reasons still compare.
    const kept = optionFrontier([...current.options[i]!, best.option]);
    const next = options.slice();
    next[i] = kept;
    options = next;
    const unpinned = current.unpinned.slice();
    unpinned[i] = kept;
    current = { ...current, options, unpinned };
    picked = Int32Array.from(picked);
    picked[i] = kept.indexOf(best.option);
    retime();
  }
  return deferrals.size === 0 ? undefined : { problem: current, choice: picked, deferrals };
}

/**
 * `option` for map step `i` with its last items held until the price change that saves the most,
 * when one inside the step's latest end saves anything; else `option` as it is when it ends in
 * time, else nothing.
 */
function splitAtChange(
  problem: Problem,
  i: number,
  option: StepOption,
  startMs: number,
  latestEndMs: number,
  startAt: number,
  pool: ModelPool,
): Split | undefined {
  const asIs: Split | undefined =
    startMs + option.durationMs <= latestEndMs + toleranceMs
      ? { option, costUsd: option.costUsd }
      : undefined;
  const priced = itemPricing(problem, i, option, pool);
  if (priced === undefined) return asIs;
  const { pricing, itemAt } = priced;
  const items = problem.infos[i]!.estimate.items;
  const itemMs = option.itemMs ?? option.durationMs;
  if (items < 1 || !(itemMs > 0)) return asIs;
  const waves = Math.max(1, Math.round(option.durationMs / itemMs));
  const concurrency = Math.max(1, Math.ceil(items / waves));
  // The option's cost is every item at the prices of the chain's start, as the solver saw it.
  const itemNowUsd = option.costUsd / items;
  let best = asIs;
  let at = startAt + startMs;
  for (let tried = 0; tried < maxChanges; tried++) {
    at = pricesAt(pricing, at).untilMs;
    const changeMs = at - startAt;
    if (!Number.isFinite(at) || changeMs >= latestEndMs) break;
    const itemLaterUsd = itemAt(at);
    if (itemLaterUsd >= itemNowUsd) continue;
    // The most items that start at the change and still end in time: whole waves, counted down.
    for (let tail = Math.ceil(items / concurrency); tail >= 1; tail--) {
      const held = Math.min(items, tail * concurrency);
      const headEndMs = startMs + Math.ceil((items - held) / concurrency) * itemMs;
      const endMs = Math.max(changeMs, headEndMs) + tail * itemMs;
      if (endMs > latestEndMs + toleranceMs) continue;
      const costUsd = (items - held) * itemNowUsd + held * itemLaterUsd;
      if (best === undefined || costUsd < best.costUsd) {
        best = {
          option: { ...option, durationMs: endMs - startMs, costUsd },
          deferral: { items: held, startsAt: at, startMs: changeMs, savedUsd: 0 },
          costUsd,
        };
      }
      break;
    }
  }
  return best;
}

/**
 * Per step, the options of the candidates with price windows the solver left out (ones that no
 * other beat at the chain's start did not), which a later window may make the cheapest
 * (DeepSeek, dominated by Mercury 2 at peak). Each such model is predicted for every step at
 * once, by one problem with the steps pinned to it, made when a step first asks.
 */
function leftOutOptions(problem: Problem, pool: ModelPool): (i: number) => StepOption[] {
  const pinnedTo = new Map<string, Problem>();
  const predicted = (id: string) => {
    let found = pinnedTo.get(id);
    if (found === undefined) {
      const pinned: Record<string, string> = { ...problem.source.pinned };
      for (const info of problem.infos) {
        if (info.candidates?.all.some((candidate) => candidate.entry.id === id))
          pinned[info.step.id] = id;
      }
      found = buildProblem({ ...problem.source, pinned });
      pinnedTo.set(id, found);
    }
    return found;
  };
  return (i) => {
    const out: StepOption[] = [];
    for (const candidate of problem.infos[i]!.candidates?.all ?? []) {
      const id = candidate.entry.id;
      if (problem.options[i]!.some((option) => option.model === id)) continue;
      if (!hasPriceWindows(pool.get(id).profile.pricing)) continue;
      const option = predicted(id).options[i]![0]!;
      if (option.model === id) out.push(option);
    }
    return out;
  };
}
