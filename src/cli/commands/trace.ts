import { writeFile } from 'node:fs/promises';
import { detectColor } from '../../tracing/exporters/terminal';
import { formatWaterfall } from '../../tracing/format/waterfall';
import { renderHtmlReport } from '../../tracing/html/render-html';
import { aggregateRuns } from '../../tracing/log/aggregate';
import { formatAggregate } from '../../tracing/log/format-aggregate';
import type { LoggedRun } from '../../tracing/log/parse-log';
import { readTraceLog } from '../../tracing/node/read-trace-log';
import { reportLogProblems } from '../log-problems';
import { readProblem } from '../read-problem';
import { parseTraceOptions, type TraceOptions, traceUsage } from '../trace/options';
import { reportTargetProblem } from '../trace/report-target';
import { selectRun } from '../trace/select-run';
import type { Command } from '.';

/** `hotpath trace FILE...`: reprint a run's waterfall, aggregate runs, JSON, an HTML report. */
export const trace: Command = {
  summary: 'reprint and aggregate trace logs; --json, --html report',
  async run(args) {
    let options: TraceOptions;
    try {
      options = parseTraceOptions(args);
    } catch (error) {
      console.error(`hotpath trace: ${(error as Error).message}\n\n${traceUsage}`);
      return 2;
    }
    if (options.help) {
      console.log(traceUsage);
      return 0;
    }
    if (options.files.length === 0) {
      console.error(`hotpath trace: expected at least one trace log FILE\n\n${traceUsage}`);
      return 2;
    }
    const target = options.html && reportTargetProblem(options.html, options.files);
    if (target) {
      console.error(`hotpath trace: ${target}`);
      return 1;
    }
    let log: Awaited<ReturnType<typeof readTraceLog>>;
    try {
      log = await readTraceLog(options.files);
    } catch (error) {
      const { path } = error as NodeJS.ErrnoException;
      console.error(
        path === undefined
          ? `hotpath trace: ${readProblem(error)}`
          : `hotpath trace: cannot read \`${path}\`: ${readProblem(error)}`,
      );
      return 1;
    }
    if (reportLogProblems('trace', log, options.files)) return 1;
    const ended = log.runs.filter((run) => run.trace !== undefined);
    if (ended.length === 0) {
      console.error(`hotpath trace: no finished run in ${options.files.join(', ')}`);
      return 1;
    }
    const selected = selectRun(ended, options.run);
    if ('problem' in selected) {
      console.error(`hotpath trace: ${selected.problem}`);
      return 1;
    }
    return report(options, ended, selected.run);
  },
};

async function report(options: TraceOptions, runs: readonly LoggedRun[], selected: LoggedRun) {
  const aggregates = aggregateRuns(runs);
  if (options.html !== undefined) {
    const html = renderHtmlReport(options.run === undefined ? runs : [selected]);
    await writeFile(options.html, html);
    const size = `${(Buffer.byteLength(html) / 1024).toFixed(1)} kB`;
    (options.json ? console.error : console.log)(`wrote ${options.html} (${size})`);
  }
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          runs: runs.map(({ lines: _lines, trace, ...run }) => ({
            ...run,
            status: trace?.status,
            durationMs: trace?.durationMs,
            costUsd: trace?.costUsd,
          })),
          run: selected.trace,
          aggregates,
        },
        null,
        2,
      ),
    );
  } else if (options.html === undefined) {
    const color = detectColor(process.stdout);
    const position = `run ${selected.runId} (${runs.indexOf(selected) + 1} of ${runs.length}), ${new Date(selected.startedAt).toISOString().replace(/\.\d+Z$/, 'Z')}`;
    const parts = [position, '', formatWaterfall(selected.trace!, { color })];
    if (runs.length > 1) parts.push('', ...aggregates.map(formatAggregate));
    console.log(parts.join('\n'));
  }
  return 0;
}
