import { formatTable } from '../../scheduler/explain';
import { formatSeconds, formatUsd } from '../format/figures';
import type { ChainAggregate } from './aggregate';

/**
 * Many runs of a chain: per run, per step and per model p50/p95, errors, retries, 429s and
 * fallbacks.
 */
export function formatAggregate(aggregate: ChainAggregate): string {
  const { chain, runs, failed, durationMs, costUsd } = aggregate;
  const head = `${runs} run${runs === 1 ? '' : 's'} of ${chain} (${failed} failed): p50 ${formatSeconds(durationMs.p50)} ${formatUsd(costUsd.p50)}, p95 ${formatSeconds(durationMs.p95)} ${formatUsd(costUsd.p95)}`;
  // 80 columns hold eight: the 429s and fallbacks go on a line under each table (the HTML report
  // and `--json` have them as columns).
  const steps = formatTable(
    ['step', 'runs', 'p50', 'p95', 'p50 cost', 'p95 cost', 'errors', 'retries'],
    stepRows(aggregate).map((row) => row.slice(0, 8)),
  );
  const models = formatTable(
    ['model', 'calls', 'p50', 'p95', 'p50 ttft', 'total', 'errors', 'retries'],
    modelRows(aggregate).map((row) => row.slice(0, 8)),
  );
  return [
    head,
    '',
    ...steps,
    ...incidents(aggregate.steps.map((step) => ({ name: step.stepId, ...step }))),
    '',
    ...models,
    ...incidents(aggregate.models.map((model) => ({ name: model.model, ...model }))),
    `total cost: ${formatUsd(aggregate.totalCostUsd)}`,
  ].join('\n');
}

/** `429s: plan 2 · fallbacks: plan 1, answers 3`, or nothing when there were none. */
function incidents(rows: readonly { name: string; rateLimited: number; fallbacks: number }[]) {
  const list = (pick: (row: (typeof rows)[number]) => number) =>
    rows
      .filter((row) => pick(row) > 0)
      .map((row) => `${row.name} ${pick(row)}`)
      .join(', ') || 'none';
  const rateLimited = list((row) => row.rateLimited);
  const fallbacks = list((row) => row.fallbacks);
  if (rateLimited === 'none' && fallbacks === 'none') return [];
  return [`429s: ${rateLimited} · fallbacks: ${fallbacks}`];
}

/** Per step: runs, p50/p95 duration and cost, errors, retries, 429s, fallbacks (text and HTML). */
export function stepRows(aggregate: ChainAggregate): string[][] {
  return aggregate.steps.map((step) => [
    step.stepId,
    String(step.runs),
    formatSeconds(step.durationMs.p50),
    formatSeconds(step.durationMs.p95),
    formatUsd(step.costUsd.p50),
    formatUsd(step.costUsd.p95),
    String(step.errors),
    String(step.retries),
    String(step.rateLimited),
    String(step.fallbacks),
  ]);
}

/** Per model: calls, p50/p95 duration, p50 first-token time, total cost, errors, retries, 429s, fallbacks. */
export function modelRows(aggregate: ChainAggregate): string[][] {
  return aggregate.models.map((model) => [
    model.model,
    String(model.calls),
    formatSeconds(model.durationMs.p50),
    formatSeconds(model.durationMs.p95),
    model.timeToFirstTokenMs ? formatSeconds(model.timeToFirstTokenMs.p50) : '-',
    formatUsd(model.totalCostUsd),
    String(model.errors),
    String(model.retries),
    String(model.rateLimited),
    String(model.fallbacks),
  ]);
}
