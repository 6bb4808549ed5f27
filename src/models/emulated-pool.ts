import { type Clock, createSystemClock } from '../clock';
import { createEmulatedClock } from '../clock/emulated-clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import type { EmulatorFaults } from '../emulator/faults';
import { assertSeed, createEmulatorSession } from '../emulator/session';
import type { EmulatorStats } from '../emulator/stats';
import type { EmulatedTruth } from '../emulator/truth';
import { createEmulatedWorld } from '../emulator/world';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertKnownKeys, assertObject, type OptionKeys } from '../errors/option-checks';
import { catalog } from './catalog';
import { createModelPool, defineModel, type ModelPool } from './pool';
import type { ModelProfile } from './profile';

/** Options of {@link createEmulatedPool}. */
export interface EmulatedPoolOptions {
  /** Profiles to emulate. @default every catalog model */
  profiles?: readonly ModelProfile[];
  /**
   * Runs the models' waits this many times faster than the wall clock; hotpath's own work runs
   * at the wall clock's pace, so a trace reads in the models' time. @default 1
   */
  timeScale?: number;
  /**
   * A clock to run on instead (for example `createVirtualClock()` in tests); it sets the pace, so
   * it takes no `timeScale` beside it.
   */
  clock?: Clock;
  /** Seed (a whole number) of the emulated text, timing jitter and fault draws. @default 1 */
  seed?: number;
  /**
   * Faults to inject, shared by the pool's models (a rule for all models counts all requests).
   * They fail with the `APICallError`s the HTTP emulator gives through `@ai-sdk/openai`; see
   * `EmulatorFault`. @default none
   */
  faults?: EmulatorFaults;
  /**
   * A world that differs from the profiles the scheduler plans with, per model id: other speeds,
   * first tokens and prices (any profile figure), heavy-tailed spreads, slower peak hours, and
   * automatic prefix caching (on by default in such a world). The pool's profiles stay the
   * believed ones; the models run, time and bill by the truth. See `ModelTruth`. @default none:
   * the models follow their profiles
   *
   * @example
   * ```ts
   * models.emulated({ truth: { 'deepseek-flash': { outputTokensPerSecond: 60, spread: { firstToken: 0.5 } } } })
   * ```
   */
  truth?: EmulatedTruth;
  /**
   * Keeps every request in `stats().requestLog` (the HTTP emulator's log: model, prompt, start
   * on the pool's clock, end, billed tokens), for tests that count who asked what. @default false
   */
  requestLog?: boolean;
}

const optionKeys: OptionKeys<EmulatedPoolOptions> = {
  profiles: true,
  timeScale: true,
  clock: true,
  seed: true,
  faults: true,
  truth: true,
  requestLog: true,
};

/** An emulated pool: a model pool that also counts what its models served. */
export interface EmulatedPool extends ModelPool {
  /** Requests, tokens and faults per model, and the concurrency peak, so far. */
  stats(): EmulatorStats;
}

/**
 * A pool of emulated catalog models: no network, no keys, deterministic text and usage, and the
 * profiles' timing on the pool's clock.
 *
 * @example
 * ```ts
 * const pool = createEmulatedPool({ timeScale: 100, faults: [{ fault: { kind: 'cut' }, rate: 0.1 }] });
 * ```
 */
export function createEmulatedPool(options: EmulatedPoolOptions = {}): EmulatedPool {
  assertKnownKeys(assertObject('options', options), Object.keys(optionKeys), 'models.emulated');
  const { profiles = Object.values(catalog), seed = 1 } = options;
  assertSeed(seed);
  if (options.clock !== undefined && options.timeScale !== undefined) {
    // The clock keeps the pace: a time scale beside it would be ignored without a word.
    throw new InvalidArgumentError({
      argument: 'timeScale',
      message: `Expected \`timeScale\` to be left out when \`clock\` is given (the clock sets the pace: \`createSystemClock({ timeScale })\` for a faster wall clock), got \`${options.timeScale}\``,
    });
  }
  // Emulated waits at the time scale, hotpath's own work at the wall clock's pace: one timeline.
  const clock =
    options.clock ??
    (options.timeScale === undefined || options.timeScale === 1
      ? createSystemClock()
      : createEmulatedClock({ timeScale: options.timeScale }));
  const session = createEmulatorSession({
    seed,
    faults: options.faults,
    models: profiles.map((profile) => profile.id),
    requestLog: options.requestLog ? clock : undefined,
  });
  const world =
    options.truth === undefined
      ? undefined
      : createEmulatedWorld({ truth: options.truth, profiles, clock, seed });
  const entries = profiles.map((profile) =>
    defineModel(
      createEmulatedModel({
        profile: world?.profileOf(profile) ?? profile,
        clock,
        seed,
        session,
        world,
      }),
      profile,
    ),
  );
  const scale = options.clock
    ? ''
    : options.timeScale && options.timeScale !== 1
      ? ` at ${options.timeScale}x`
      : '';
  const pool = createModelPool(entries, {
    clock,
    description: `the built-in emulator${scale}${world ? ' in a world that differs from the profiles' : ''}: ${entries.map((entry) => entry.id).join(', ')}`,
  });
  return { ...pool, stats: session.stats };
}
