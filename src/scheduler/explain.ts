import { formatChange } from '../models/price-windows';
import type { Objective, Plan } from './plan';
import { explainEndpoints } from './plan-endpoints';
import { hasLearnedSpreads } from './spread';

/** The width `plan.explain()` keeps to. */
const columns = 80;

/**
 * What a figure that is not a finite number (a trace built by hand, a field a log lacked) reads
 * as in plans, the waterfall and the HTML report: a sign that it is unknown, never `NaN`, and
 * never a guess such as `$0`.
 */
export const unknownFigure = '?';

/** Formats a duration in milliseconds as seconds (`1.23 s`); one that is not finite is `? s`. */
export function formatSeconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : `${unknownFigure} s`;
}

/**
 * Formats dollars with enough digits for sub-cent LLM costs (`$0.000412`). Zero is `$0`, and no
 * other amount ever reads as zero: one that would round to `$0.000000` is `<$0.000001`. From
 * a dollar up (after rounding to six digits, so `0.9999996` is `$1.00`, not `$1.000000`) it is
 * cents with thousands separators (`$12,345.68`); a negative amount has its sign first
 * (`-$0.250000`). An amount that is not finite is `$?`.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return `$${unknownFigure}`;
  if (usd === 0) return '$0';
  if (usd < 0) return `-${formatUsd(-usd)}`;
  const micro = usd.toFixed(6);
  if (Number(micro) === 0) return '<$0.000001';
  if (Number(micro) < 1) return `$${micro}`;
  return `$${usd.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/**
 * An objective in words: `balanced`, `deadline 8.00 s`, `budget $0.002000`; `formatDuration`
 * writes the deadline (the waterfall writes hours as `12 h 00 min`).
 */
export function formatObjective(
  objective: Objective,
  formatDuration: (ms: number) => string = formatSeconds,
): string {
  if (typeof objective === 'string') return objective;
  if ('deadlineMs' in objective) {
    const at =
      objective.confidence === undefined ? '' : ` at ${percentOf(objective.confidence)} confidence`;
    return `deadline ${formatDuration(objective.deadlineMs)}${at}`;
  }
  return `budget ${formatUsd(objective.budgetUsd)}`;
}

/**
 * The plan as a table (model, predicted start and end, slack, cost per step), a reason per step,
 * the critical path, and the all-fast and all-cheap plans beside it, at 80 columns.
 */
export function explainPlan(plan: Plan): string {
  const rows = plan.steps.map((step) => [
    step.items === undefined ? step.stepId : `${step.stepId} ×${step.items}`,
    step.model ?? '-',
    step.state === 'pending' ? (step.lane ?? '-') : step.state,
    formatSeconds(step.predicted.startMs),
    formatSeconds(step.predicted.endMs),
    formatSeconds(step.slackMs),
    formatUsd(step.predicted.costUsd),
  ]);
  const table = formatTable(['step', 'model', 'lane', 'start', 'end', 'slack', 'cost'], rows);
  const { allFast, allCheap } = plan.baselines;
  const now = plan.nowMs > 0 ? ` at ${formatSeconds(plan.nowMs)}` : '';
  return [
    `plan for ${plan.chain} (${formatObjective(plan.objective)}, ${plan.solver})${now}: ${formatSeconds(plan.durationMs)}, ${formatUsd(plan.costUsd)}`,
    ...plan.warnings.map((warning) => `warning: ${warning}`),
    ...spreadLine(plan),
    ...streamedLine(plan),
    ...deferredLine(plan),
    ...deferredItemLines(plan),
    ...table,
    'why:',
    ...plan.steps.map((step) => `  ${step.stepId}: ${step.reason}`),
    `critical path: ${plan.criticalPath.join(' → ')}`,
    ...explainPriceWindows(plan),
    ...explainEndpoints(plan.endpoints),
    explainFrontier(plan),
    `all fast: ${formatSeconds(allFast.durationMs)}, ${formatUsd(allFast.costUsd)} · all cheap: ${formatSeconds(allCheap.durationMs)}, ${formatUsd(allCheap.costUsd)}`,
  ]
    .flatMap((line) => wrap(line, columns))
    .join('\n');
}

/** `prices: deepseek-flash peak until 04:00 UTC`, when the plan priced by the clock. */
function explainPriceWindows(plan: Plan): string[] {
  if (plan.priceWindows.length === 0) return [];
  // Models in the same window until the same time share one entry.
  const groups = new Map<string, string[]>();
  for (const w of plan.priceWindows) {
    const key = `${w.window} until ${formatChange(w.atMs, w.untilMs)}`;
    groups.set(key, [...(groups.get(key) ?? []), w.model]);
  }
  const parts = [...groups].map(([key, ids]) => `${ids.join(', ')} ${key}`);
  return [`prices: ${parts.join('; ')}`];
}

/** `frontier: 2.79 s $0.002201 · [6.60 s $0.001307] · 17.25 s $0.000888`, this plan in brackets. */
function explainFrontier(plan: Plan): string {
  const points = plan.frontier;
  const same = (p: { durationMs: number; costUsd: number }) =>
    Math.abs(p.durationMs - plan.durationMs) < 1e-6 && Math.abs(p.costUsd - plan.costUsd) < 1e-12;
  const at = points.findIndex(same);
  // Far from the plan, the ends are enough: the fastest, the cheapest, and the plan's neighbours.
  const shown = points.filter(
    (_, i) => points.length <= 6 || i === 0 || i === points.length - 1 || Math.abs(i - at) <= 1,
  );
  const cells = shown.map((p) => {
    const cell = `${formatSeconds(p.durationMs)} ${formatUsd(p.costUsd)}`;
    return same(p) ? `[${cell}]` : cell;
  });
  const where = at < 0 ? ' (this plan is off it)' : '';
  return `frontier (${points.length} points${where}): ${cells.join(' · ')}`;
}

/** Breaks a line at spaces (or mid-word when it must) so that no part is wider than `width`. */
function wrap(line: string, width: number): string[] {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 4 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = `    ${rest.slice(cut).trimStart()}`;
  }
  lines.push(rest);
  return lines;
}

/** Left-aligned columns separated by two spaces; numbers right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = header.map(
    (_, column) => rows.length > 0 && rows.every((row) => /^[<$\d.-]/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `deferred: starts in 7 h 00 min, at 10:00 UTC, ...`, when the plan waits for cheaper prices. */
function deferredLine(plan: Plan): string[] {
  const deferred = plan.deferred;
  if (deferred === undefined) return [];
  const from = deferred.startsAt - deferred.delayMs;
  const share = deferred.savedUsd / deferred.immediateCostUsd;
  return [
    `deferred: starts in ${formatWait(deferred.delayMs)}, at ${formatChange(from, deferred.startsAt)}, when prices drop; saves ${formatUsd(deferred.savedUsd)} (${(share * 100).toFixed(0)}%) against ${formatUsd(deferred.immediateCostUsd)} starting now, and still meets the deadline`,
  ];
}

/** `deferred: 8,550 of 10,000 items of \`extract\` wait until 04:00 UTC, ...` per map so planned. */
function deferredItemLines(plan: Plan): string[] {
  return plan.steps.flatMap((step) => {
    const deferred = step.deferred;
    if (deferred === undefined) return [];
    const share = deferred.savedUsd / (step.predicted.costUsd + deferred.savedUsd);
    const items = step.items ?? deferred.items;
    const which =
      step.kind !== 'map'
        ? `\`${step.stepId}\` waits`
        : deferred.items >= items
          ? `all ${items.toLocaleString('en-US')} items of \`${step.stepId}\` wait`
          : `${deferred.items.toLocaleString('en-US')} of ${items.toLocaleString('en-US')} items of \`${step.stepId}\` wait`;
    return [
      `deferred: ${which} until ${formatChange(deferred.startsAt - deferred.startMs, deferred.startsAt)} (${formatWait(deferred.startMs)} after the start), when prices drop; saves ${formatUsd(deferred.savedUsd)} (${(share * 100).toFixed(0)}%) against starting ${step.kind === 'map' ? 'them' : 'it'} at once, and the step still ends in time for the deadline`,
    ];
  });
}

/** `7 h 05 min`, `42 min`, `30 s`. */
export function formatWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  const hours = Math.floor(minutes / 60);
  const rest = String(minutes % 60).padStart(2, '0');
  return hours === 0 ? `${minutes} min` : `${hours} h ${rest} min`;
}

/** For a streamed run: what the objective applied to. */
function streamedLine(plan: Plan): string[] {
  if (plan.answer === undefined) return [];
  const { stepId, readingTokensPerSecond, firstTokenMs } = plan.answer;
  return [
    `streamed: the objective applies to the first token of \`${stepId}\`, predicted at ${formatSeconds(firstTokenMs)}; its model must decode at ${readingTokensPerSecond} tokens/s or more (the reading rate)`,
  ];
}

/** `90%`, `99.5%`. */
function percentOf(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/**
 * `makespan p50 12.40 s, p90 15.10 s, p99 18.00 s (sampled); deadline 16.00 s met with 90%
 * confidence (in 93% of sampled runs)`: for a confidence plan, and for any plan whose models
 * have measured spreads (the sampling runs here, on first read, not when the plan is made).
 */
function spreadLine(plan: Plan): string[] {
  const report = plan.confidence;
  if (report === undefined && !hasLearnedSpreads(plan)) return [];
  const { p50, p90, p99 } = plan.durationPercentiles;
  const spread = `makespan p50 ${formatSeconds(p50)}, p90 ${formatSeconds(p90)}, p99 ${formatSeconds(p99)} (sampled)`;
  const objective = plan.objective;
  if (report === undefined || typeof objective !== 'object' || !('deadlineMs' in objective))
    return [spread];
  const deadline = formatSeconds(objective.deadlineMs);
  const met = report.durationMs <= objective.deadlineMs + 1e-6;
  const verdict = met
    ? `deadline ${deadline} met with ${percentOf(report.confidence)} confidence`
    : `deadline ${deadline} not met with ${percentOf(report.confidence)} confidence`;
  const tightened =
    report.plannedDeadlineMs < objective.deadlineMs - 1e-6
      ? `; medians planned to ${formatSeconds(report.plannedDeadlineMs)}`
      : '';
  return [`${spread}; ${verdict} (in ${percentOf(report.likelihood)} of sampled runs${tightened})`];
}
