import { resolve } from 'node:path';
import { type HotpathEventName, type HotpathEvents, hotpathEventNames } from '../events';
import type { TraceExporter } from '../exporters/console';
import { formatLogLine } from '../log/log-line';
import { createRedactor, type LogInclude, secretsFromEnv } from '../log/redact';
import { appendLine, drained } from './append-queue';

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
export function jsonlExporter(options: JsonlExporterOptions): TraceExporter {
  const path = resolve(options.path);
  const redact = createRedactor({
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
      const off = (options.events ?? hotpathEventNames).map((event) =>
        events.on(event, (...payload: HotpathEvents[typeof event]) => {
          // Serialised now, while the payload is as the event described it.
          void appendLine(path, formatLogLine(event, loggable(event, payload[0]), redact), onError);
        }),
      );
      return () => {
        for (const unsubscribe of off) unsubscribe();
      };
    },
    flush: () => drained(path),
  };
}

/**
 * A re-plan is logged as what changed and the new totals, not the whole plan: a long chain
 * re-planned after every step would otherwise write the plan once per step.
 */
function loggable(event: string, payload: unknown): unknown {
  if (event !== 'replan') return payload;
  const { plan, ...rest } = payload as { plan: { durationMs: number; costUsd: number } };
  return { ...rest, plan: { durationMs: plan.durationMs, costUsd: plan.costUsd } };
}
