import type { TraceLogLine } from './log-line';

/** Whether a value read from a log has the type a reader relies on. */
type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
// JSON holds no NaN or infinity; a number from elsewhere (a trace in memory) might.
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value);
const listOf =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check);
const oneOf =
  (...values: readonly unknown[]): Check =>
  (value) =>
    values.includes(value);
const shape =
  (fields: Readonly<Record<string, Check>>): Check =>
  (value) =>
    isObject(value) && malformedFields(value, fields).length === 0;

/** The fields of `value` that fail their check, by name. */
function malformedFields(
  value: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, Check>>,
): string[] {
  return Object.keys(fields).filter((field) => !fields[field]!(value[field]));
}

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const usage = shape({
  inputTokens: isNumber,
  outputTokens: isNumber,
  cachedInputTokens: optional(isNumber),
  reasoningTokens: optional(isNumber),
});

/**
 * What the waterfall, the HTML report and the aggregates read of a step record. Fields that
 * early logs, or logs written by hand, may leave out are checked only when present: a lane or a
 * call list of the wrong type would crash a report, a count that is not a number print `NaN`.
 */
const recordFields: Readonly<Record<string, Check>> = {
  stepId: isString,
  kind: optional(isString),
  item: optional(isNumber),
  status: optional(oneOf('ok', 'error')),
  model: optional(isString),
  endpoint: optional(isString),
  lane: optional(isString),
  attempt: optional(isNumber),
  retries: optional(isNumber),
  startMs: isNumber,
  endMs: isNumber,
  durationMs: isNumber,
  timeToFirstTokenMs: optional(isNumber),
  queueWaitMs: optional(isNumber),
  decodeMs: optional(isNumber),
  usage,
  costUsd: isNumber,
  items: optional(isNumber),
  predicted: optional(shape({ durationMs: isNumber, costUsd: isNumber })),
  error: optional(isString),
  fallbacks: optional(listOf(isString)),
  hedge: optional(
    shape({ model: isString, endpoint: optional(isString), won: oneOf(true, false) }),
  ),
  calls: optional(listOf(shape({ kind: isString, name: optional(isString) }))),
  source: optional(isString),
};

/** The fields of a step record that are missing or of the wrong type. */
export function malformedRecordFields(value: unknown): string[] {
  return isObject(value) ? malformedFields(value, recordFields) : ['the record'];
}

/** Whether `value` is a whole step record, as the reports read one. */
export const isRecord: Check = shape(recordFields);

const isItems: Check = (value) => isObject(value) && Object.values(value).every(listOf(isRecord));

const objective: Check = (value) =>
  isString(value) ||
  shape({ deadlineMs: isNumber, confidence: optional(isNumber) })(value) ||
  shape({ budgetUsd: isNumber })(value);

/** What the reports read of a run's trace (`recordsInLines`: its step records are elsewhere). */
function traceFields(recordsInLines: boolean): Readonly<Record<string, Check>> {
  return {
    chain: isString,
    status: oneOf('ok', 'error'),
    startedAt: isNumber,
    durationMs: isNumber,
    deferredMs: optional(isNumber),
    costUsd: isNumber,
    usage,
    calls: isNumber,
    steps: recordsInLines ? () => true : listOf(isRecord),
    items: recordsInLines ? () => true : isItems,
    criticalPath: listOf(isString),
    plan: shape({ durationMs: isNumber, costUsd: isNumber, objective }),
    warnings: listOf(shape({ source: isString, message: isString })),
    models: optional(
      (value) =>
        isObject(value) && Object.values(value).every(shape({ calls: isNumber, waitMs: isNumber })),
    ),
    baselines: optional(
      shape({
        allFast: isNumber,
        allCheap: isNumber,
        reference: optional(shape({ model: isString, costUsd: isNumber })),
      }),
    ),
    durable: optional(
      shape({
        called: isNumber,
        resumed: isNumber,
        resumedCostUsd: isNumber,
        cached: isNumber,
        cachedCostUsd: isNumber,
      }),
    ),
    error: optional(shape({ type: isString, message: isString })),
  };
}

/** The fields of a run's trace that are missing or of the wrong type. */
export function malformedTraceFields(value: unknown, recordsInLines = false): string[] {
  return isObject(value) ? malformedFields(value, traceFields(recordsInLines)) : ['the trace'];
}

/** What the reports and `hotpath calibrate` read of the other lines, by event. */
const lineFields: Partial<Record<TraceLogLine['event'], Readonly<Record<string, Check>>>> = {
  'chain:start': { chain: isString, startedAt: isNumber },
  'step:end': recordFields,
  'step:retry': { stepId: isString, model: optional(isString), reason: optional(isString) },
  'step:fallback': {
    stepId: isString,
    from: optional(isString),
    to: optional(isString),
    reason: optional(isString),
  },
};

/**
 * What is wrong with a line that parses, or nothing: every line needs its run and event, and the
 * lines the reports read the fields they read (a line cut short, or written by hand, would
 * crash them or print `NaN`). A `chain:end` line needs a whole trace; its step records may be in
 * the run's `step:end` lines instead (`recordsInLines`).
 */
export function brokenLine(line: TraceLogLine, recordsInLines: boolean): string | undefined {
  if (typeof line.runId !== 'string' || typeof line.event !== 'string') {
    return 'not a trace log line (no `runId` or `event`)';
  }
  if (!optional(isNumber)(line.at)) return `a ${line.event} line whose \`at\` is not a time`;
  if (!isObject(line.data)) return `a ${line.event} line without data`;
  const missing =
    line.event === 'chain:end'
      ? malformedTraceFields(line.data, recordsInLines)
      : malformedFields(line.data, lineFields[line.event] ?? {});
  if (missing.length === 0) return undefined;
  const what =
    line.event === 'chain:end'
      ? 'a chain:end line without a whole trace'
      : line.event === 'step:end'
        ? 'a step:end line without a whole record'
        : `a ${line.event} line`;
  return `${what} (missing or malformed: ${missing.join(', ')})`;
}
