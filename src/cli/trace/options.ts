import { parseArgs } from 'node:util';

/** `hotpath trace`'s usage text. */
export const traceUsage = `Usage: hotpath trace FILE... [--run ID] [--json] [--html OUT]

Reads JSONL trace logs written by jsonlExporter (hotpath/node).

  FILE...      one or more trace logs; runs from all of them are read together
  --run ID     the run to reprint: its id, or the first characters of one run's id
               [default: the last run]
  --json       print the run, the list of runs and the aggregates as JSON
  --html OUT   write a self-contained HTML report (a waterfall per run) to OUT
  --help       show this help

With more than one run in the logs, the waterfall is followed by p50/p95 latency and cost per
step and per model, and error and retry counts.`;

/** What `hotpath trace` was asked to do. */
export interface TraceOptions {
  readonly files: readonly string[];
  readonly run?: string;
  readonly json: boolean;
  readonly html?: string;
  readonly help: boolean;
}

/** Parses `hotpath trace`'s arguments; throws a `TypeError` with a readable message. */
export function parseTraceOptions(args: readonly string[]): TraceOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      run: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.run === '') {
    throw new TypeError(
      'Expected `--run` to be a run id or its first characters, got an empty string',
    );
  }
  return {
    files: positionals,
    run: values.run,
    json: values.json ?? false,
    html: values.html,
    help: values.help ?? false,
  };
}
