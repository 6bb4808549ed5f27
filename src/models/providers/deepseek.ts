import type { JSONObject, LanguageModelV4 } from '@ai-sdk/provider';
import { ModelConfigError } from '../../errors';
import { deepseekFlash } from '../catalog';
import { defineModel, type PoolModel } from '../pool';
import { rememberSecrets } from '../secrets';
import {
  type PresetOptions,
  type ProviderFacts,
  placeOf,
  resolveApiKey,
  resolvePresetModel,
} from './preset';
import { wrapModel } from './wrap-model';

const facts: ProviderFacts = {
  provider: 'deepseek',
  label: 'DeepSeek',
  keyVariable: 'DEEPSEEK_API_KEY',
};

/** DeepSeek models in the catalog (`deepseek-v4-flash`, the old name, is an alias of `deepseek-flash`). */
export type DeepSeekModelId = 'deepseek-flash' | 'deepseek-v4-flash' | 'deepseek-v4-pro';

/** `createDeepSeek` from `@ai-sdk/deepseek`, or anything shaped like it. */
export type DeepSeekFactory = (settings: {
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}) => { chat(modelId: string): LanguageModelV4 };

/** DeepSeek's own call options (`providerOptions.deepseek`), as `@ai-sdk/deepseek` reads them. */
export interface DeepSeekCallOptions {
  /** Thinking mode; the API's default is `enabled` for V4 models (reasoning tokens bill as output). */
  thinking?: { type?: 'enabled' | 'disabled' };
  reasoningEffort?: 'low' | 'high' | 'max';
  [option: string]: unknown;
}

/** Options of {@link createDeepSeekModel}. */
export interface DeepSeekOptions extends PresetOptions<DeepSeekModelId> {
  /**
   * `createDeepSeek` from `@ai-sdk/deepseek` (an optional peer). Without it the package is
   * imported on the first call, which needs a runtime that can import packages at run time (Node,
   * Bun, Deno); pass it where bundles are fixed at build time, as at the edge.
   */
  createDeepSeek?: DeepSeekFactory;
  /**
   * Provider options every call gets. Thinking is off unless set here, e.g.
   * `{ thinking: { type: 'enabled' }, reasoningEffort: 'high' }`.
   * @default { thinking: { type: 'disabled' } }
   */
  providerOptions?: DeepSeekCallOptions;
}

/**
 * DeepSeek V4 Flash (or Pro) through `@ai-sdk/deepseek`, which keeps the model's
 * `reasoning_content`, with its catalog profile.
 *
 * @example
 * ```ts
 * import { createDeepSeek } from '@ai-sdk/deepseek';
 * const pro = models.deepseek({ model: 'deepseek-v4-pro', createDeepSeek });
 * ```
 */
export function createDeepSeekModel(options: DeepSeekOptions = {}): PoolModel {
  const { modelId, profile } = resolvePresetModel(
    facts,
    options.model ?? deepseekFlash.id,
    options.profile,
  );
  const settings = {
    apiKey: resolveApiKey(facts, options.apiKey),
    baseURL: options.baseURL,
    headers: options.headers,
    fetch: options.fetch,
  };
  const factory = options.createDeepSeek;
  const model = wrapModel({
    provider: 'deepseek.chat',
    modelId,
    load: async () => (factory ?? (await importDeepSeek()))(settings).chat(modelId),
    // Thinking off unless asked: the catalog's V4 figures (speed, tokens, price per step) are for
    // plain answers, and reasoning tokens would make the cheap lane slower and dearer than planned.
    providerOptions: {
      deepseek: { thinking: { type: 'disabled' }, ...options.providerOptions } as JSONObject,
    },
  });
  return rememberSecrets(
    defineModel(model, profile, placeOf(options)),
    settings.apiKey,
    options.baseURL,
  );
}

// Spelled so that bundlers leave the import to run time: a literal specifier would make them
// resolve `@ai-sdk/deepseek`, and fail to build for every user who did not install it.
const packageName = ['@ai-sdk', 'deepseek'].join('/');

async function importDeepSeek(): Promise<DeepSeekFactory> {
  let loaded: { createDeepSeek?: DeepSeekFactory };
  try {
    loaded = await import(/* webpackIgnore: true */ /* @vite-ignore */ packageName);
  } catch (cause) {
    throw new ModelConfigError({
      reason: 'missing-provider',
      model: 'deepseek',
      message: `DeepSeek models need the optional peer \`${packageName}\`, which could not be imported (${cause instanceof Error ? cause.message : String(cause)}): install it, or pass its \`createDeepSeek\` to \`models.deepseek()\` or \`fromEnv()\``,
    });
  }
  if (typeof loaded.createDeepSeek !== 'function') {
    throw new ModelConfigError({
      reason: 'missing-provider',
      model: 'deepseek',
      message: `\`${packageName}\` has no \`createDeepSeek\`; expected version 3 or later`,
    });
  }
  return loaded.createDeepSeek;
}
