import { formatObjective } from '../../scheduler/explain';
import { formatSeconds, formatUsd } from '../format/figures';
import { formatCount } from '../format/text';
import type { RunTrace } from '../records';
import { percentSaved } from '../totals/baselines';
import { escapeHtml as e } from './escape';

/** A totals card: its label, its value as text, and markup of our own to set after it. */
type Card = readonly [label: string, value: string, extraHtml?: string];

/** The run's totals as cards: wall time, cost, calls, tokens, the plan, baselines, waits. */
export function renderTotals(trace: RunTrace): string {
  const cards: Card[] = [
    ['wall time', formatSeconds(trace.durationMs)],
    ['cost', formatUsd(trace.costUsd)],
    // A count read from anywhere is escaped as it came; a number that is none reads `?`.
    [
      'model calls',
      typeof trace.calls === 'number' ? formatCount(trace.calls) : String(trace.calls),
    ],
    [
      'tokens in / out',
      `${formatCount(trace.usage.inputTokens)} / ${formatCount(trace.usage.outputTokens)}`,
    ],
    [
      `planned (${formatObjective(trace.plan.objective, formatSeconds)})`,
      `${formatSeconds(trace.plan.durationMs)} · ${formatUsd(trace.plan.costUsd)}`,
    ],
  ];
  const baselines = trace.baselines;
  if (baselines) {
    cards.push(['same tokens, all fast', formatUsd(baselines.allFast)]);
    cards.push(['same tokens, all cheap', formatUsd(baselines.allCheap)]);
    if (baselines.reference && baselines.reference.costUsd > 0) {
      const saved = percentSaved(trace.costUsd, baselines.reference.costUsd);
      cards.push([
        `same tokens on ${baselines.reference.model}`,
        formatUsd(baselines.reference.costUsd),
        saved === undefined ? '' : ` <span class="saved">${e(saved)}% saved</span>`,
      ]);
    }
  }
  for (const [model, totals] of Object.entries(trace.models ?? {})) {
    cards.push([
      `waited on ${model}`,
      `${formatSeconds(totals.waitMs)} · ${formatCount(totals.calls)} call${totals.calls === 1 ? '' : 's'}`,
    ]);
  }
  return `<div class="totals">${cards
    .map(
      ([label, value, extraHtml = '']) =>
        `<div class="card"><b>${e(value)}${extraHtml}</b><span>${e(label)}</span></div>`,
    )
    .join('')}</div>`;
}
