import type { ModelPool } from '../models/pool';
import { secretsOfPool } from '../models/secrets';
import type { EventHub } from '../tracing/event-hub';
import type { HotpathEventName } from '../tracing/events';
import { createSecretMasker, maskError, secretsFromEnv } from '../tracing/log/redact';
import type { RunTrace, StepRecord } from '../tracing/records';

/** The runtime's masker: the keys the pool was built with, secret environment values, patterns. */
export function createRuntimeMasker(pool: ModelPool): (text: string) => string {
  return createSecretMasker([...secretsOfPool(pool), ...secretsFromEnv()]);
}

// The events that carry a provider's words (error messages, fallback reasons) in errors or
// strings of their own; the others hold only ids, numbers and the user's own prompts.
const carriers = new Set<HotpathEventName>(['step:retry', 'step:fallback', 'step:error']);

/**
 * The hub with every error message masked before any listener hears it. It masks the payload in
 * place, so the step records and the trace the run returns are clean too. Records and traces
 * hold a provider's words only in `error` and in warnings: those fields are masked, without a
 * walk over every step of every trace.
 */
export function maskingHub(hub: EventHub, mask: (text: string) => string): EventHub {
  return {
    ...hub,
    emit: (event, ...payload) => {
      if (event === 'step:end') maskRecord(payload[0] as StepRecord, mask);
      else if (event === 'chain:end') maskTrace(payload[0] as RunTrace, mask);
      else if (carriers.has(event)) maskError(payload[0], mask);
      hub.emit(event, ...payload);
    },
  };
}

function maskRecord(record: StepRecord, mask: (text: string) => string): void {
  if (typeof record.error !== 'string') return;
  const masked = mask(record.error);
  if (masked !== record.error) (record as { error?: string }).error = masked;
}

function maskTrace(trace: RunTrace, mask: (text: string) => string): void {
  for (const record of trace.steps) maskRecord(record, mask);
  for (const items of Object.values(trace.items)) for (const item of items) maskRecord(item, mask);
  if (trace.error !== undefined) {
    const masked = mask(trace.error.message);
    if (masked !== trace.error.message) (trace.error as { message: string }).message = masked;
  }
  for (const warning of trace.warnings) {
    const masked = mask(warning.message);
    if (masked !== warning.message) (warning as { message: string }).message = masked;
  }
}
