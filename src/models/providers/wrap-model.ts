import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  SharedV4ProviderOptions,
} from '@ai-sdk/provider';

/** Options of {@link wrapModel}. */
export interface WrapModelOptions {
  readonly provider: string;
  readonly modelId: string;
  /** Creates the model on the first call; a failed load is tried again on the next call. */
  readonly load: () => LanguageModelV4 | PromiseLike<LanguageModelV4>;
  /** Provider options every call gets, under each namespace; a call's own options win. */
  readonly providerOptions?: SharedV4ProviderOptions;
}

/**
 * An AI SDK model that creates the real one on its first call and adds default provider options
 * to every call. Lets `fromEnv()` stay synchronous while an optional provider package loads.
 */
export function wrapModel(options: WrapModelOptions): LanguageModelV4 {
  const { provider, modelId, load, providerOptions: defaults } = options;
  let loading: Promise<LanguageModelV4> | undefined;
  const model = (): Promise<LanguageModelV4> => {
    if (loading === undefined) {
      const attempt = Promise.resolve().then(load);
      loading = attempt;
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
    }
    return loading;
  };
  const withDefaults = (call: LanguageModelV4CallOptions): LanguageModelV4CallOptions =>
    defaults === undefined
      ? call
      : { ...call, providerOptions: mergeProviderOptions(defaults, call.providerOptions) };
  return {
    specificationVersion: 'v4',
    provider,
    modelId,
    get supportedUrls() {
      return model().then((loaded) => loaded.supportedUrls);
    },
    doGenerate: async (call) => (await model()).doGenerate(withDefaults(call)),
    doStream: async (call) => (await model()).doStream(withDefaults(call)),
  };
}

function mergeProviderOptions(
  defaults: SharedV4ProviderOptions,
  given: SharedV4ProviderOptions | undefined,
): SharedV4ProviderOptions {
  const merged: SharedV4ProviderOptions = { ...given };
  for (const [namespace, values] of Object.entries(defaults)) {
    merged[namespace] = { ...values, ...given?.[namespace] };
  }
  return merged;
}
