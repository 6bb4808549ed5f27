import { resolve } from 'node:path';
import {
  type HotpathEventName,
  type HotpathListener,
  hotpathEventNames,
  type PlanEvent,
} from '../events';
import type { TraceExporter } from '../exporters/console';
import { createLogLineFormatter } from '../log/log-line';
import { loggablePayload } from '../log/loggable';
import { type LogInclude, secretsFromEnv } from '../log/redact';
import type { RunTrace, StepRecord } from '../records';
import { appendLine, closeFile, drained, fileOpening } from './append-queue';
import { checkJsonlOptions } from './check-jsonl-options';

/** Options of {@link jsonlExporter}. */
export interface JsonlExporterOptions {
  /** The log file; created with its folders, appended to when it exists. */
  path: string;
  /** What to write beyond timings, tokens and cost. @default nothing: no prompts, no outputs */
  include?: LogInclude;
  /** Extra values never to write. @default [] (secret-looking environment variables always are) */
  secrets?: readonly string[];
  /** Which events to write. @default every event */
  events?: readonly HotpathEventName[];
  /** Hears of a failed write (the run goes on). @default console.warn, once per exporter */
  onError?: (error: unknown) => void;
}

/** A trace exporter that writes a JSONL file: {@link jsonlExporter}. */
export interface JsonlExporter extends TraceExporter {
  /** Resolves once every line so far is written. */
  flush(): Promise<void>;
  /**
   * Writes what is queued and closes the file. The exporter stays usable: the next line opens
   * the file again. (Without it, the file closes itself a second after its last write.)
   */
  close(): Promise<void>;
}

/**
 * Writes every event of every run to a JSONL trace log, one line per event with a `v` schema
 * version, for `hotpath trace FILE` to reprint and aggregate. Several runs, runtimes or processes
 * may append to one file. Prompts, inputs and outputs are left out unless `include` asks for them;
 * API keys, headers and secret-looking values never go in. Node-only (`hotpath/node`).
 *
 * @example
 * ```ts
 * const runtime = createRuntime({
 *   models: models.fromEnv(),
 *   exporters: [jsonlExporter({ path: '.hotpath/traces.jsonl' })],
 * });
 * ```
 */
export function jsonlExporter(options: JsonlExporterOptions): JsonlExporter {
  checkJsonlOptions(options);
  const path = resolve(options.path);
  const format = createLogLineFormatter({
    include: options.include,
    secrets: [...secretsFromEnv(), ...(options.secrets ?? [])],
  });
  let warned = false;
  const onError =
    options.onError ??
    ((error: unknown) => {
      if (warned) return;
      warned = true;
      console.warn(`hotpath: cannot write the trace log ${path}: ${String(error)}`);
    });
  return {
    name: 'jsonl',
    attach(events) {
      const written = options.events ?? hotpathEventNames;
      const records = written.includes('step:end') ? createRecordCount() : undefined;
      const plans = createPlanMemory(path);
      const off = written.map((event) =>
        events.on(event, ((payload: unknown) => {
          const recordsInLines = records?.heard(event, payload) ?? false;
          const data =
            event === 'plan'
              ? plans(payload as PlanEvent)
              : loggablePayload(event, payload, { recordsInLines });
          // Serialised now, while the payload is as the event described it.
          appendLine(path, format(event, data), onError);
        }) as HotpathListener<typeof event>),
      );
      return () => {
        for (const unsubscribe of off) unsubscribe();
      };
    },
    flush: () => drained(path),
    close: () => closeFile(path),
  };
}

/**
 * What a `plan` line holds: the plan, or when it is the plan this exporter wrote last (the
 * runtime reuses a plan while nothing it depends on has changed, and plans are never changed)
 * and both lines go into the same file, `samePlanAs`: the run whose line holds it. Readers put
 * the plan back (see `parseTraceLog`).
 */
function createPlanMemory(path: string) {
  let last: { plan: PlanEvent['plan']; runId: string; opening: number } | undefined;
  return (event: PlanEvent): unknown => {
    const opening = fileOpening(path);
    if (last !== undefined && last.plan === event.plan && last.opening === opening) {
      return { runId: event.runId, samePlanAs: last.runId };
    }
    last = { plan: event.plan, runId: event.runId, opening };
    return loggablePayload('plan', event, { recordsInLines: false });
  };
}

/**
 * Counts the `step:end` lines written per run, to tell at its `chain:end` whether they hold
 * every record of its trace (they do unless the exporter was attached mid-run): only then does
 * the `chain:end` line leave the records out.
 */
function createRecordCount() {
  const counts = new Map<string, number>();
  return {
    /** For a `chain:end`: whether its records are all in lines already. */
    heard(event: HotpathEventName, payload: unknown): boolean {
      if (event === 'step:end') {
        const { runId } = payload as StepRecord;
        counts.set(runId, (counts.get(runId) ?? 0) + 1);
        return false;
      }
      if (event !== 'chain:end') return false;
      const trace = payload as RunTrace;
      const seen = counts.get(trace.runId) ?? 0;
      counts.delete(trace.runId);
      let records = trace.steps.length;
      for (const items of Object.values(trace.items)) records += items.length;
      return seen === records;
    },
  };
}
