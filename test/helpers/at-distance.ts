import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { Clock } from 'hotpath';

/**
 * `model` as if it were `roundTripMs` away: each call's response (its headers, what `doStream`
 * resolves with) comes that long later on `clock`, so the first token does too.
 */
export function atDistance<T extends LanguageModelV4>(
  model: T,
  clock: Clock,
  roundTripMs: number,
): T {
  return {
    ...model,
    doStream: async (options: Parameters<T['doStream']>[0]) => {
      await clock.sleep(roundTripMs, options.abortSignal);
      return model.doStream(options);
    },
  };
}
