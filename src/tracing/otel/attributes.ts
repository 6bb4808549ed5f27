import type { Attributes } from '@opentelemetry/api';
import { findProfile } from '../../models/catalog';
import { formatObjective } from '../../scheduler/explain';
import type { PlannedStep } from '../../scheduler/plan';
import type { StepStartEvent } from '../events';
import type { RunTrace, StepRecord } from '../records';

/**
 * A step's (or map item's) attributes: the GenAI semantic conventions for model calls
 * (`gen_ai.*`; `time_to_first_chunk` in seconds, as the convention says) and hotpath's own
 * (`hotpath.*`: lane, cost, slack, the prediction beside what happened, and the runtime clock's
 * `duration_ms`). A record read back from the journal or the cache made no call: it says where
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
  if (record.timeToFirstTokenMs !== undefined) {
    attributes['gen_ai.response.time_to_first_chunk'] = record.timeToFirstTokenMs / 1000;
  }
  return attributes;
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

/** The chain span's attributes at the end: totals, critical path, baselines. */
export function chainAttributes(trace: RunTrace): Attributes {
  const attributes: Attributes = {
    'gen_ai.usage.input_tokens': trace.usage.inputTokens,
    'gen_ai.usage.output_tokens': trace.usage.outputTokens,
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
