import { EventEmitter } from 'eventemitter3';
import type { HotpathEventName, HotpathEvents, HotpathListener } from './events';

/** Subscribing to a runtime's events. */
export interface EventSource {
  on<E extends HotpathEventName>(event: E, listener: HotpathListener<E>): () => void;
  off<E extends HotpathEventName>(event: E, listener: HotpathListener<E>): void;
}

/**
 * The runtime's typed emitter: a listener that throws, or an async one that rejects, is reported
 * and never breaks the run.
 */
export interface EventHub extends EventSource {
  emit<E extends HotpathEventName>(event: E, ...payload: HotpathEvents[E]): void;
  /** Whether anyone listens to `event` (lets the runtime skip building payloads). */
  has(event: HotpathEventName): boolean;
}

/**
 * Creates an event hub; `onListenerError` hears of every listener that throws or rejects, with the
 * payload.
 */
export function createEventHub(
  onListenerError: (event: HotpathEventName, error: unknown, payload: unknown) => void,
): EventHub {
  const emitter = new EventEmitter<HotpathEvents>();
  const guarded = new Map<object, Map<string, (payload: unknown) => void>>();

  const off = <E extends HotpathEventName>(event: E, listener: HotpathListener<E>) => {
    const wrappers = guarded.get(listener);
    const wrapper = wrappers?.get(event);
    if (wrapper === undefined) return;
    emitter.off(event, wrapper as never);
    wrappers!.delete(event);
    // A listener subscribed to nothing is let go: a run's listener must not outlive the run.
    if (wrappers!.size === 0) guarded.delete(listener);
  };

  return {
    on(event, listener) {
      // Every event has one payload: passed on as it is, without gathering arguments.
      const wrapper = (payload: unknown) => {
        try {
          const result: unknown = (listener as (payload: unknown) => unknown)(payload);
          // An async listener rejects instead of throwing: report that the same way.
          if (isThenable(result)) {
            result.then(undefined, (error: unknown) => onListenerError(event, error, payload));
          }
        } catch (error) {
          onListenerError(event, error, payload);
        }
      };
      off(event, listener);
      const wrappers = guarded.get(listener) ?? new Map<string, (payload: unknown) => void>();
      guarded.set(listener, wrappers);
      wrappers.set(event, wrapper);
      emitter.on(event, wrapper as never);
      return () => off(event, listener);
    },
    off,
    emit: (event: HotpathEventName, payload?: unknown) => {
      (emitter.emit as (event: string, payload: unknown) => boolean).call(emitter, event, payload);
    },
    has: (event) => emitter.listenerCount(event) > 0,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
