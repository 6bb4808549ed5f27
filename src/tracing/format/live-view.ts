import { formatWait } from '../../scheduler/explain';
import type { HotpathEvents } from '../events';
import type { StepRecord } from '../records';
import type { Paint } from './ansi';
import type { BarUnit } from './bars';
import { formatDuration } from './duration';
import { formatUsd } from './figures';
import { inert, truncate } from './text';
import { type BarRow, formatBars } from './waterfall';

interface LiveUnit {
  kind: BarUnit['kind'];
  startMs: number;
  firstTokenMs?: number;
  endMs?: number;
}

interface LiveStep {
  readonly stepId: string;
  readonly kind: BarUnit['kind'];
  readonly lane?: BarRow['lane'];
  readonly startMs: number;
  readonly total?: number;
  readonly units: Map<number, LiveUnit>;
  endMs?: number;
  failed: boolean;
  /** Read back from a store rather than called. */
  source?: StepRecord['source'];
  done: number;
  retries: number;
}

/**
 * One run as it happens, fed by events: which steps started, finished or failed, map items done
 * out of the total, first tokens. Each update is a map lookup and an assignment: all drawing
 * waits for {@link LiveRun.render}, which the console exporter calls on a throttle.
 */
export class LiveRun {
  readonly steps = new Map<string, LiveStep>();
  readonly critical = new Set<string>();
  readonly lanes = new Map<string, BarRow['lane']>();
  /** The plan's item counts, until the runtime says how many a map really has. */
  readonly expected = new Map<string, number>();
  plannedMs = 0;
  /** How long a deferred plan waits for cheaper prices before its first step. */
  deferredMs = 0;
  /** Maps whose last items wait for cheaper prices: how many, and until when (from the start). */
  readonly held = new Map<string, { items: number; startMs: number }>();
  lastAtMs = 0;
  costUsd = 0;

  constructor(readonly chain: string) {}

  plan({ plan }: HotpathEvents['plan'][0]): void {
    this.plannedMs = plan.durationMs;
    this.deferredMs = plan.deferred?.delayMs ?? 0;
    for (const id of plan.criticalPath) this.critical.add(id);
    for (const step of plan.steps) {
      this.lanes.set(step.stepId, step.lane);
      if (step.items !== undefined) this.expected.set(step.stepId, step.items);
      if (step.deferred) this.held.set(step.stepId, step.deferred);
    }
  }

  start(event: HotpathEvents['step:start'][0]): void {
    this.seen(event.atMs);
    let step = this.steps.get(event.stepId);
    if (step === undefined) {
      step = {
        stepId: event.stepId,
        kind: event.item === undefined ? event.kind : 'map',
        lane: event.lane ?? this.lanes.get(event.stepId),
        startMs: event.atMs,
        total: event.items,
        units: new Map(),
        failed: false,
        done: 0,
        retries: 0,
      };
      this.steps.set(event.stepId, step);
    }
    if (event.kind !== 'map') {
      step.units.set(event.item ?? -1, { kind: event.kind, startMs: event.atMs });
    }
  }

  firstToken(event: HotpathEvents['step:first-token'][0]): void {
    this.seen(event.atMs);
    const unit = this.steps.get(event.stepId)?.units.get(event.item ?? -1);
    if (unit) unit.firstTokenMs = event.atMs;
  }

  retry(event: HotpathEvents['step:retry'][0]): void {
    const step = this.steps.get(event.stepId);
    if (step) step.retries += 1;
  }

  end(record: HotpathEvents['step:end'][0]): void {
    this.seen(record.endMs);
    const step = this.steps.get(record.stepId);
    if (step === undefined) return;
    if (record.item !== undefined) {
      const unit = step.units.get(record.item);
      if (unit) unit.endMs = record.endMs;
      step.done += 1;
      this.costUsd += record.costUsd;
      return;
    }
    const unit = step.units.get(-1);
    if (unit) unit.endMs = record.endMs;
    step.endMs = record.endMs;
    step.failed = record.status === 'error';
    step.source = record.source;
    if (record.kind !== 'map') this.costUsd += record.costUsd;
  }

  /** Where the run is now, `nowMs` from its start, drawn `width` columns wide. */
  render(nowMs: number, width: number, paint: Paint): string[] {
    const now = Math.max(nowMs, this.lastAtMs);
    const rows = [...this.steps.values()].map((step) => this.row(step, now));
    const waiting = now < this.deferredMs && this.steps.size === 0;
    // As in the final waterfall, a deferred run's axis and clock start at its first step.
    const originMs = Math.max(
      0,
      Math.min(this.deferredMs, ...[...this.steps.values()].map((step) => step.startMs)),
    );
    const waited = originMs > 0 ? `, after waiting ${formatWait(originMs)}` : '';
    const header = waiting
      ? `${paint.bold(inert(this.chain))} waiting for cheaper prices: starts in ${formatWait(this.deferredMs - now)}`
      : `${paint.bold(inert(this.chain))} running ${formatDuration(now - originMs)}${waited} · ${formatUsd(this.costUsd)} so far`;
    return [
      truncate(header, width),
      ...formatBars(rows, Math.max(now, this.plannedMs), width, paint, waiting ? 0 : originMs),
    ];
  }

  private row(step: LiveStep, now: number): BarRow {
    const units = [...step.units.values()].map((unit) => ({
      ...unit,
      endMs: unit.endMs ?? now,
      running: unit.endMs === undefined,
    }));
    const total =
      step.total ?? (this.expected.has(step.stepId) ? `~${this.expected.get(step.stepId)}` : '?');
    const progress = step.kind === 'map' ? ` ${step.done}/${total}` : '';
    const held = this.held.get(step.stepId);
    const waits =
      held && now < held.startMs ? ` · ${held.items} wait ${formatWait(held.startMs - now)}` : '';
    const note =
      step.endMs === undefined
        ? `${formatDuration(now - step.startMs)}…${waits}`
        : step.failed
          ? 'failed'
          : step.source === 'cache'
            ? 'cached'
            : step.source === 'resumed'
              ? 'resumed'
              : formatDuration(step.endMs - step.startMs);
    return {
      label: `${inert(step.stepId)}${progress}${step.retries ? ` ↻${step.retries}` : ''}`,
      critical: this.critical.has(step.stepId),
      lane: step.lane,
      failed: step.failed,
      units,
      span: { startMs: step.startMs, endMs: step.endMs ?? now },
      note,
    };
  }

  private seen(atMs: number): void {
    this.lastAtMs = Math.max(this.lastAtMs, atMs);
  }
}
