import { formatSeconds, formatTable, formatUsd } from '../../scheduler/explain';
import type { ChainAggregate } from './aggregate';

/** Many runs of a chain at 80 columns: per run, per step and per model p50/p95, errors, retries. */
export function formatAggregate(aggregate: ChainAggregate): string {
  const { chain, runs, failed, wallMs, costUsd } = aggregate;
  const head = `${runs} run${runs === 1 ? '' : 's'} of ${chain} (${failed} failed): p50 ${formatSeconds(wallMs.p50)} ${formatUsd(costUsd.p50)}, p95 ${formatSeconds(wallMs.p95)} ${formatUsd(costUsd.p95)}`;
  const steps = formatTable(
    ['step', 'runs', 'p50', 'p95', 'p50 cost', 'p95 cost', 'errors', 'retries'],
    stepRows(aggregate),
  );
  const models = formatTable(
    ['model', 'calls', 'p50', 'p95', 'p50 ttft', 'total', 'errors', 'retries'],
    modelRows(aggregate),
  );
  return [
    head,
    '',
    ...steps,
    '',
    ...models,
    `total cost: ${formatUsd(aggregate.totalCostUsd)}`,
  ].join('\n');
}

/** Per step: runs, p50/p95 duration and cost, errors, retries (for the text and HTML views). */
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
  ]);
}

/** Per model: calls, p50/p95 duration, p50 time to first token, total cost, errors, retries. */
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
  ]);
}
