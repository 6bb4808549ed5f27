import { pipelineProducer, type StepNode } from '../chain';
import { StepError } from '../errors';
import { linkController } from './abort-link';
import { openFeed, type PipelineFeed } from './pipeline-feed';
import { runItem, skipped, spendOf } from './run-map';
import { elapsed, type RunState, recordStep } from './run-state';
import { guard, recordFailure } from './step-guard';

/** Why a pipelined item was stopped: its producer's output no longer holds it. */
export class PipelineItemCancelledError extends Error {
  constructor(stepId: string, index: number) {
    super(`item ${index} of \`${stepId}\` was stopped: its producer's output changed it`);
    this.name = 'PipelineItemCancelledError';
  }
}

const feeds = new WeakMap<RunState, Map<string, PipelineFeed>>();

/**
 * For a pipelined map: listens to its producer at once (before the producer starts) and returns
 * what the map waits for before it runs: its other needs only.
 */
export function pipelineReady(
  state: RunState,
  step: StepNode,
  done: ReadonlyMap<string, Promise<void>>,
): Promise<unknown> {
  const producer = pipelineProducer(state.chain.steps, step.needs)!;
  const feed = openFeed(state, producer.id);
  feed.producerDone = done.get(producer.id);
  const byStep = feeds.get(state) ?? new Map<string, PipelineFeed>();
  feeds.set(state, byStep);
  byStep.set(step.id, feed);
  return Promise.all(step.needs.filter((need) => need !== producer.id).map((n) => done.get(n)));
}

/** One item as the map knows it: its content, and its run once started. */
interface Slot {
  readonly key: string;
  readonly item: unknown;
  controller?: AbortController;
  result?: { value: unknown };
}

/**
 * Runs a pipelined map: `over` is called on each partial output of the producer, and every item
 * but the last it returns is complete (a later one has begun) and starts, in order, at the map's
 * concurrency; when the producer is done, `over` on its final output gives every item.
 *
 * The rule for a producer that fails and is tried again, or changes its mind: an item is known
 * by its index and its content. The items of a new attempt that equal the ones already started
 * are not started again; one that differs stops the started item at its index (its spend stays
 * in the trace) and starts in its place; items beyond the final output's end are stopped. So the
 * output is what the map gives without `pipeline`, and no item runs twice with the same content.
 */
export async function runPipelinedMap(
  state: RunState,
  step: StepNode,
  context: Record<string, unknown>,
): Promise<unknown[]> {
  const feed = feeds.get(state)!.get(step.id)!;
  const planned = state.plan.step(step.id);
  const concurrency = step.concurrency ?? 1;
  const slots: Slot[] = [];
  let running = 0;
  let startMs: number | undefined;
  let failure: { error: unknown } | undefined;
  let final = false;
  let changed = deferred();

  const begin = () => {
    if (startMs !== undefined) return;
    startMs = elapsed(state);
    state.hub.emit('step:start', {
      runId: state.runId,
      stepId: step.id,
      kind: 'map',
      atMs: startMs,
      model: planned?.model,
      lane: planned?.lane,
    });
  };
  const start = (index: number, slot: Slot) => {
    begin();
    const link = linkController(state.controller.signal);
    slot.controller = link.controller;
    running += 1;
    // The item runs on the run's state with its own controller, so that it can be stopped alone.
    const itemState: RunState = Object.create(state, { controller: { value: link.controller } });
    runItem(itemState, step, slot.item, index)
      .then(
        (value) => {
          if (slots[index] === slot) slot.result = { value };
        },
        (error: unknown) => {
          if (slots[index] !== slot || failure) return;
          failure = { error };
          state.controller.abort(error);
        },
      )
      .finally(() => {
        link.unlink();
        running -= 1;
        pump();
        changed.resolve();
      });
  };
  const pump = () => {
    for (let index = 0; index < slots.length && running < concurrency && !failure; index++) {
      const slot = slots[index]!;
      if (slot.controller === undefined) start(index, slot);
    }
  };
  const learn = (items: readonly unknown[], complete: number) => {
    for (let index = 0; index < complete; index++) {
      const key = keyOf(items[index]);
      const known = slots[index];
      if (known?.key === key) continue;
      known?.controller?.abort(new PipelineItemCancelledError(step.id, index));
      slots[index] = { key, item: items[index] };
    }
    if (final) {
      for (const extra of slots.splice(complete))
        extra.controller?.abort(new PipelineItemCancelledError(step.id, complete));
    }
    pump();
  };
  const onPartial = () => {
    if (final || failure) return;
    const items = partialItems(step, context, feed);
    if (items) learn(items, items.length - 1);
  };
  feed.onUpdate = onPartial;
  onPartial();

  const fields = () => ({
    stepId: step.id,
    kind: 'map' as const,
    model: planned?.model,
    lane: planned?.lane,
    startMs: startMs ?? elapsed(state),
  });
  try {
    await feed.producerDone;
    feed.close();
    const finalContext = { ...context, [feed.producer]: state.outputs.get(feed.producer) };
    const items = await guard(state, step, 'map-items', undefined, () => step.over!(finalContext));
    if (!Array.isArray(items)) {
      throw new StepError({
        chain: state.chain.name,
        stepId: step.id,
        reason: 'map-items',
        message: `Expected \`over\` to return an array of items, got \`${String(items)}\` (${typeof items})`,
      });
    }
    final = true;
    begin();
    learn(items, items.length);
    while (running > 0 || (!failure && slots.some((slot) => slot.result === undefined))) {
      await changed.promise;
      changed = deferred();
    }
    if (failure) throw failure.error;
    let results = slots.map((slot) => slot.result!.value);
    if (step.onItemError === 'skip') results = results.filter((result) => result !== skipped);
    recordStep(state, {
      ...fields(),
      status: 'ok',
      ...spendOf(state, step.id),
      items: items.length,
    });
    return results;
  } catch (error) {
    feed.close();
    state.controller.abort(error);
    while (running > 0) {
      await changed.promise;
      changed = deferred();
    }
    const cause = failure?.error ?? error;
    recordFailure(state, { ...fields(), ...spendOf(state, step.id), items: slots.length }, cause);
    throw cause;
  }
}

/** `over` on the producer's partial output: undefined when it throws, awaits, or gives no array. */
function partialItems(
  step: StepNode,
  context: Record<string, unknown>,
  feed: PipelineFeed,
): readonly unknown[] | undefined {
  if (feed.partial === undefined) return undefined;
  try {
    const items = step.over!({ ...context, [feed.producer]: feed.partial });
    return Array.isArray(items) ? items : undefined;
  } catch {
    return undefined;
  }
}

function keyOf(item: unknown): string {
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return String(item);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
