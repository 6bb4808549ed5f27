import type { StepNode } from '../chain';
import { clockEpochMs } from '../clock/clock';
import type { PlannedStep } from '../scheduler/plan';
import type { RunState } from './run-state';

/** A map's items held for a cheaper price window: which, and how long the first one waited. */
export interface ItemHold {
  /** The wait before item `index` may start, or `undefined` when it need not wait. */
  before(index: number): Promise<void> | undefined;
  /** What the map's record says: how many items were held, and the wait (0 before any ran). */
  summary(): { readonly items: number; readonly waitedMs: number };
}

/**
 * The hold a plan's {@link PlannedStep.deferred} puts on a map's last items (or on a whole step,
 * its one unit): they start once the runtime's calendar reaches `startsAt` (one shared,
 * cancellable wait), the others at once. The plan's share of items is held when the map has a
 * different count than it expected; units finished by an earlier attempt of a durable run are
 * read back without waiting.
 */
export function holdItems(
  state: RunState,
  step: StepNode,
  planned: PlannedStep | undefined,
  count: number,
): ItemHold | undefined {
  const deferred = planned?.deferred;
  // Every step passes here: nothing is read from the clock unless the plan holds this one.
  if (deferred === undefined) return undefined;
  const now = clockEpochMs(state.clock);
  if (now === undefined || deferred.startsAt <= now) return undefined;
  const expected = Math.max(1, planned!.items ?? deferred.items);
  const held = Math.min(count, Math.round((count * deferred.items) / expected));
  if (held <= 0) return undefined;
  const from = count - held;
  let wait: Promise<void> | undefined;
  let waitedMs = 0;
  return {
    before(index) {
      const unit = step.kind === 'map' ? `${step.id}#${index}` : step.id;
      if (index < from || state.journal?.stored.has(unit)) return undefined;
      wait ??= (async () => {
        const startedAt = state.clock.now();
        const epoch = clockEpochMs(state.clock) ?? deferred.startsAt;
        try {
          await state.clock.sleep(Math.max(0, deferred.startsAt - epoch), state.controller.signal);
        } finally {
          waitedMs = state.clock.now() - startedAt;
        }
      })();
      return wait;
    },
    summary: () => ({ items: held, waitedMs }),
  };
}
