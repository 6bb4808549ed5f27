import { createOpenAI, type OpenAILanguageModelChatOptions } from '@ai-sdk/openai';
import type { JSONObject } from '@ai-sdk/provider';
import { gpt5Mini } from '../catalog';
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

const facts: ProviderFacts = { provider: 'openai', label: 'OpenAI', keyVariable: 'OPENAI_API_KEY' };

/** OpenAI models in the catalog. */
export type OpenAIModelId = 'gpt-5-mini';

/** Options of {@link createOpenAIModel}. */
export interface OpenAIOptions extends PresetOptions<OpenAIModelId> {
  /** Provider options every call gets, e.g. `{ reasoningEffort: 'low' }`. */
  providerOptions?: OpenAILanguageModelChatOptions;
}

/**
 * OpenAI GPT-5 mini through `@ai-sdk/openai`'s chat completions, with its catalog profile. Chat
 * completions rather than the Responses API: one request shape for every preset, and the one
 * that OpenAI-compatible gateways and `hotpath emulate` serve.
 *
 * @example
 * ```ts
 * const mini = models.openai({ providerOptions: { reasoningEffort: 'low' } });
 * ```
 */
export function createOpenAIModel(options: OpenAIOptions = {}): PoolModel {
  const { modelId, profile } = resolvePresetModel(
    facts,
    options.model ?? gpt5Mini.id,
    options.profile,
  );
  const apiKey = resolveApiKey(facts, options.apiKey);
  const provider = createOpenAI({
    apiKey,
    baseURL: options.baseURL,
    headers: options.headers,
    fetch: options.fetch,
  });
  const model = options.providerOptions
    ? wrapModel({
        provider: 'openai.chat',
        modelId,
        load: () => provider.chat(modelId),
        providerOptions: { openai: options.providerOptions as JSONObject },
      })
    : provider.chat(modelId);
  return rememberSecrets(defineModel(model, profile, placeOf(options)), apiKey, options.baseURL);
}
