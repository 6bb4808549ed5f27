import type { LlmStepDefinition, StepDefinition, StepNode } from '../chain';
import { emptyUsage } from '../models/cost';
import {
  type HashPrefix,
  hashAfter,
  hashPrefix,
  hashText,
  isPlainJson,
  stableText,
} from '../stores/hash';
import { keptRecord } from '../stores/journal-units';
import type { CachedUnit } from '../stores/run-store';
import type { RecordSource, StepRecord } from '../tracing/records';
import { type ResolvedPrompt, resolvePrompt } from './call-model';
import type { Journal } from './journal';
import { elapsed, type RunState, recordStep } from './run-state';

/**
 * Runs a step or map item without a journal (the runtime's own `runUnit` body), with the prompt
 * already resolved for the unit's key when it could be.
 */
export type CallUnit = (
  state: RunState,
  step: StepNode,
  definition: StepDefinition,
  arg: unknown,
  item?: number,
  resolved?: ResolvedPrompt,
) => Promise<unknown>;

/**
 * A step or map item of a durable run: read back from the journal when an earlier attempt
 * finished it under the same key (and nothing it reads ran again), else from the development
 * cache when on, else called and journaled.
 */
export function runJournaled(
  state: RunState,
  step: StepNode,
  definition: StepDefinition,
  arg: unknown,
  item: number | undefined,
  call: CallUnit,
): Promise<unknown> {
  const journal = state.journal!;
  // Resolved once, for the key and for the call: a prompt function runs once per unit.
  const resolved = definition.kind === 'llm' ? tryResolve(definition, arg) : undefined;
  const prompt = resolved && promptParts(resolved);
  const key = unitKey(
    journal.keys.unitPrefix.get(step.id) ?? hashPrefix(`${journal.keys.key.get(step.id)}|`),
    item === undefined ? '' : stableText(arg),
    prompt,
  );
  // A first attempt has nothing stored: no lookup key to build per item.
  const stored =
    journal.stored.size === 0
      ? undefined
      : journal.stored.get(item === undefined ? step.id : `${step.id}#${item}`);
  if (stored !== undefined && stored.key === key) {
    if (item === undefined ? upstreamReused(state, journal, step) : reuseItem(state, step)) {
      return Promise.resolve(replay(state, step, item, stored.record, stored.output, 'resumed'));
    }
  }
  const cacheKey = cacheKeyOf(state, journal, step, definition, prompt);
  const unit: Unit = { step, definition, arg, item, key, resolved };
  if (cacheKey === undefined) return callAndJournal(state, unit, call);
  // A cache that cannot be read only costs this run a call.
  const cachedUnit = journal.store.getCached(cacheKey).catch(() => undefined);
  return cachedUnit.then((cached) => {
    const ttlMs = journal.cache?.ttlMs;
    if (cached !== undefined && (ttlMs === undefined || journal.now() - cached.storedAt <= ttlMs)) {
      const output = replay(state, step, item, cached.record, cached.output, 'cache', cached);
      journalUnit(state, journal, step, item, key, output);
      return output;
    }
    return callAndJournal(state, unit, call, cacheKey);
  });
}

/**
 * A unit's key: the hash of `${step key}|${item}|${prompt}`, the item as its stable text (empty
 * for a step) and the prompt as `[system,prompt,messages]` (empty when it could not be resolved).
 * The step key's part is mixed in once per chain (`prefix`).
 */
function unitKey(
  prefix: HashPrefix,
  itemText: string,
  prompt: readonly [string, string, string] | undefined,
): string {
  return prompt === undefined
    ? hashAfter(prefix, itemText, '|')
    : hashAfter(prefix, itemText, '|[', prompt[0], ',', prompt[1], ',', prompt[2], ']');
}

/**
 * The resolved prompt's system, prompt and messages as stable text: part of a unit's key, so a
 * prompt that changed through a value its function closes over (which the source text does not
 * show) still re-runs the unit. Joined as `[system,prompt,messages]` they are
 * `stableText([system, prompt, messages])` of the resolved prompt.
 */
function promptParts(resolved: ResolvedPrompt): readonly [string, string, string] {
  const { system, prompt, messages } = resolved;
  return [stableText(system), stableText(prompt), stableText(messages)];
}

/** The unit's prompt, or `undefined` when its function throws (the call then reports it). */
function tryResolve(definition: LlmStepDefinition, arg: unknown): ResolvedPrompt | undefined {
  try {
    return resolvePrompt(definition, arg);
  } catch {
    return undefined;
  }
}

/** A unit to call: its step, what it is called with, and its key in the journal. */
interface Unit {
  readonly step: StepNode;
  readonly definition: StepDefinition;
  readonly arg: unknown;
  readonly item: number | undefined;
  readonly key: string;
  readonly resolved: ResolvedPrompt | undefined;
}

function callAndJournal(
  state: RunState,
  { step, definition, arg, item, key, resolved }: Unit,
  call: CallUnit,
  cacheKey?: string,
): Promise<unknown> {
  const journal = state.journal!;
  journal.called.add(step.id);
  // No async function: one promise per unit, not three.
  return call(state, step, definition, arg, item, resolved).then((output) => {
    journal.totals.called++;
    const record = journalUnit(state, journal, step, item, key, output);
    if (record === undefined) return output;
    if (cacheKey !== undefined) {
      journal.cachePut(cacheKey, {
        runId: state.runId,
        storedAt: journal.now(),
        output,
        record,
      });
    }
    journal.writer.throwIfFailed();
    // A step's entry is flushed before its dependents start (`journalStepDone`). A map item frees
    // its concurrency slot at once, unless more than `concurrency` entries wait for the next
    // write: then it holds the slot until the write under way ends (which hands its entry to the
    // store).
    if (item !== undefined && journal.writer.queued > (step.concurrency ?? 1)) {
      return journal.writer.written().then(() => output);
    }
    return output;
  });
}

/** Queues a unit entry for the record just made; an output that is not plain JSON is not kept. */
function journalUnit(
  state: RunState,
  journal: Journal,
  step: StepNode,
  item: number | undefined,
  key: string,
  output: unknown,
): StepRecord | undefined {
  const record = findRecord(state, step.id, item);
  if (record === undefined) return undefined;
  if (!isPlainJson(output)) {
    if (!state.warnings.some((warning) => warning.message.includes(`\`${step.id}\``))) {
      state.warnings.push({
        source: 'journal',
        message: `the output of \`${step.id}\` is not plain JSON: it is not journaled and runs again on resume`,
      });
    }
    return undefined;
  }
  // Written with the next batch: `journalStepDone` flushes it before what needs the step starts.
  // A map item is a row of its step's items entry; a step, an entry of its own.
  const at = journal.now();
  if (item !== undefined) void journal.writer.writeItem(record, key, output, at);
  else {
    void journal.write({
      type: 'unit',
      v: 3,
      at,
      stepId: step.id,
      key,
      output,
      record: keptRecord(record),
    });
  }
  return record;
}

/** The record `recordStep` made for a unit: the latest of its step (or of its item). */
function findRecord(state: RunState, stepId: string, item: number | undefined) {
  if (item === undefined) {
    const record = state.records[state.records.length - 1];
    return record?.stepId === stepId ? record : undefined;
  }
  const list = state.items.get(stepId);
  if (list === undefined) return undefined;
  for (let index = list.length - 1; index >= 0; index--) {
    if (list[index]!.item === item) return list[index];
  }
  return undefined;
}

/**
 * Whether a map item journaled under the same key can be reused: always, since its key holds the
 * item itself (and the map's definition and resolved prompt), even when the step that produced
 * the list ran again (a pipelined map's producer is journaled only after its items start). The
 * list may still differ (shorter, reordered), so when anything the map reads ran again, the map
 * counts as run again too: what reads the map runs again.
 */
function reuseItem(state: RunState, step: StepNode): boolean {
  const journal = state.journal!;
  if (!journal.called.has(step.id) && !upstreamReused(state, journal, step)) {
    journal.called.add(step.id);
  }
  return true;
}

/** Whether every step `step` reads was itself reused: one that ran again may have changed. */
function upstreamReused(state: RunState, journal: Journal, step: StepNode): boolean {
  if (journal.called.size === 0) return true;
  if (!step.readsAll) return step.needs.every((need) => !journal.called.has(need));
  for (const earlier of state.chain.steps) {
    if (earlier.id === step.id) return true;
    if (journal.called.has(earlier.id)) return false;
  }
  return true;
}

/** The cache key of an LLM unit when the cache is on for its step; `undefined` otherwise. */
function cacheKeyOf(
  state: RunState,
  journal: Journal,
  step: StepNode,
  definition: StepDefinition,
  prompt: readonly [string, string, string] | undefined,
): string | undefined {
  if (definition.kind !== 'llm' || prompt === undefined) return undefined;
  if (!(definition.cache ?? journal.cache !== undefined)) return undefined;
  const model = state.plan.step(step.id)?.model;
  return hashText(
    `${state.chain.name}|${step.id}|${journal.keys.own.get(step.id)}|${model ?? ''}|[${prompt.join(',')}]`,
  );
}

/**
 * A unit read back: its record in this run's trace (at this moment, taking no time), marked
 * with its source; a resumed unit carries its cost as already paid, a cached one costs nothing.
 */
function replay(
  state: RunState,
  step: StepNode,
  item: number | undefined,
  stored: StepRecord,
  output: unknown,
  source: RecordSource,
  cached?: CachedUnit,
): unknown {
  const journal = state.journal!;
  const startMs = elapsed(state);
  const costUsd = source === 'cache' ? 0 : stored.costUsd;
  state.hub.emit('step:start', {
    runId: state.runId,
    stepId: step.id,
    kind: stored.kind,
    item,
    model: stored.model,
    lane: stored.lane,
    provider: stored.provider,
    atMs: startMs,
  });
  if (item === undefined && step.id === state.answerStep) streamStoredText(state, step, output);
  recordStep(state, {
    stepId: step.id,
    kind: stored.kind,
    item,
    status: 'ok',
    model: stored.model,
    lane: stored.lane,
    provider: stored.provider,
    startMs,
    usage: source === 'cache' ? emptyUsage() : stored.usage,
    costUsd,
    attempt: stored.attempt,
    source,
    replayed: {
      runId: cached?.runId ?? state.runId,
      durationMs: stored.durationMs,
      costUsd: stored.costUsd,
    },
  });
  if (source === 'cache') {
    journal.totals.cached++;
    journal.totals.cachedCostUsd += stored.costUsd;
  } else {
    journal.totals.resumed++;
    journal.totals.resumedCostUsd += costUsd;
    // Already paid: it counts against the run's limit like a call made now.
    state.budget.spentUsd += costUsd;
  }
  return output;
}

/**
 * Hands a streamed run's answer read back its stored text as one delta, before its `step:end`
 * closes the text: no call streams it, and `textStream` and the UI text part would stay empty.
 * The answer is a text step (`findAnswerStep`), whose output is `{ text }` as the call made it.
 */
function streamStoredText(state: RunState, step: StepNode, output: unknown): void {
  const text = (output as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.length === 0) return;
  state.streams?.emit({ stepId: step.id, attempt: {}, text });
}
