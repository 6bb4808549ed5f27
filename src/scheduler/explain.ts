import type { Plan } from './plan';

/** Formats a duration in milliseconds as seconds (`1.23 s`). */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Formats dollars with enough digits for sub-cent LLM costs (`$0.000412`). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toFixed(6)}`;
}

/** The plan as a table with a reason per step and the baselines, at 80 columns. */
export function explainPlan(plan: Plan): string {
  const rows = plan.steps.map((step) => [
    step.items === undefined ? step.id : `${step.id} ×${step.items}`,
    step.model ?? '-',
    step.lane ?? '-',
    formatSeconds(step.predicted.startMs),
    formatSeconds(step.predicted.durationMs),
    formatUsd(step.predicted.costUsd),
  ]);
  const table = formatTable(['step', 'model', 'lane', 'start', 'takes', 'cost'], rows);
  const reasons = plan.steps.map((step) => `  ${step.id}: ${step.reason}`);
  const { allFast, allCheap } = plan.baselines;
  return [
    `plan for ${plan.chain} (${plan.objective}): ${formatSeconds(plan.makespanMs)}, ${formatUsd(plan.costUsd)}`,
    ...table,
    'why:',
    ...reasons,
    `critical path: ${plan.criticalPath.join(' → ')}`,
    `all fast: ${formatSeconds(allFast.makespanMs)}, ${formatUsd(allFast.costUsd)} · all cheap: ${formatSeconds(allCheap.makespanMs)}, ${formatUsd(allCheap.costUsd)}`,
  ].join('\n');
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
    (_, column) => rows.length > 0 && rows.every((row) => /^[$\d.-]/.test(row[column] ?? '')),
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
