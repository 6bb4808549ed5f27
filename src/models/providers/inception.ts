import { createOpenAI } from '@ai-sdk/openai';
import { mercury2 } from '../catalog';
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

/** Inception's API: OpenAI-compatible chat completions. */
export const inceptionBaseURL = 'https://api.inceptionlabs.ai/v1';

const facts: ProviderFacts = {
  provider: 'inception',
  label: 'Inception',
  keyVariable: 'INCEPTION_API_KEY',
};

/** Inception models in the catalog. */
export type InceptionModelId = 'mercury-2';

/**
 * Fields Inception takes beyond OpenAI's chat completions, sent with every request. A call's own
 * settings win (the AI SDK's `reasoning` call option sets `reasoning_effort` too).
 */
export interface InceptionRequestOptions {
  /** `instant` is Inception's own effort for near real-time answers. */
  reasoning_effort?: 'instant' | 'low' | 'medium' | 'high';
  /** Adds a summary of the model's reasoning to the response. */
  reasoning_summary?: boolean;
  [field: string]: unknown;
}

/** Options of {@link createInceptionModel}. */
export interface InceptionOptions extends PresetOptions<InceptionModelId> {
  /** Extra request fields, merged into every chat completions body. */
  body?: InceptionRequestOptions;
}

/**
 * Inception Mercury 2 through `@ai-sdk/openai`'s chat completions, with its catalog profile.
 * Messages use the `system` role (Mercury refuses `developer`).
 *
 * @example
 * ```ts
 * const mercury = models.inception({ body: { reasoning_effort: 'instant' } });
 * ```
 */
export function createInceptionModel(options: InceptionOptions = {}): PoolModel {
  const { modelId, profile } = resolvePresetModel(
    facts,
    options.model ?? mercury2.id,
    options.profile,
  );
  const apiKey = resolveApiKey(facts, options.apiKey);
  const { body } = options;
  const provider = createOpenAI({
    name: 'inception',
    apiKey,
    baseURL: options.baseURL ?? inceptionBaseURL,
    headers: options.headers,
    fetch: body === undefined ? options.fetch : withBodyFields(options.fetch, body),
  });
  const model = wrapModel({
    provider: 'inception.chat',
    modelId,
    load: () => provider.chat(modelId),
    // `@ai-sdk/openai` picks `developer` for the model ids it knows as reasoning models; pin
    // `system` so no future id list changes what Mercury receives.
    providerOptions: { openai: { systemMessageMode: 'system' } },
  });
  return rememberSecrets(defineModel(model, profile, placeOf(options)), apiKey, options.baseURL);
}

/** A `fetch` that adds `fields` to JSON request bodies, under the fields the SDK set. */
function withBodyFields(
  fetch: typeof globalThis.fetch | undefined,
  fields: Readonly<Record<string, unknown>>,
): typeof globalThis.fetch {
  return (input, init) => {
    const send = fetch ?? globalThis.fetch;
    if (typeof init?.body !== 'string') return send(input, init);
    const sent = JSON.parse(init.body) as Record<string, unknown>;
    return send(input, { ...init, body: JSON.stringify({ ...fields, ...sent }) });
  };
}
