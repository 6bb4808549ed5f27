import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { nearestName } from '../errors/nearest-name';
import { canonicalModelId } from '../models/catalog';
import { mergeProfile, type ProfileOverride, profileOverrideFields } from '../models/merge-profile';
import type { ModelProfile } from '../models/profile';

/**
 * How one emulated model really behaves, where it differs from the profile the scheduler
 * believes: any profile figure (speed, first token, prices, price windows), and how its timing
 * spreads.
 *
 * @example
 * ```ts
 * { outputTokensPerSecond: 60, spread: { firstToken: 0.5 }, peakSlowdown: 1.5 }
 * ```
 */
export interface ModelTruth extends ProfileOverride {
  /**
   * Log-normal spreads (the σ of the logarithm) of each call's first token and output speed
   * around the profile's figures, which stay the medians: a first-token σ of 0.5 puts the p99
   * at about 3.2 times the p50 (e^(2.33σ)). @default { firstToken: 0.075, speed: 0.04 }, the
   * plain emulator's jitter
   */
  readonly spread?: { readonly firstToken?: number; readonly speed?: number };
  /**
   * Inside the model's price windows (DeepSeek's peak hours), first tokens take this many times
   * longer and decoding runs this many times slower. @default 1
   */
  readonly peakSlowdown?: number;
  /**
   * Automatic prefix caching, as DeepSeek's: the longest prefix of a prompt (in 64-token blocks)
   * that an earlier prompt to the model began with, within `ttlMs` of emulated time, is
   * reported and billed as cached input, and skips prefill. `false` turns it off.
   * @default { ttlMs: 3_600_000 }
   */
  readonly prefixCache?: boolean | { readonly ttlMs?: number };
}

/** A world that differs from the catalog: per model id, how the model really behaves. */
export type EmulatedTruth = Readonly<Record<string, ModelTruth>>;

/** A model's truth with every setting filled in. */
export interface ResolvedTruth {
  /** The profile the emulator really follows (speeds, first token, prices). */
  readonly profile: ModelProfile;
  readonly firstTokenSpread: number;
  readonly speedSpread: number;
  readonly peakSlowdown: number;
  /** Milliseconds a prompt's blocks stay cached; 0 when caching is off. */
  readonly cacheTtlMs: number;
}

const defaultFirstTokenSpread = 0.075;
const defaultSpeedSpread = 0.04;
const defaultCacheTtlMs = 3_600_000;
const worldFields = ['spread', 'peakSlowdown', 'prefixCache'];
/**
 * Checks `truth` against the profiles it changes and fills in its defaults, by profile id. A
 * model the truth does not name behaves as its profile, with the plain emulator's jitter and
 * prefix caching. Throws an `InvalidArgumentError` (or, for a profile figure, a
 * `ModelConfigError`) naming the model and the field.
 */
export function resolveTruth(
  truth: unknown,
  profiles: readonly ModelProfile[],
): Map<string, ResolvedTruth> {
  if (typeof truth !== 'object' || truth === null || Array.isArray(truth)) {
    throw new InvalidArgumentError({
      argument: 'truth',
      expected: 'an object of model truths by model id',
      value: truth,
    });
  }
  const given = truth as Record<string, unknown>;
  const ids = profiles.map((profile) => profile.id);
  const byId = new Map<string, ModelTruth>();
  for (const [key, value] of Object.entries(given)) {
    const id = ids.find((known) => known === key || known === canonicalModelId(key));
    if (id === undefined) {
      const near = nearestName(key, ids);
      throw new InvalidArgumentError({
        argument: `truth.${key}`,
        message: `Unknown model \`${key}\` in \`truth\`; ${near ? `did you mean \`${near}\`?` : `the emulated models are ${ids.map((known) => `\`${known}\``).join(', ')}`}`,
      });
    }
    byId.set(id, checkModelTruth(key, value));
  }
  return new Map(
    profiles.map((profile) => [profile.id, resolveOne(profile, byId.get(profile.id) ?? {})]),
  );
}

function checkModelTruth(key: string, value: unknown): ModelTruth {
  const at = `truth.${key}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: at,
      expected: 'an object of profile figures and spread settings',
      value,
    });
  }
  const known = [...profileOverrideFields, ...worldFields];
  for (const field of Object.keys(value)) {
    if (known.includes(field)) continue;
    const near = nearestName(field, known);
    throw new InvalidArgumentError({
      argument: `${at}.${field}`,
      message: `Unknown field \`${at}.${field}\`; ${near ? `did you mean \`${near}\`?` : `a model truth has ${known.map((name) => `\`${name}\``).join(', ')}`}`,
    });
  }
  const truth = value as ModelTruth;
  if (truth.spread !== undefined) {
    if (typeof truth.spread !== 'object' || truth.spread === null || Array.isArray(truth.spread))
      throw new InvalidArgumentError({
        argument: `${at}.spread`,
        expected: 'an object with `firstToken` and `speed`',
        value: truth.spread,
      });
    for (const field of Object.keys(truth.spread)) {
      if (field !== 'firstToken' && field !== 'speed')
        throw new InvalidArgumentError({
          argument: `${at}.spread.${field}`,
          message: `Unknown field \`${at}.spread.${field}\`; a spread has \`firstToken\` and \`speed\``,
        });
      const sigma = (truth.spread as Record<string, unknown>)[field];
      if (typeof sigma !== 'number' || !(sigma >= 0) || sigma > 3)
        throw new InvalidArgumentError({
          argument: `${at}.spread.${field}`,
          expected: 'a number from 0 to 3 (the σ of a log-normal spread)',
          value: sigma,
        });
    }
  }
  const slowdown = truth.peakSlowdown;
  if (slowdown !== undefined && !(typeof slowdown === 'number' && slowdown > 0 && slowdown < 1e6))
    throw new InvalidArgumentError({
      argument: `${at}.peakSlowdown`,
      expected: 'a number above 0 (1 is as fast as off-peak)',
      value: slowdown,
    });
  const cache = truth.prefixCache;
  if (cache !== undefined && typeof cache !== 'boolean') {
    const ttl = (cache as { ttlMs?: unknown } | null)?.ttlMs;
    const shapeOk = typeof cache === 'object' && cache !== null && !Array.isArray(cache);
    if (!shapeOk || Object.keys(cache).some((field) => field !== 'ttlMs'))
      throw new InvalidArgumentError({
        argument: `${at}.prefixCache`,
        expected: '`true`, `false` or `{ ttlMs }`',
        value: cache,
      });
    if (ttl !== undefined && !(typeof ttl === 'number' && ttl > 0))
      throw new InvalidArgumentError({
        argument: `${at}.prefixCache.ttlMs`,
        expected: 'a number of milliseconds above 0',
        value: ttl,
      });
  }
  return truth;
}

function resolveOne(profile: ModelProfile, truth: ModelTruth): ResolvedTruth {
  const { spread, peakSlowdown = 1, prefixCache = true, ...figures } = truth;
  return {
    profile: Object.keys(figures).length === 0 ? profile : mergeProfile(profile, figures),
    firstTokenSpread: spread?.firstToken ?? defaultFirstTokenSpread,
    speedSpread: spread?.speed ?? defaultSpeedSpread,
    peakSlowdown,
    cacheTtlMs:
      prefixCache === false
        ? 0
        : prefixCache === true
          ? defaultCacheTtlMs
          : (prefixCache.ttlMs ?? defaultCacheTtlMs),
  };
}
