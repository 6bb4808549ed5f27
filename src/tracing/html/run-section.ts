import { formatSeconds, formatStart, formatUsd } from '../format/figures';
import { formatCount } from '../format/text';
import { describeRunFailure } from '../format/waterfall';
import { retriesOf } from '../format/waterfall-parts';
import type { RunTrace, StepRecord } from '../records';
import { escapeHtml as e, percent } from './escape';
import { renderTotals } from './run-totals';

/** One run: header, totals, a Gantt waterfall (one `.bar` per step, details on hover), a table. */
export function renderRunSection(trace: RunTrace): string {
  const totalMs = Math.max(trace.durationMs, ...trace.steps.map((record) => record.endMs), 1);
  const critical = new Set(trace.criticalPath);
  const ordered = [...trace.steps].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const rows = ordered.map((record) =>
    renderRow(trace, record, totalMs, critical.has(record.stepId)),
  );
  return `<section class="run" id="run-${e(trace.runId)}" data-run-id="${e(trace.runId)}">
<header><h2>${e(trace.chain)}</h2><span class="status ${trace.status === 'ok' ? 'ok' : 'error'}">${trace.status === 'ok' ? 'finished' : 'failed'}</span>
<span class="meta">run ${e(trace.runId)} · ${e(formatStart(trace.startedAt))}</span></header>
${
  trace.status === 'error' && trace.error
    ? `<p class="failure">${e(describeRunFailure(trace.error))}</p>
`
    : ''
}${renderTotals(trace)}
<div class="gantt">
<div class="axis"><div></div><div class="track">${renderTicks(totalMs)}</div><div></div></div>
${rows.join('\n')}
</div>
<div class="legend"><i style="background:var(--critical);border-radius:50%"></i>critical path<i style="background:var(--fast)"></i>fast lane<i style="background:var(--cheap)"></i>cheap lane<i style="background:var(--fn)"></i>function<i style="background:var(--error)"></i>failed · the pale start of a bar is the wait for the first token</div>
${renderTable(ordered, trace)}
</section>`;
}

function renderTicks(totalMs: number): string {
  // A run's time that is no number (a trace built by hand) has no scale to mark.
  if (!Number.isFinite(totalMs)) return '';
  const raw = totalMs / 8;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? raw;
  const ticks: string[] = [];
  for (let at = 0; at <= totalMs; at += step) {
    const label =
      step < 1000 ? `${Math.round(at)} ms` : `${(at / 1000).toFixed(step % 1000 ? 1 : 0)} s`;
    ticks.push(`<span class="tick" style="left:${percent(at / totalMs)}">${e(label)}</span>`);
  }
  return ticks.join('');
}

function renderRow(
  trace: RunTrace,
  record: StepRecord,
  totalMs: number,
  critical: boolean,
): string {
  const items = trace.items[record.stepId];
  // A record can start before the run (a clock read elsewhere): its bar is cut at the axis' 0.
  const drawn = drawnSpan(record, 0, totalMs);
  const left = drawn.fromMs / totalMs;
  const width = (drawn.toMs - drawn.fromMs) / totalMs;
  const classes = [
    'bar',
    laneClass(record.lane),
    record.kind === 'map' ? 'map' : '',
    record.status === 'error' ? 'failed' : '',
    critical ? 'critical' : '',
  ];
  const inner = record.kind === 'map' ? renderItems(drawn, items ?? []) : renderWait(record, drawn);
  const label = `${record.stepId}${record.items === undefined ? '' : ` ×${record.items}`}`;
  return `<div class="row" data-step="${e(record.stepId)}"><div class="label"><span class="${critical ? 'crit' : 'nocrit'}">●</span> ${e(label)}<small>${e(record.model ?? record.kind)}</small></div>
<div class="track"><div class="${classes.filter(Boolean).join(' ')}" data-step="${e(record.stepId)}" style="left:${percent(left)};width:${percent(width)}">${inner}</div>${renderTip(record, items, critical, left)}</div>
<div class="took">${e(record.status === 'error' ? 'failed' : formatSeconds(record.durationMs))}</div></div>`;
}

/** A class from a fixed set: a lane read from a log is any string, and goes into `class`. */
function laneClass(lane: unknown): 'fast' | 'cheap' | 'fn' {
  return lane === 'fast' ? 'fast' : lane === 'cheap' ? 'cheap' : 'fn';
}

/** The part of a unit's time inside `[fromMs, toMs]`: what its bar or stripe draws. */
interface Span {
  readonly fromMs: number;
  readonly toMs: number;
}

function drawnSpan(unit: StepRecord, fromMs: number, toMs: number): Span {
  const start = Math.min(Math.max(unit.startMs, fromMs), toMs);
  return { fromMs: start, toMs: Math.max(start, Math.min(unit.startMs + unit.durationMs, toMs)) };
}

/** The pale start of a bar, `drawn` being the part of the record the bar draws. */
function renderWait(record: StepRecord, drawn: Span): string {
  if (record.kind !== 'llm' || record.timeToFirstTokenMs === undefined) return '';
  if (drawn.toMs <= drawn.fromMs) return '';
  const waitedMs = record.startMs + record.timeToFirstTokenMs - drawn.fromMs;
  return `<span class="wait" style="width:${percent(waitedMs / (drawn.toMs - drawn.fromMs))}"></span>`;
}

/** A map's items as stripes inside the part of its bar that is drawn. */
function renderItems(bar: Span, items: readonly StepRecord[]): string {
  const span = Math.max(bar.toMs - bar.fromMs, 1);
  // Items share the map bar's 20 px: one stripe each, as thick as the count allows.
  const gap = 18 / Math.max(items.length, 1);
  const height = Math.max(2, Math.floor(gap) - 1);
  return items
    .map((item, index) => {
      const drawn = drawnSpan(item, bar.fromMs, bar.toMs);
      const style = `left:${percent((drawn.fromMs - bar.fromMs) / span)};width:${percent((drawn.toMs - drawn.fromMs) / span)};top:${(1 + index * gap).toFixed(1)}px;height:${height}px`;
      return `<span class="item" style="${style}">${renderWait(item, drawn)}</span>`;
    })
    .join('');
}

function renderTip(
  record: StepRecord,
  items: readonly StepRecord[] | undefined,
  critical: boolean,
  left: number,
): string {
  const facts: [string, string | undefined][] = [
    ['kind', record.kind + (critical ? ' · critical path' : '')],
    ['model', record.model && `${record.model}${record.lane ? ` (${record.lane} lane)` : ''}`],
    ['start', formatSeconds(record.startMs)],
    ['took', formatSeconds(record.durationMs)],
    [
      'first token',
      record.timeToFirstTokenMs === undefined
        ? undefined
        : formatSeconds(record.timeToFirstTokenMs),
    ],
    ['decoding', record.decodeMs === undefined ? undefined : formatSeconds(record.decodeMs)],
    ['queued', record.queueWaitMs ? formatSeconds(record.queueWaitMs) : undefined],
    ['items', items ? String(items.length) : undefined],
    [
      'tokens in',
      formatCount(record.usage.inputTokens) +
        (record.usage.cachedInputTokens
          ? ` (${formatCount(record.usage.cachedInputTokens)} cached)`
          : ''),
    ],
    [
      'tokens out',
      formatCount(record.usage.outputTokens) +
        (record.usage.reasoningTokens
          ? ` (${formatCount(record.usage.reasoningTokens)} reasoning)`
          : ''),
    ],
    ['cost', formatUsd(record.costUsd)],
    [
      'predicted',
      record.predicted &&
        `${formatSeconds(record.predicted.durationMs)} · ${formatUsd(record.predicted.costUsd)}`,
    ],
    ['retries', retriesOf(record, items) ? String(retriesOf(record, items)) : undefined],
    ['fallbacks', record.fallbacks?.length ? record.fallbacks.join(' → ') : undefined],
    ['error', record.error],
  ];
  const list = facts
    .filter(([, value]) => value !== undefined)
    .map(([term, value]) => `<dt>${e(term)}</dt><dd>${e(value)}</dd>`);
  return `<div class="tip" style="left:${percent(Math.min(left, 0.6))}"><b>${e(record.stepId)}</b><dl>${list.join('')}</dl></div>`;
}

function renderTable(ordered: readonly StepRecord[], trace: RunTrace): string {
  const head = ['step', 'model', 'lane', 'ttft', 'took', 'in', 'out', 'cost'];
  const numeric = new Set(['ttft', 'took', 'in', 'out', 'cost']);
  const rows = ordered.map((record) => [
    record.items === undefined ? record.stepId : `${record.stepId} ×${record.items}`,
    record.model ?? '-',
    record.lane ?? '-',
    ttftOf(record, trace.items[record.stepId]),
    record.status === 'ok' ? formatSeconds(record.durationMs) : 'failed',
    formatCount(record.usage.inputTokens),
    formatCount(record.usage.outputTokens),
    formatUsd(record.costUsd),
  ]);
  rows.push([
    'total',
    '',
    '',
    '',
    formatSeconds(trace.durationMs),
    formatCount(trace.usage.inputTokens),
    formatCount(trace.usage.outputTokens),
    formatUsd(trace.costUsd),
  ]);
  const cell = (tag: string, value: string, column: number) =>
    `<${tag}${numeric.has(head[column]!) ? ' class="n"' : ''}>${e(value)}</${tag}>`;
  return `<table><thead><tr>${head.map((title, column) => cell('th', title, column)).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((value, column) => cell('td', value, column)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A step's time to first token; a map's is its items' median. */
function ttftOf(record: StepRecord, items: readonly StepRecord[] | undefined): string {
  const values = (items ?? [record]).flatMap((unit) => unit.timeToFirstTokenMs ?? []);
  if (values.length === 0) return '-';
  return formatSeconds(values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!);
}
