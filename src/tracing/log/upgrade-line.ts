import { isObject } from './check-line';
import { type TraceLogLine, traceLogVersion } from './log-line';

type Json = Record<string, unknown>;

/** A line as written, of any version readers know. */
export type WrittenLine = Omit<TraceLogLine, 'v' | 'data'> & {
  readonly v: 1 | 2 | 3 | 4;
  data: Json;
};

/**
 * A line of an earlier version in today's vocabulary, with the run's id in its data again.
 * Version 1 (hotpath 0.1) named a run's duration `wallMs`, a plan's `makespanMs`, a planned
 * step's id `id` and a streamed plan's first answer token `firstAnswerTokenMs`; version 2 says
 * `durationMs`, `stepId` and `answer.firstTokenMs`. Versions 3 and 4 write the run's id once
 * per line, beside the data. (A `chain:end` line without its step records gets them back from
 * the run's `step:end` lines, and a plan line naming another run's plan that plan: see
 * `parseTraceLog`.)
 */
export function upgradeLine(line: WrittenLine): TraceLogLine {
  if (line.v === 3 || line.v === 4) {
    if (isObject(line.data) && line.data.runId === undefined) line.data.runId = line.runId;
    return { ...line, v: traceLogVersion } as TraceLogLine;
  }
  if (line.v === 2) return { ...line, v: traceLogVersion };
  const data: Json = { ...line.data };
  if (line.event === 'chain:end') {
    renameKey(data, 'wallMs', 'durationMs');
    if (isObject(data.plan)) data.plan = upgradeTotals(data.plan);
  }
  if ((line.event === 'plan' || line.event === 'replan') && isObject(data.plan)) {
    data.plan = upgradePlan(data.plan);
  }
  return { ...line, v: traceLogVersion, data };
}

function upgradePlan(plan: Json): Json {
  const out = upgradeTotals(plan);
  if (Array.isArray(out.steps)) {
    out.steps = out.steps.map((step) => {
      if (!isObject(step)) return step;
      const copy = { ...step };
      renameKey(copy, 'id', 'stepId');
      return copy;
    });
  }
  if (isObject(out.baselines)) {
    const { allFast, allCheap } = out.baselines;
    out.baselines = {
      allFast: isObject(allFast) ? upgradeTotals(allFast) : allFast,
      allCheap: isObject(allCheap) ? upgradeTotals(allCheap) : allCheap,
    };
  }
  if (Array.isArray(out.frontier)) {
    out.frontier = out.frontier.map((point) => (isObject(point) ? upgradeTotals(point) : point));
  }
  if (isObject(out.answer) && typeof out.firstAnswerTokenMs === 'number') {
    out.answer = { ...out.answer, firstTokenMs: out.firstAnswerTokenMs };
  }
  delete out.firstAnswerTokenMs;
  return out;
}

function upgradeTotals(totals: Json): Json {
  const copy = { ...totals };
  renameKey(copy, 'makespanMs', 'durationMs');
  return copy;
}

function renameKey(object: Json, from: string, to: string): void {
  if (!(from in object)) return;
  if (!(to in object)) object[to] = object[from];
  delete object[from];
}
