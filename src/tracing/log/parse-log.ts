import type { RunTrace } from '../records';
import { type TraceLogLine, traceLogVersion } from './log-line';

/** One run found in a trace log. */
export interface LoggedRun {
  readonly runId: string;
  readonly chain: string;
  /** Wall-clock start, from `chain:start` (or the first line of the run). */
  readonly startedAt: number;
  /** The run's trace, from its `chain:end` line; absent when the run never ended. */
  readonly trace?: RunTrace;
  /** Every line of the run, in file order. */
  readonly lines: readonly TraceLogLine[];
  /** `step:retry`, `step:fallback` and `step:hedge` lines, counted. */
  readonly retries: number;
  readonly fallbacks: number;
  readonly hedges: number;
}

/** Runs read from one or more trace logs, oldest first, and what could not be read. */
export interface ParsedTraceLog {
  readonly runs: readonly LoggedRun[];
  readonly problems: readonly string[];
}

/**
 * Reads JSONL trace log text (several files' text may be concatenated): groups lines by run, keeps
 * each run's trace, counts retries. A line that is not JSON or has an unknown `v` is reported in
 * `problems` and skipped, so a log cut by a crash still reads.
 */
export function parseTraceLog(text: string, source = 'trace log'): ParsedTraceLog {
  const problems: string[] = [];
  const byRun = new Map<string, TraceLogLine[]>();
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let line: TraceLogLine;
    try {
      line = JSON.parse(raw) as TraceLogLine;
    } catch {
      problems.push(`${source}:${index + 1}: not JSON`);
      return;
    }
    if (line?.v !== traceLogVersion) {
      problems.push(`${source}:${index + 1}: unknown schema version ${JSON.stringify(line?.v)}`);
      return;
    }
    const list = byRun.get(line.runId) ?? [];
    list.push(line);
    byRun.set(line.runId, list);
  });
  const runs = [...byRun].map(([runId, lines]) => toRun(runId, lines));
  runs.sort((a, b) => a.startedAt - b.startedAt);
  return { runs, problems };
}

/** Several parsed logs as one, runs ordered by start. */
export function mergeTraceLogs(logs: readonly ParsedTraceLog[]): ParsedTraceLog {
  const runs = new Map<string, LoggedRun>();
  for (const log of logs) for (const run of log.runs) runs.set(run.runId, run);
  return {
    runs: [...runs.values()].sort((a, b) => a.startedAt - b.startedAt),
    problems: logs.flatMap((log) => log.problems),
  };
}

function toRun(runId: string, lines: readonly TraceLogLine[]): LoggedRun {
  const start = lines.find((line) => line.event === 'chain:start');
  const end = lines.findLast((line) => line.event === 'chain:end');
  const trace = end?.data as RunTrace | undefined;
  const count = (event: TraceLogLine['event']) =>
    lines.filter((line) => line.event === event).length;
  return {
    runId,
    chain: String(start?.data.chain ?? trace?.chain ?? '?'),
    startedAt: Number(start?.data.startedAt ?? trace?.startedAt ?? lines[0]?.at ?? 0),
    trace,
    lines,
    retries: count('step:retry'),
    fallbacks: count('step:fallback'),
    hedges: count('step:hedge'),
  };
}
