import { formatObjective, formatSeconds, formatTable, formatUsd } from '../scheduler/explain';
import type { RunTrace, StepRecord } from './records';

/**
 * A run's summary at 80 columns: per step the model, lane, time to first token, duration,
 * tokens and cost; per chain the wall time, total cost, critical path and the plan's prediction.
 */
export function formatTrace(trace: RunTrace): string {
  const rows = trace.steps.map((record) => row(record, trace.items[record.stepId]));
  const totals = `${trace.chain} ${trace.status === 'ok' ? 'finished' : 'failed'} in ${formatSeconds(trace.wallMs)} for ${formatUsd(trace.costUsd)} (${trace.calls} model calls, ${trace.usage.inputTokens} in / ${trace.usage.outputTokens} out tokens)`;
  const lines = [
    totals,
    ...formatTable(['step', 'model', 'lane', 'ttft', 'took', 'in', 'out', 'cost'], rows),
    `critical path: ${trace.criticalPath.join(' → ') || '-'}`,
    `planned: ${formatSeconds(trace.plan.makespanMs)}, ${formatUsd(trace.plan.costUsd)} (${formatObjective(trace.plan.objective)})`,
  ];
  for (const warning of trace.warnings)
    lines.push(`warning (${warning.source}): ${warning.message}`);
  return lines.join('\n');
}

function row(record: StepRecord, items: readonly StepRecord[] | undefined): string[] {
  const ttft = items?.length
    ? median(items.flatMap((item) => item.timeToFirstTokenMs ?? []))
    : record.timeToFirstTokenMs;
  return [
    record.items === undefined ? record.stepId : `${record.stepId} ×${record.items}`,
    record.model ?? '-',
    record.lane ?? '-',
    ttft === undefined ? '-' : formatSeconds(ttft),
    record.status === 'ok' ? formatSeconds(record.durationMs) : 'failed',
    String(record.usage.inputTokens),
    String(record.usage.outputTokens),
    formatUsd(record.costUsd),
  ];
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
