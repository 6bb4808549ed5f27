import type { HotpathEventName } from '../events';

/**
 * The schema version of trace log lines: readers upgrade version 1 lines (see `upgradeLine`) and
 * skip lines of versions they do not know.
 */
export const traceLogVersion = 2;

/**
 * One line of a JSONL trace log: an event, its run, when it was written, and its payload as
 * plain JSON (redacted, see `createRedactor`).
 */
export interface TraceLogLine {
  readonly v: typeof traceLogVersion;
  readonly event: HotpathEventName;
  readonly runId: string;
  /** Wall-clock time the line was written (`Date.now()`). */
  readonly at: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One event as a log line, without the newline. */
export function formatLogLine(
  event: HotpathEventName,
  payload: unknown,
  redact: (value: unknown) => unknown,
  now: number = Date.now(),
): string {
  const data = (redact(payload) ?? {}) as Record<string, unknown>;
  const runId = typeof data.runId === 'string' ? data.runId : '';
  const line: TraceLogLine = { v: traceLogVersion, event, runId, at: now, data };
  return JSON.stringify(line);
}
