import { InvalidArgumentError, ModelConfigError } from '../../errors';
import { catalog, catalogAliases, findProfile } from '../catalog';
import { mergeProfile, type ProfileOverride } from '../merge-profile';
import type { EndpointOptions } from '../pool';
import type { ModelProfile } from '../profile';

/**
 * Options every provider preset takes. `endpoint` (with `region`, `roundTripMs`, `pricing`)
 * names the place this entry serves from, so one model can be in a pool at several places.
 */
export interface PresetOptions<TModelId extends string> extends EndpointOptions {
  /** The provider's API key. @default the provider's environment variable (e.g. `INCEPTION_API_KEY`) */
  apiKey?: string;
  /**
   * Where the provider's API lives; point it at `hotpath emulate` to test offline.
   * @default the provider's (`https://api.inceptionlabs.ai/v1` for Inception)
   */
  baseURL?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A `fetch` to send requests with (to record or proxy them). @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** The catalog model to use. @default `mercury-2`, `deepseek-flash` or `gpt-5-mini` */
  model?: TModelId;
  /**
   * Figures that differ from the catalog's (prices change; measured speeds beat ours). Partial
   * `pricing` and `capabilities` merge with the catalog profile. An `id` names the pool entry,
   * so one model can be in a pool twice with different settings.
   */
  profile?: ProfileOverride;
}

/** The facts a preset needs about its provider. */
export interface ProviderFacts {
  /** As in the profiles' `provider` (`inception`). */
  readonly provider: string;
  /** For messages (`Inception`). */
  readonly label: string;
  /** The environment variable holding the key (`INCEPTION_API_KEY`). */
  readonly keyVariable: string;
}

/**
 * The provider's model name for a catalog id or alias, and its profile with the user's figures;
 * fails on an id that is not this provider's.
 */
export function resolvePresetModel(
  facts: ProviderFacts,
  modelId: string,
  override: ProfileOverride | undefined,
): { modelId: string; profile: ModelProfile } {
  const base = findProfile(modelId);
  if (base === undefined || base.provider !== facts.provider) {
    const known = Object.values(catalog)
      .filter((profile) => profile.provider === facts.provider)
      .map((profile) => {
        const aliases = Object.keys(catalogAliases).filter((a) => catalogAliases[a] === profile.id);
        return `\`${profile.id}\`${aliases.map((alias) => ` (alias \`${alias}\`)`).join('')}`;
      });
    throw new ModelConfigError({
      reason: 'unknown-model',
      model: modelId,
      message: `Unknown ${facts.label} model \`${modelId}\`; the catalog has ${known.join(', ')}. For another model, pair its AI SDK model with a profile of your own: \`defineModel(model, profile)\``,
    });
  }
  return { modelId: base.id, profile: mergeProfile(base, override) };
}

/** The key given or found in the environment; fails early, naming the variable, without one. */
export function resolveApiKey(facts: ProviderFacts, apiKey: string | undefined): string {
  const key = apiKey ?? readEnv()[facts.keyVariable];
  if (typeof key !== 'string' || key.trim() === '') {
    throw new InvalidArgumentError({
      argument: 'apiKey',
      expected: `an API key for ${facts.label} (or \`${facts.keyVariable}\` set)`,
      // Only an absent, blank or non-string key reaches here: never show it, only its kind.
      value: typeof key === 'string' ? '' : key === undefined ? undefined : `a ${typeof key}`,
    });
  }
  return key;
}

/** The process environment where there is one (Node, Bun, Deno's `process`); empty at the edge. */
export function readEnv(): Readonly<Record<string, string | undefined>> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env ?? {};
}

/** The endpoint fields of a preset's options, for `defineModel`. */
export function placeOf(options: EndpointOptions): EndpointOptions {
  const { endpoint, region, roundTripMs, pricing } = options;
  return { endpoint, region, roundTripMs, pricing };
}
