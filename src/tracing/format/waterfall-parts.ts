import { formatObjective, formatWait } from '../../scheduler/explain';
import type { RunTrace, StepRecord, UnfinishedRunTrace } from '../records';
import { percentSaved } from '../totals/baselines';
import type { Paint } from './ansi';
import { formatDuration } from './duration';
import { formatSeconds, formatUsd } from './figures';
import { fitTable } from './fit-table';
import { formatCount, joinWrapped } from './text';

/** What a waterfall draws: a run's trace, or what a run that has not ended finished. */
export type DrawnTrace = RunTrace | UnfinishedRunTrace;

/** The maps a run that has not ended was part way through: their records are what finished. */
export function partialStepsOf(trace: DrawnTrace): ReadonlySet<string> {
  return new Set(
    trace.status === 'running' || trace.status === 'interrupted' ? trace.partialSteps : [],
  );
}

/**
 * A step's time in the tables: its duration, `failed`, `cached` or `resumed` for a record read
 * back from a store (it took no time), and for a map `0.40 s, partial` or `0.40 s, 3 resumed`.
 */
export function tookOf(
  record: StepRecord,
  partial: ReadonlySet<string>,
  items: readonly StepRecord[] = [],
): string {
  if (record.status === 'error') return 'failed';
  if (record.source === 'cache') return 'cached';
  if (record.source === 'resumed') return 'resumed';
  const notes = [formatDuration(record.durationMs)];
  if (partial.has(record.stepId)) notes.push('partial');
  for (const [source, word] of [
    ['resumed', 'resumed'],
    ['cache', 'cached'],
  ] as const) {
    const count = items.filter((item) => item.source === source).length;
    if (count > 0) notes.push(`${count} ${word}`);
  }
  return notes.join(', ');
}

/** `research finished in 6.96 s for $0.001305 (7 model calls, 3,514 tokens)`, wrapped to fit. */
export function summaryLines(trace: DrawnTrace, paint: Paint, width: number): string[] {
  const tokens = trace.usage.inputTokens + trace.usage.outputTokens;
  // A deferred run's wait has its own clause: the time is the work's.
  const seconds = formatDuration(trace.durationMs - (trace.deferredMs ?? 0));
  const head = `${paint.bold(trace.chain)} ${outcomeOf(trace, paint, seconds)} for ${formatUsd(trace.costUsd)}`;
  return joinWrapped(
    '',
    [
      head,
      `(${formatCount(trace.calls)} model call${trace.calls === 1 ? '' : 's'}, ${formatCount(tokens)} tokens)`,
      ...(trace.deferredMs
        ? [`after waiting ${formatWait(trace.deferredMs)} for cheaper prices`]
        : []),
    ],
    width,
    2,
    ' ',
  );
}

/**
 * How the run ended, and when (`finished in 6.96 s`); or that it has not, and up to when what it
 * finished ran (`was interrupted: 0.65 s done`).
 */
function outcomeOf(trace: DrawnTrace, paint: Paint, seconds: string): string {
  switch (trace.status) {
    case 'ok':
      return `finished in ${seconds}`;
    case 'error':
      return `${paint.red('failed after')} ${seconds}`;
    case 'running':
      return `${paint.yellow('is running')}: ${seconds} done`;
    case 'interrupted':
      return `${paint.yellow('was interrupted')}: ${seconds} done`;
  }
}

/** The per-step table: model, lane, median time to first token, duration, tokens, cost. */
export function detailLines(trace: DrawnTrace, paint: Paint, width: number): string[] {
  const ordered = [...trace.steps].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const partial = partialStepsOf(trace);
  const rows = ordered.map((record) => {
    const items = trace.items[record.stepId];
    const ttft = items?.length
      ? median(items.flatMap((item) => item.timeToFirstTokenMs ?? []))
      : record.timeToFirstTokenMs;
    return [
      record.items === undefined ? record.stepId : `${record.stepId} ×${record.items}`,
      record.model === undefined
        ? '-'
        : record.endpoint === undefined
          ? record.model
          : `${record.model}@${record.endpoint}`,
      record.lane ?? '-',
      ttft === undefined ? '-' : formatSeconds(ttft),
      tookOf(record, partial, items),
      formatCount(record.usage.inputTokens),
      formatCount(record.usage.outputTokens),
      formatUsd(record.costUsd),
    ];
  });
  const header = ['step', 'model', 'lane', 'ttft', 'took', 'in', 'out', 'cost'];
  const [head = '', ...body] = fitTable(header, rows, width);
  return [paint.dim(head), ...body];
}

/**
 * The critical path, the plan beside the run (once it ended), waits per model, baselines, retries,
 * warnings.
 */
export function footerLines(trace: DrawnTrace, paint: Paint, width: number): string[] {
  const path = trace.criticalPath.length > 0 ? trace.criticalPath : ['-'];
  const lines = joinWrapped('critical path: ', [...path], width, 4, ' → ');
  // A run that has not ended has no plan to set beside it (its journal keeps none).
  if (trace.status === 'ok' || trace.status === 'error') {
    // A deferred run's wait is in both durations and said once, in the summary.
    const waited = trace.deferredMs ?? 0;
    lines.push(
      ...joinWrapped(
        '',
        [
          `planned: ${formatDuration(trace.plan.durationMs - waited)}, ${formatUsd(trace.plan.costUsd)} (${formatObjective(trace.plan.objective, formatDuration)})`,
          `ran: ${formatDuration(trace.durationMs - waited)}, ${formatUsd(trace.costUsd)}${waited ? ' (times after the wait)' : ''}`,
        ],
        width,
      ),
    );
  }
  const models = Object.entries(trace.models ?? {}).sort((a, b) => b[1].waitMs - a[1].waitMs);
  if (models.length > 0) {
    const parts = models.map(
      ([id, totals]) =>
        `${id} ${formatDuration(totals.waitMs)} (${formatCount(totals.calls)} call${totals.calls === 1 ? '' : 's'})`,
    );
    lines.push(...joinWrapped('waited on: ', parts, width));
  }
  lines.push(...durableLines(trace, width));
  const baselines = trace.baselines;
  if (baselines) {
    const parts = [
      `all fast ${formatUsd(baselines.allFast)}`,
      `all cheap ${formatUsd(baselines.allCheap)}`,
    ];
    const reference = baselines.reference;
    if (reference) {
      const saved = percentSaved(trace.costUsd, reference.costUsd);
      const note = saved === undefined ? '' : paint.green(` (${saved}% saved)`);
      parts.push(`${reference.model} ${formatUsd(reference.costUsd)}${note}`);
    }
    lines.push(...joinWrapped('same tokens on: ', parts, width));
  }
  const incidents = incidentsOf(trace);
  if (incidents.length > 0) lines.push(...joinWrapped('', incidents, width));
  for (const warning of trace.warnings) {
    lines.push(
      ...joinWrapped(paint.yellow(`warning (${warning.source}): `), [warning.message], width, 4),
    );
  }
  return lines;
}

/** What a run with a store read back instead of calling: `from the store: 4 cached ($0.000410 not spent)`. */
function durableLines(trace: DrawnTrace, width: number): string[] {
  const durable = trace.durable;
  if (!durable || durable.resumed + durable.cached === 0) return [];
  const parts = [`${formatCount(durable.called)} called`];
  if (durable.resumed > 0)
    parts.push(
      `${formatCount(durable.resumed)} resumed (${formatUsd(durable.resumedCostUsd)} paid before)`,
    );
  if (durable.cached > 0)
    parts.push(
      `${formatCount(durable.cached)} cached (${formatUsd(durable.cachedCostUsd)} not spent)`,
    );
  return joinWrapped('from the store: ', parts, width);
}

/** Calls tried again within a step (its items', for a map). */
export function retriesOf(record: StepRecord, items: readonly StepRecord[] | undefined): number {
  const own = (unit: StepRecord) => unit.retries ?? Math.max(0, unit.attempt - 1);
  return record.kind === 'map'
    ? (items ?? []).reduce((sum, item) => sum + own(item), 0)
    : own(record);
}

function incidentsOf(trace: DrawnTrace): string[] {
  const incidents: string[] = [];
  for (const record of trace.steps) {
    const units = record.kind === 'map' ? (trace.items[record.stepId] ?? []) : [record];
    const retries = retriesOf(record, trace.items[record.stepId]);
    if (retries > 0) incidents.push(`${record.stepId} retried ×${retries}`);
    for (const unit of units) {
      const where = unit.item === undefined ? unit.stepId : `${unit.stepId}[${unit.item}]`;
      const at = unit.endpoint === undefined ? unit.model : `${unit.model} @ ${unit.endpoint}`;
      if (unit.fallbacks?.length)
        incidents.push(`${where} fell back ${[...unit.fallbacks, at].join(' → ')}`);
      if (unit.hedge) {
        const { model, endpoint, won } = unit.hedge;
        const on = endpoint === undefined ? model : `${model} @ ${endpoint}`;
        incidents.push(`${where} hedged on ${on} (${won ? 'won' : 'lost'})`);
      }
      if (unit.status === 'error' && unit.error) incidents.push(`${where} failed: ${unit.error}`);
    }
  }
  return incidents;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
