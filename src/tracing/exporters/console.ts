import type { EventSource } from '../event-hub';
import { createPaint } from '../format/ansi';
import { LiveRun } from '../format/live-view';
import { formatWaterfall } from '../format/waterfall';
import { createSecretMasker, secretsFromEnv } from '../log/redact';
import { checkConsoleOptions } from './check-console-options';
import { defaultStream, detectColor, type TerminalStream } from './terminal';

/** Something that listens to a runtime's events and reports them somewhere. */
export interface TraceExporter {
  readonly name: string;
  /** Subscribes to `events`; returns a function that unsubscribes. */
  attach(events: EventSource): () => void;
  /** Resolves once everything reported so far is written (file exporters buffer). */
  flush?(): Promise<void>;
  /**
   * Runs one model call, or a `fn` step's function, inside the exporter's context for the step:
   * the OpenTelemetry exporter makes the step's span active, so the AI SDK's own spans and those
   * a `fn` starts nest under it. A runtime calls it around each model call and each `fn` (step
   * or map item) for every exporter that has it.
   */
  bindCall?<T>(step: { runId: string; stepId: string; item?: number }, call: () => T): T;
}

/** Options of {@link consoleExporter}. */
export interface ConsoleExporterOptions {
  /** Where each run's final waterfall goes. @default console.log */
  write?: (text: string) => void;
  /** Where the live view draws. @default process.stdout, when there is one */
  stream?: TerminalStream;
  /** Redraw the running chain in place. @default true when `stream` is a terminal */
  live?: boolean;
  /**
   * ANSI colours. @default on for a terminal unless `write` is given; `NO_COLOR` and
   * `FORCE_COLOR` are respected
   */
  color?: boolean;
  /** Columns to fit, from 40 up. @default 80, or the terminal's width when it is narrower (at least 40) */
  width?: number;
  /** Least time between two redraws of the live view, in milliseconds. @default 100 */
  refreshMs?: number;
  /** Values never to print, besides secret-looking environment values and key patterns. */
  secrets?: readonly string[];
}

/**
 * Shows each run in the terminal: while it runs, a live waterfall redrawn in place (steps appear
 * and finish, map steps count items done out of the total); when it ends, the final waterfall
 * with the critical path, model, duration, tokens and cost per step, and the baselines.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv(), exporters: [consoleExporter()] });
 * ```
 */
export function consoleExporter(options: ConsoleExporterOptions = {}): TraceExporter {
  checkConsoleOptions(options);
  const stream = options.stream ?? defaultStream();
  const write = options.write ?? ((text: string) => console.log(text));
  const color = options.color ?? (options.write === undefined && detectColor(stream));
  const width = options.width ?? Math.min(80, Math.max(40, stream?.columns ?? 80));
  const live = (options.live ?? stream?.isTTY === true) && stream !== undefined;
  const paint = createPaint(color);
  const mask = createSecretMasker([...secretsFromEnv(), ...(options.secrets ?? [])]);
  return {
    name: 'console',
    attach(events) {
      const off = [
        events.on('chain:end', (trace) => {
          view?.finish(trace.runId);
          write(mask(formatWaterfall(trace, { width, color })));
        }),
      ];
      // Without a live view nothing else is subscribed: no work at all while the chain runs.
      const view = live
        ? createLiveView(stream!, width, paint, options.refreshMs ?? 100)
        : undefined;
      if (view) off.push(...view.subscribe(events));
      return () => {
        for (const unsubscribe of off) unsubscribe();
        view?.stop();
      };
    },
  };
}

const clockNow = () => globalThis.performance?.now() ?? Date.now();

/**
 * Redraws the runs in flight at most every `refreshMs`, and that often while a run is active (so
 * a step waiting for its first token still grows). Events only update state and ask for a frame.
 */
function createLiveView(
  stream: TerminalStream,
  width: number,
  paint: ReturnType<typeof createPaint>,
  refreshMs: number,
) {
  const runs = new Map<string, { run: LiveRun; atWall: number; atMs: number }>();
  let drawn = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    timer = undefined;
    const lines: string[] = [];
    for (const entry of runs.values()) {
      // Time between events: what the run's clock said last, plus the wall time since.
      const now = entry.run.lastAtMs + (clockNow() - entry.atWall);
      lines.push(...entry.run.render(Math.max(now, entry.atMs), width, paint));
    }
    const erase = drawn > 0 ? `\x1b[${drawn}F` : '';
    stream.write(`${erase}${lines.map((line) => `\x1b[2K${line}\n`).join('')}\x1b[J`);
    drawn = lines.length;
    if (runs.size > 0) request();
  };
  const request = () => {
    if (timer !== undefined) return;
    timer = setTimeout(draw, refreshMs);
    (timer as { unref?: () => void }).unref?.();
  };
  const touch = (runId: string, update: (run: LiveRun) => void) => {
    const entry = runs.get(runId);
    if (entry === undefined) return;
    update(entry.run);
    entry.atWall = clockNow();
    entry.atMs = entry.run.lastAtMs;
    request();
  };

  return {
    subscribe: (events: EventSource) => [
      events.on('chain:start', (event) => {
        runs.set(event.runId, { run: new LiveRun(event.chain), atWall: clockNow(), atMs: 0 });
        request();
      }),
      events.on('plan', (event) => touch(event.runId, (run) => run.plan(event))),
      events.on('step:start', (event) => touch(event.runId, (run) => run.start(event))),
      events.on('step:first-token', (event) => touch(event.runId, (run) => run.firstToken(event))),
      events.on('step:retry', (event) => touch(event.runId, (run) => run.retry(event))),
      events.on('step:end', (record) => touch(record.runId, (run) => run.end(record))),
    ],
    /** Takes the run off the live view before its final waterfall is printed. */
    finish(runId: string) {
      runs.delete(runId);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      clear();
      if (runs.size > 0) draw();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      clear();
      runs.clear();
    },
  };
}
