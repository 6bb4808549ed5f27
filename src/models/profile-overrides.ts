import { ModelConfigError } from '../errors';
import { nameHint } from '../errors/nearest-name';
import { mergeProfile, type ProfileOverride, profileOverrideFields } from './merge-profile';
import { createModelPool, type ModelPool } from './pool';

/**
 * Figures to change in some of a pool's profiles, by model id: what `hotpath calibrate --out`
 * writes (measured first token and speed), or any {@link ProfileOverride} written by hand.
 *
 * @example
 * ```json
 * { "version": 1, "models": { "mercury-2": { "timeToFirstTokenMs": 610, "outputTokensPerSecond": 702 } } }
 * ```
 */
export interface ProfileOverrides {
  /** The file format's version. @default 1 */
  readonly version?: 1;
  /** Where the figures come from (`hotpath calibrate` says which logs and when). */
  readonly source?: string;
  readonly models: Readonly<Record<string, ProfileOverride>>;
}

/**
 * `pool` with the profiles of `overrides` merged in (each figure validated, a bad one named), for
 * the scheduler to plan with: load what `hotpath calibrate --out FILE` wrote. Ids the pool does
 * not have are skipped (a log may cover more models than one pool); catalog aliases match.
 *
 * @example
 * ```ts
 * const overrides = JSON.parse(readFileSync('.hotpath/profiles.json', 'utf8'));
 * const runtime = createRuntime({ models: models.withOverrides(models.fromEnv(), overrides) });
 * ```
 */
export function withOverrides<TPool extends ModelPool>(
  pool: TPool,
  overrides: ProfileOverrides,
): TPool {
  const byModel = readOverrides(overrides);
  const changed: string[] = [];
  const entries = pool.models.map((entry) => {
    const id = Object.keys(byModel).find((key) => matches(pool, key, entry.id));
    if (id === undefined) return entry;
    changed.push(entry.id);
    return { ...entry, profile: mergeProfile(entry.profile, byModel[id]) };
  });
  if (changed.length === 0) return pool;
  const rebuilt = createModelPool(entries, {
    description: `${pool.description} (profiles of ${changed.join(', ')} overridden)`,
    clock: pool.clock,
  });
  return { ...pool, ...rebuilt };
}

function matches(pool: ModelPool, key: string, id: string): boolean {
  if (key === id) return true;
  try {
    return pool.get(key).id === id;
  } catch {
    return false;
  }
}

function readOverrides(overrides: unknown): Record<string, ProfileOverride> {
  const fail = (message: string, model?: string) =>
    new ModelConfigError({ reason: 'invalid-profile', model, message });
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw fail(
      `Expected profile overrides to be an object with \`models\`, got \`${String(overrides)}\` (${typeof overrides})`,
    );
  }
  const { version, models } = overrides as { version?: unknown; models?: unknown };
  if (version !== undefined && version !== 1) {
    throw fail(
      `Expected profile overrides of \`version\` 1, got \`${String(version)}\`; this hotpath reads version 1`,
    );
  }
  if (typeof models !== 'object' || models === null || Array.isArray(models)) {
    throw fail(
      `Expected \`models\` of profile overrides to be an object of overrides by model id, got \`${String(models)}\` (${typeof models})`,
    );
  }
  for (const [id, override] of Object.entries(models)) {
    if (typeof override !== 'object' || override === null || Array.isArray(override)) {
      throw fail(
        `Expected \`models.${id}\` of profile overrides to be an object of profile figures, got \`${String(override)}\` (${typeof override})`,
        id,
      );
    }
    for (const field of Object.keys(override)) {
      if (profileOverrideFields.includes(field)) continue;
      const list = profileOverrideFields.map((name) => `\`${name}\``).join(', ');
      throw fail(
        `Unknown field \`models.${id}.${field}\` of profile overrides; ${nameHint(field, profileOverrideFields, `a profile has ${list}`)}`,
        id,
      );
    }
  }
  return models as Record<string, ProfileOverride>;
}
