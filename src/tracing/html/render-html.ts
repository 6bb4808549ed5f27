import { formatSeconds, formatUsd } from '../format/figures';
import { aggregateRuns, type ChainAggregate, loggedRunOf } from '../log/aggregate';
import { modelRows, stepRows } from '../log/format-aggregate';
import type { LoggedRun } from '../log/parse-log';
import { createSecretMasker, secretsFromEnv } from '../log/redact';
import type { RunTrace } from '../records';
import { escapeHtml as e } from './escape';
import { maskTrace } from './mask-trace';
import { renderRunSection } from './run-section';
import { reportStyle } from './style';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** The page title. @default 'hotpath trace report' */
  title?: string;
  /** Values never to show, besides secret-looking environment values and key patterns. */
  secrets?: readonly string[];
}

/**
 * One self-contained HTML page for one or more runs: per run a Gantt waterfall (one bar per step,
 * the critical path marked, map items inside their step's bar, details on hover), the totals and
 * baselines, a step table; with several runs, p50/p95 per step and per model. Inline CSS, no
 * script, no font or other fetch: it opens offline and can be attached to a ticket.
 *
 * @example
 * ```ts
 * await writeFile('trace.html', renderHtmlReport([trace]));
 * ```
 */
export function renderHtmlReport(
  runs: readonly (RunTrace | LoggedRun)[],
  options: HtmlReportOptions = {},
): string {
  const mask = createSecretMasker([...secretsFromEnv(), ...(options.secrets ?? [])]);
  const logged = runs.map((run) => ('lines' in run ? run : loggedRunOf(run)));
  const traces = logged.flatMap((run) => (run.trace ? [maskTrace(run.trace, mask)] : []));
  const title = mask(options.title ?? 'hotpath trace report');
  const nav =
    traces.length > 1
      ? `<nav>${traces.map((trace, index) => `<a href="#run-${e(trace.runId)}">${index + 1}. ${e(trace.chain)} ${e(formatSeconds(trace.durationMs))}</a>`).join('')}</nav>`
      : '';
  const aggregates = traces.length > 1 ? aggregateRuns(logged).map(renderAggregate).join('\n') : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${reportStyle}</style></head>
<body><h1>${e(title)}</h1><p class="sub">${traces.length} run${traces.length === 1 ? '' : 's'} · hover a bar for its details</p>
${nav}
${aggregates}
${traces.map(renderRunSection).join('\n')}
</body></html>
`;
}

function renderAggregate(aggregate: ChainAggregate): string {
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((title, index) => `<th${index ? ' class="n"' : ''}>${e(title)}</th>`).join('')}</tr></thead><tbody>${rows
      .map(
        (row) =>
          `<tr>${row.map((value, index) => `<td${index ? ' class="n"' : ''}>${e(value)}</td>`).join('')}</tr>`,
      )
      .join('')}</tbody></table>`;
  const steps = table(
    [
      'step',
      'runs',
      'p50',
      'p95',
      'p50 cost',
      'p95 cost',
      'errors',
      'retries',
      '429s',
      'fallbacks',
    ],
    stepRows(aggregate),
  );
  const models = table(
    [
      'model',
      'calls',
      'p50',
      'p95',
      'p50 ttft',
      'total cost',
      'errors',
      'retries',
      '429s',
      'fallbacks',
    ],
    modelRows(aggregate),
  );
  return `<section class="aggregate"><h2>${e(`${aggregate.chain}: ${aggregate.runs} runs, ${aggregate.failed} failed`)}</h2>
<p class="meta">${e(`wall time p50 ${formatSeconds(aggregate.durationMs.p50)}, p95 ${formatSeconds(aggregate.durationMs.p95)} · cost p50 ${formatUsd(aggregate.costUsd.p50)}, p95 ${formatUsd(aggregate.costUsd.p95)} · total ${formatUsd(aggregate.totalCostUsd)}`)}</p>
${steps}${models}</section>`;
}
