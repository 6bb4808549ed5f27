import type { Attributes } from '@opentelemetry/api';
import { findProfile } from '../../models/catalog';
import { addUsage, emptyUsage, type TokenUsage } from '../../models/cost';
import { formatObjective } from '../../scheduler/explain';
import type { PlannedStep } from '../../scheduler/plan';
import type { StepStartEvent } from '../events';
import type { RunTrace, StepRecord } from '../records';
import { callRecords } from '../totals/units';

/**
 * A step's (or map item's) attributes: the GenAI semantic conventions for model calls
 * (`gen_ai.*`; `time_to_first_chunk` in seconds, as the convention says, timed from when the
 * answering call was sent) and hotpath's own (`hotpath.*`: lane, cost, slack, the prediction
 * beside what happened, the runtime clock's `duration_ms`, and `time_to_first_token_ms` from the
 * step's start, the waits before the answering call included). A record read back from the journal or the cache made no call: it says where
 * it came from (`hotpath.source`, `hotpath.replayed.*`) and carries no `gen_ai.*` usage or cost,
 * so that backends that price model calls do not count it again.
 */
export function stepAttributes(
  record: StepRecord,
  start: StepStartEvent | undefined,
  planned: PlannedStep | undefined,
): Attributes {
  const attributes: Attributes = {
    'hotpath.step.id': record.stepId,
    'hotpath.step.kind': record.kind,
    'hotpath.attempt': record.attempt,
    'hotpath.duration_ms': record.durationMs,
    'hotpath.source': record.source ?? 'call',
  };
  if (record.item !== undefined) attributes['hotpath.item'] = record.item;
  if (record.lane) attributes['hotpath.lane'] = record.lane;
  if (record.queueWaitMs !== undefined) attributes['hotpath.queue_wait_ms'] = record.queueWaitMs;
  if (record.retries) attributes['hotpath.retries'] = record.retries;
  if (record.fallbacks?.length) attributes['hotpath.fallbacks'] = [...record.fallbacks];
  if (planned && record.item === undefined) {
    attributes['hotpath.slack_ms'] = planned.slackMs;
    attributes['hotpath.critical'] = planned.critical;
    attributes['hotpath.predicted.duration_ms'] = planned.predicted.durationMs;
    attributes['hotpath.predicted.cost_usd'] = planned.predicted.costUsd;
  }
  if (record.items !== undefined) attributes['hotpath.items'] = record.items;
  if (record.source !== undefined && record.source !== 'call') {
    return Object.assign(attributes, replayedAttributes(record));
  }
  attributes['hotpath.cost_usd'] = record.costUsd;
  if (record.kind !== 'llm' || record.model === undefined) return attributes;
  const provider = record.provider ?? start?.provider ?? findProfile(record.model)?.provider;
  Object.assign(attributes, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': start?.model ?? record.plannedModel ?? record.model,
    'gen_ai.response.model': record.model,
    'gen_ai.usage.input_tokens': record.usage.inputTokens,
    'gen_ai.usage.output_tokens': record.usage.outputTokens,
    // Parts of the two counts above, as the convention has them.
    'gen_ai.usage.cache_read.input_tokens': record.usage.cachedInputTokens,
    'gen_ai.usage.reasoning.output_tokens': record.usage.reasoningTokens,
  });
  if (provider) attributes['gen_ai.provider.name'] = provider;
  if (record.endpoint !== undefined) attributes['hotpath.endpoint'] = record.endpoint;
  if (record.roundTripMs !== undefined) attributes['hotpath.round_trip_ms'] = record.roundTripMs;
  const firstChunkMs = ownTimeToFirstTokenMs(record);
  if (firstChunkMs !== undefined) {
    attributes['gen_ai.response.time_to_first_chunk'] = firstChunkMs / 1000;
  }
  // What the step waited for its first token, the waits before the answering call included.
  if (record.timeToFirstTokenMs !== undefined) {
    attributes['hotpath.time_to_first_token_ms'] = record.timeToFirstTokenMs;
  }
  return attributes;
}

/**
 * The answering call's own time to first token, from when it was sent: no limiter queue, failed
 * attempts or backoff before it. A record without `callStartMs` (older logs) is timed from the
 * step's start less its queue wait.
 */
function ownTimeToFirstTokenMs(record: StepRecord): number | undefined {
  if (record.callStartMs !== undefined && record.firstTokenMs !== undefined) {
    return Math.max(0, record.firstTokenMs - record.callStartMs);
  }
  if (record.timeToFirstTokenMs === undefined) return undefined;
  return Math.max(0, record.timeToFirstTokenMs - (record.queueWaitMs ?? 0));
}

function replayedAttributes(record: StepRecord): Attributes {
  const attributes: Attributes = {};
  if (record.model !== undefined) attributes['hotpath.model'] = record.model;
  if (record.replayed) {
    attributes['hotpath.replayed.run_id'] = record.replayed.runId;
    attributes['hotpath.replayed.duration_ms'] = record.replayed.durationMs;
    attributes['hotpath.replayed.cost_usd'] = record.replayed.costUsd;
  }
  return attributes;
}

/**
 * The chain span's attributes at the end: totals, critical path, baselines. Its `gen_ai.usage.*`
 * are the tokens this run called for, as its step spans' add up: records read back from the
 * journal or the cache are counted apart (`hotpath.resumed.*`, `hotpath.cached.*`), so a backend
 * that sums usage does not count them again. `hotpath.cost_usd` is the run's, as its trace has it
 * (a resumed record's cost counted as already paid, a cached one's not).
 */
export function chainAttributes(trace: RunTrace): Attributes {
  const called = emptyUsage();
  const replayed: Partial<Record<'resumed' | 'cache', Replayed>> = {};
  for (const unit of callRecords(trace.steps, trace.items)) {
    const source = unit.source ?? 'call';
    if (source === 'call') addUsage(called, unit.usage);
    else {
      replayed[source] ??= { units: 0, usage: emptyUsage(), costUsd: 0 };
      const sum = replayed[source];
      sum.units += 1;
      addUsage(sum.usage, unit.usage);
      sum.costUsd += unit.replayed?.costUsd ?? unit.costUsd;
    }
  }
  const attributes: Attributes = {
    'gen_ai.usage.input_tokens': called.inputTokens,
    'gen_ai.usage.output_tokens': called.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': called.cachedInputTokens,
    'gen_ai.usage.reasoning.output_tokens': called.reasoningTokens,
    ...replayedTotals('hotpath.resumed', replayed.resumed),
    ...replayedTotals('hotpath.cached', replayed.cache),
    'hotpath.cost_usd': trace.costUsd,
    'hotpath.duration_ms': trace.durationMs,
    'hotpath.calls': trace.calls,
    'hotpath.critical_path': [...trace.criticalPath],
    'hotpath.objective': formatObjective(trace.plan.objective),
    'hotpath.predicted.duration_ms': trace.plan.durationMs,
    'hotpath.predicted.cost_usd': trace.plan.costUsd,
  };
  if (trace.baselines) {
    attributes['hotpath.baseline.all_fast_usd'] = trace.baselines.allFast;
    attributes['hotpath.baseline.all_cheap_usd'] = trace.baselines.allCheap;
    if (trace.baselines.reference) {
      attributes['hotpath.baseline.reference_model'] = trace.baselines.reference.model;
      attributes['hotpath.baseline.reference_usd'] = trace.baselines.reference.costUsd;
    }
  }
  return attributes;
}

interface Replayed {
  units: number;
  readonly usage: TokenUsage;
  costUsd: number;
}

/** What the records read back from one source cost (and used) when they ran; none when none. */
function replayedTotals(prefix: string, sum: Replayed | undefined): Attributes {
  if (sum === undefined) return {};
  const attributes: Attributes = {
    [`${prefix}.units`]: sum.units,
    [`${prefix}.cost_usd`]: sum.costUsd,
  };
  // A cache record keeps no usage (it cost nothing here): only a resumed one has tokens to say.
  if (prefix === 'hotpath.resumed') {
    attributes[`${prefix}.input_tokens`] = sum.usage.inputTokens;
    attributes[`${prefix}.output_tokens`] = sum.usage.outputTokens;
  }
  return attributes;
}
