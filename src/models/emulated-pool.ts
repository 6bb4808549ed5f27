import { type Clock, createSystemClock } from '../clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import { catalog } from './catalog';
import { createModelPool, defineModel, type ModelPool } from './pool';
import type { ModelProfile } from './profile';

/** Options of {@link createEmulatedPool}. */
export interface EmulatedPoolOptions {
  /** Profiles to emulate. @default every catalog model */
  profiles?: readonly ModelProfile[];
  /** Runs emulated time this many times faster than the wall clock. @default 1 */
  timeScale?: number;
  /** A clock to run on instead (for example `createVirtualClock()` in tests). */
  clock?: Clock;
  /** Seed of the emulated text and timing jitter. @default 1 */
  seed?: number;
}

/**
 * A pool of emulated catalog models: no network, no keys, deterministic text and usage, and the
 * profiles' timing on the pool's clock.
 */
export function createEmulatedPool(options: EmulatedPoolOptions = {}): ModelPool {
  const { profiles = Object.values(catalog), seed = 1 } = options;
  const clock = options.clock ?? createSystemClock({ timeScale: options.timeScale ?? 1 });
  const entries = profiles.map((profile) =>
    defineModel(createEmulatedModel({ profile, clock, seed }), profile),
  );
  const scale = options.clock
    ? ''
    : options.timeScale && options.timeScale !== 1
      ? ` at ${options.timeScale}x`
      : '';
  return createModelPool(entries, {
    clock,
    description: `the built-in emulator${scale}: ${entries.map((entry) => entry.id).join(', ')}`,
  });
}
