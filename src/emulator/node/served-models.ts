import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { nearestName } from '../../errors/nearest-name';
import { catalog, catalogAliases, findProfile } from '../../models/catalog';
import type { ModelProfile } from '../../models/profile';
import { validateProfile } from '../../models/validate-profile';

/**
 * The profiles `startEmulator({ models })` serves: a catalog id or alias stands for its profile, a
 * profile is checked as a pool checks it. Throws naming the entry (`models[1]`) and the nearest
 * catalog id for a name the catalog lacks, and refuses an empty list or one model twice.
 */
export function resolveServedModels(models: unknown): readonly ModelProfile[] {
  if (!Array.isArray(models) || models.length === 0) {
    throw new InvalidArgumentError({
      argument: 'models',
      expected: 'a non-empty array of catalog model ids or profiles',
      value: models,
    });
  }
  const served = models.map((entry: unknown, index) => {
    const argument = `models[${index}]`;
    if (typeof entry === 'string') return byId(entry, argument);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InvalidArgumentError({
        argument,
        expected: 'a catalog model id or a profile',
        value: entry,
      });
    }
    validateProfile(entry as ModelProfile);
    return entry as ModelProfile;
  });
  served.forEach((profile, index) => {
    if (served.findIndex((other) => other.id === profile.id) === index) return;
    throw new InvalidArgumentError({
      argument: `models[${index}]`,
      message: `The model \`${profile.id}\` is in \`models\` twice (\`models[${index}]\`)`,
    });
  });
  return served;
}

function byId(id: string, argument: string): ModelProfile {
  const profile = findProfile(id);
  if (profile) return profile;
  const names = [...Object.keys(catalog), ...Object.keys(catalogAliases)];
  const near = nearestName(id, names);
  const hint = near
    ? `did you mean \`${near}\`?`
    : `the catalog has ${Object.keys(catalog)
        .map((known) => `\`${known}\``)
        .join(', ')}, or pass a profile`;
  throw new InvalidArgumentError({
    argument,
    message: `Unknown model \`${id}\` in \`${argument}\`; ${hint}`,
  });
}
