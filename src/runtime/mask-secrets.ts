import type { ModelPool } from '../models/pool';
import { secretsOfPool } from '../models/secrets';
import type { EventHub } from '../tracing/event-hub';
import type { HotpathEventName } from '../tracing/events';
import { createSecretMasker, maskError, secretsFromEnv } from '../tracing/log/redact';

/** The runtime's masker: the keys the pool was built with, secret environment values, patterns. */
export function createRuntimeMasker(pool: ModelPool): (text: string) => string {
  return createSecretMasker([...secretsOfPool(pool), ...secretsFromEnv()]);
}

// The events that carry a provider's words (error messages, fallback reasons); the others hold
// only ids, numbers and the user's own prompts.
const carriers = new Set<HotpathEventName>([
  'step:retry',
  'step:fallback',
  'step:error',
  'step:end',
  'chain:end',
]);

/**
 * The hub with every error message masked before any listener hears it. It masks the payload in
 * place, so the step records and the trace the run returns are clean too.
 */
export function maskingHub(hub: EventHub, mask: (text: string) => string): EventHub {
  return {
    ...hub,
    emit: (event, ...payload) => {
      if (carriers.has(event)) maskError(payload[0], mask);
      hub.emit(event, ...payload);
    },
  };
}
