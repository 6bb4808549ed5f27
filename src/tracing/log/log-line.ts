import type { HotpathEventName } from '../events';
import { createJsonWriter } from './json-writer';
import type { RedactOptions } from './redact';

/**
 * The schema version of trace log lines. Readers upgrade lines of versions 1 to 3 (see
 * `upgradeLine`) and skip lines of versions they do not know. Version 3 holds the run's id once
 * per line (at the top, not again in `data`), and a `chain:end` line may leave out the step
 * records (`steps`, `items`) that the run's `step:end` lines hold: readers put both back.
 * Version 4 adds plan lines that hold, in place of the plan, `samePlanAs`: the run whose plan
 * line (earlier in the same file) holds the same plan. Readers put the plan back.
 */
export const traceLogVersion = 4;

/**
 * One line of a JSONL trace log, as read: an event, its run, when it was written, and its
 * payload as plain JSON (redacted, see `createJsonWriter`), `runId` included.
 */
export interface TraceLogLine {
  readonly v: typeof traceLogVersion;
  readonly event: HotpathEventName;
  readonly runId: string;
  /** Wall-clock time the line was written (`Date.now()`). */
  readonly at: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * A formatter of log lines (without the newline): each payload redacted and written in one walk
 * (see `createJsonWriter`), its `runId` at the top of the line.
 */
export function createLogLineFormatter(
  options: RedactOptions = {},
): (event: HotpathEventName, payload: unknown, now?: number) => string {
  const write = createJsonWriter(options);
  const heads = new Map<string, string>();
  return (event, payload, now = Date.now()) => {
    let head = heads.get(event);
    if (head === undefined) {
      head = `{"v":${traceLogVersion},"event":${JSON.stringify(event)},"runId":`;
      heads.set(event, head);
    }
    const data = write(payload, 'runId') ?? '{}';
    const runId = (payload as { runId?: unknown } | null)?.runId;
    const id = typeof runId === 'string' ? write(runId)! : '""';
    return `${head}${id},"at":${now},"data":${data}}`;
  };
}
