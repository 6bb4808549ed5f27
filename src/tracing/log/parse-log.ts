import type { RunTrace } from '../records';
import { brokenLine, isObject, isRecord } from './check-line';
import { type TraceLogLine, traceLogVersion } from './log-line';
import { upgradeLine, type WrittenLine } from './upgrade-line';

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
 * each run's trace, counts retries. A line that is not JSON, has an unknown `v`, or lacks a field
 * the reports read, of the type they read (see `brokenLine`), is reported in `problems` and
 * skipped, so a log cut by a crash still reads and a bad line never prints as `NaN`.
 */
export function parseTraceLog(text: string, source = 'trace log'): ParsedTraceLog {
  const problems: string[] = [];
  const byRun = new Map<string, TraceLogLine[]>();
  // Version 3 and 4 `chain:end` lines whose step records are in the run's `step:end` lines.
  const endsWithoutRecords = new Map<TraceLogLine, string>();
  // Each run's plan, for the plan lines that name it.
  const plans = new Map<string, unknown>();
  const add = (line: TraceLogLine) => {
    const list = byRun.get(line.runId) ?? [];
    list.push(line);
    byRun.set(line.runId, list);
  };
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const where = `${source}:${index + 1}`;
    let read: { v?: unknown } | null;
    try {
      read = JSON.parse(raw) as { v?: unknown } | null;
    } catch {
      problems.push(`${where}: not JSON`);
      return;
    }
    const version = read?.v;
    if (version !== traceLogVersion && version !== 3 && version !== 2 && version !== 1) {
      problems.push(
        typeof version === 'number' && version > traceLogVersion
          ? `${where}: schema version ${version} is newer than this hotpath reads (1 to ${traceLogVersion}); upgrade hotpath to read it`
          : `${where}: unknown schema version ${JSON.stringify(version)}`,
      );
      return;
    }
    let line = upgradeLine(read as WrittenLine);
    const recordsInLines = (version === 3 || version === 4) && isEndWithoutRecords(line);
    const broken = brokenLine(line, recordsInLines);
    if (broken !== undefined) {
      problems.push(`${where}: ${broken}`);
      // Kept out of the run's lines, but a trace put back from its step:end lines lacks it.
      if (line.event === 'step:end' && typeof line.runId === 'string') {
        brokenRecords.add(line);
        add(line);
      }
      return;
    }
    if (line.event === 'plan') {
      const planned = withPlan(line, plans);
      if (planned === undefined) {
        problems.push(
          `${where}: a plan line whose plan (run ${line.data.samePlanAs}'s) is not in the log`,
        );
        return;
      }
      line = planned;
    }
    if (recordsInLines) endsWithoutRecords.set(line, where);
    add(line);
  });
  for (const lines of byRun.values()) restoreRecords(lines, endsWithoutRecords, problems);
  const runs = [...byRun]
    .map(([runId, lines]) => toRun(runId, lines))
    .filter((run) => run.lines.length > 0);
  runs.sort((a, b) => a.startedAt - b.startedAt);
  return { runs, problems };
}

/**
 * A plan line with its plan: its own (remembered for the lines that name its run), or the one
 * of the run it names (`samePlanAs`), from earlier in the log; `undefined` when that is missing
 * (a log cut at its start, or read without the file before it).
 */
function withPlan(line: TraceLogLine, plans: Map<string, unknown>): TraceLogLine | undefined {
  const { samePlanAs, ...data } = line.data;
  if (typeof samePlanAs !== 'string') {
    plans.set(line.runId, line.data.plan);
    return line;
  }
  const plan = plans.get(samePlanAs);
  if (plan === undefined) return undefined;
  plans.set(line.runId, plan);
  return { ...line, data: { plan, ...data } };
}

function isEndWithoutRecords(line: TraceLogLine): boolean {
  return (
    line.event === 'chain:end' &&
    isObject(line.data) &&
    line.data.steps === undefined &&
    line.data.items === undefined
  );
}

/** `step:end` lines that are not whole records: skipped, but a trace put back without them is not whole. */
const brokenRecords = new WeakSet<TraceLogLine>();

/** Each run's lines with its skipped `step:end` lines, for putting its traces back after a merge. */
const linesRead = new WeakMap<LoggedRun, readonly TraceLogLine[]>();

/**
 * `chain:end` lines whose step records were put back from `step:end` lines, with where each was
 * read: when a run's lines are in several logs (a rotated log and the one after it), merging
 * puts them back again from all its lines.
 */
const restored = new WeakMap<TraceLogLine, string>();

/**
 * Puts back the step records of the `chain:end` lines among a run's `lines` (in place) that
 * `pending` names (with where each was read), and drops, as a problem, one whose `step:end`
 * lines are not whole records.
 */
function restoreRecords(
  lines: TraceLogLine[],
  pending: { get(line: TraceLogLine): string | undefined },
  problems: string[],
): void {
  for (let index = lines.length - 1; index >= 0; index--) {
    const where = pending.get(lines[index]!);
    if (where === undefined) continue;
    const whole = withRecords(lines, index);
    if (whole !== undefined) {
      lines[index] = whole;
      restored.set(whole, where);
    } else {
      problems.push(`${where}: a chain:end line whose step:end lines are not whole records`);
      lines.splice(index, 1);
    }
  }
}

/**
 * The `chain:end` line at `endIndex` with its trace's `steps` and `items` back from the
 * `step:end` lines of its attempt: those since the attempt's `chain:start` (or the end of the
 * attempt before it, a resumed run's lines holding every attempt), in the order they ended, a
 * map's items by step (the runtime keeps each record in its trace as it emits its `step:end`).
 * `undefined` when one of them is not a whole record.
 */
function withRecords(lines: readonly TraceLogLine[], endIndex: number): TraceLogLine | undefined {
  const end = lines[endIndex]!;
  let from = endIndex;
  while (from > 0 && !isAttemptBoundary(lines[from - 1]!)) from--;
  const steps: unknown[] = [];
  const items: Record<string, unknown[]> = {};
  for (const line of lines.slice(from, endIndex)) {
    if (line.event !== 'step:end') continue;
    if (brokenRecords.has(line) || !isRecord(line.data)) return undefined;
    const record = line.data as { stepId: string; item?: unknown };
    if (record.item === undefined) steps.push(record);
    else {
      items[record.stepId] ??= [];
      items[record.stepId]!.push(record);
    }
  }
  return { ...end, data: { ...end.data, steps, items } };
}

/** Where an attempt of a run starts: its `chain:start`, or the `chain:end` of the one before. */
function isAttemptBoundary(line: TraceLogLine): boolean {
  return line.event === 'chain:start' || line.event === 'chain:end';
}

/**
 * Several parsed logs as one, runs ordered by start. A run found in several logs (a rotated log
 * and the one after it, or a resume written elsewhere) is one run: its parts in the order they
 * were written, its trace from the part with its last `chain:end`.
 */
export function mergeTraceLogs(logs: readonly ParsedTraceLog[]): ParsedTraceLog {
  const problems = logs.flatMap((log) => log.problems);
  const parts = new Map<string, LoggedRun[]>();
  for (const log of logs) {
    for (const run of log.runs) {
      const list = parts.get(run.runId) ?? [];
      list.push(run);
      parts.set(run.runId, list);
    }
  }
  const runs = [...parts].map(([runId, list]) =>
    list.length === 1 ? list[0]! : mergeParts(runId, list, problems),
  );
  return { runs: runs.sort((a, b) => a.startedAt - b.startedAt), problems };
}

/**
 * One run from its parts in several logs: their lines one part after the other, by when each
 * part's first line was written (a stable sort: the order of the logs breaks ties), the same
 * part read twice (a log given twice) once, and the step records of its `chain:end` lines put
 * back from the lines of every part.
 */
function mergeParts(runId: string, parts: readonly LoggedRun[], problems: string[]): LoggedRun {
  const seen = new Set<string>();
  const lines: TraceLogLine[] = [];
  const ordered = [...parts].sort((a, b) => (a.lines[0]?.at ?? 0) - (b.lines[0]?.at ?? 0));
  for (const part of ordered) {
    const read = linesRead.get(part) ?? part.lines;
    const key = JSON.stringify(read);
    if (seen.has(key)) continue;
    seen.add(key);
    // One push per line: a wide map's part has more lines than a call takes arguments.
    for (const line of read) lines.push(line);
  }
  restoreRecords(lines, restored, problems);
  return toRun(runId, lines);
}

function toRun(runId: string, read: readonly TraceLogLine[]): LoggedRun {
  const lines = read.filter((line) => !brokenRecords.has(line));
  const start = lines.find((line) => line.event === 'chain:start');
  const end = lines.findLast((line) => line.event === 'chain:end');
  const trace = end?.data as RunTrace | undefined;
  const count = (event: TraceLogLine['event']) =>
    lines.filter((line) => line.event === event).length;
  const run: LoggedRun = {
    runId,
    chain: String(start?.data.chain ?? trace?.chain ?? '?'),
    startedAt: Number(start?.data.startedAt ?? trace?.startedAt ?? lines[0]?.at ?? 0),
    trace,
    lines,
    retries: count('step:retry'),
    fallbacks: count('step:fallback'),
    hedges: count('step:hedge'),
  };
  if (lines.length < read.length) linesRead.set(run, read);
  return run;
}
