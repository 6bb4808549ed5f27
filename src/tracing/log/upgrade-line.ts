import type { TraceLogLine } from './log-line';

type Json = Record<string, unknown>;

/**
 * A version 1 line in today's vocabulary. Version 1 (hotpath 0.1) named a run's duration
 * `wallMs`, a plan's `makespanMs`, a planned step's id `id` and a streamed plan's first answer
 * token `firstAnswerTokenMs`; version 2 says `durationMs`, `stepId` and `answer.firstTokenMs`.
 * Lines of version 2 pass through unchanged.
 */
export function upgradeLine(
  line: TraceLogLine | (Omit<TraceLogLine, 'v'> & { readonly v: 1 }),
): TraceLogLine {
  if (line.v !== 1) return line;
  const data: Json = { ...line.data };
  if (line.event === 'chain:end') {
    renameKey(data, 'wallMs', 'durationMs');
    if (isJson(data.plan)) data.plan = upgradeTotals(data.plan);
  }
  if ((line.event === 'plan' || line.event === 'replan') && isJson(data.plan)) {
    data.plan = upgradePlan(data.plan);
  }
  return { ...line, v: 2, data };
}

function upgradePlan(plan: Json): Json {
  const out = upgradeTotals(plan);
  if (Array.isArray(out.steps)) {
    out.steps = out.steps.map((step) => {
      if (!isJson(step)) return step;
      const copy = { ...step };
      renameKey(copy, 'id', 'stepId');
      return copy;
    });
  }
  if (isJson(out.baselines)) {
    const { allFast, allCheap } = out.baselines;
    out.baselines = {
      allFast: isJson(allFast) ? upgradeTotals(allFast) : allFast,
      allCheap: isJson(allCheap) ? upgradeTotals(allCheap) : allCheap,
    };
  }
  if (Array.isArray(out.frontier)) {
    out.frontier = out.frontier.map((point) => (isJson(point) ? upgradeTotals(point) : point));
  }
  if (isJson(out.answer) && typeof out.firstAnswerTokenMs === 'number') {
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

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
