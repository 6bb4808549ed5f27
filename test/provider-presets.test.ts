import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createOpenAI } from '@ai-sdk/openai';
import { EdgeVM } from '@edge-runtime/vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, ModelConfigError } from '../src/errors';
import { catalog, mercury2 } from '../src/models/catalog';
import { mergeProfile } from '../src/models/merge-profile';
import { createModelPool, defineModel } from '../src/models/pool';
import {
  createDeepSeekModel,
  createInceptionModel,
  createOpenAIModel,
} from '../src/models/providers';
import { bundleForEdge } from './helpers/edge-bundle';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('@ai-sdk/deepseek');
});

const thrown = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('provider presets fail early on bad configuration', () => {
  it('name an unknown or foreign model id and the ids they know', () => {
    const unknown = thrown(() =>
      createDeepSeekModel({ apiKey: 'k', model: 'deepseek-v5' as never }),
    );
    expect(ModelConfigError.isInstance(unknown)).toBe(true);
    expect(unknown).toMatchObject({ reason: 'unknown-model', model: 'deepseek-v5' });
    expect(unknown.message).toBe(
      'Unknown DeepSeek model `deepseek-v5`; the catalog has `deepseek-flash` (alias `deepseek-v4-flash`), `deepseek-v4-pro`. For another model, pair its AI SDK model with a profile of your own: `defineModel(model, profile)`',
    );
    expect(() => createInceptionModel({ apiKey: 'k', model: 'gpt-5-mini' as never })).toThrow(
      'Unknown Inception model `gpt-5-mini`; the catalog has `mercury-2`.',
    );
  });

  it('want a key, from the options or the environment, and never print one', () => {
    vi.stubEnv('INCEPTION_API_KEY', '');
    const missing = thrown(() => createInceptionModel());
    expect(InvalidArgumentError.isInstance(missing)).toBe(true);
    expect(missing.message).toBe(
      'Expected `apiKey` to be an API key for Inception (or `INCEPTION_API_KEY` set), got `` (string)',
    );
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
    expect(createOpenAIModel().id).toBe('gpt-5-mini');
    expect(thrown(() => createOpenAIModel({ apiKey: 42 as never })).message).toContain(
      'got `a number`',
    );
  });

  it('accept the alias of a catalog model and send the provider its real name', () => {
    const flash = createDeepSeekModel({ apiKey: 'k', model: 'deepseek-v4-flash' });
    expect([flash.id, flash.model.modelId]).toEqual(['deepseek-flash', 'deepseek-flash']);
  });

  it('refuse an empty pool', () => {
    expect(() => createModelPool([])).toThrow(
      expect.objectContaining({
        reason: 'empty-pool',
        message: 'A model pool needs at least one model',
      }),
    );
  });
});

describe('profiles of your own', () => {
  it('merge a partial override with the catalog figures and validate the result', () => {
    const entry = createInceptionModel({
      apiKey: 'k',
      profile: { pricing: { outputPerMTok: 0.6 }, timeToFirstTokenMs: 350 },
    });
    expect(entry.profile).toEqual({
      ...mercury2,
      pricing: { ...mercury2.pricing, outputPerMTok: 0.6 },
      timeToFirstTokenMs: 350,
    });
    // The catalog itself is untouched.
    expect(catalog['mercury-2']!.pricing.outputPerMTok).toBe(0.75);
  });

  it('name the field of a bad figure or an unknown one', () => {
    expect(() =>
      createDeepSeekModel({ apiKey: 'k', profile: { pricing: { inputPerMTok: -1 } } }),
    ).toThrow(
      'Model profile `deepseek-flash`: expected `pricing.inputPerMTok` to be a price from 0 up, got `-1`',
    );
    expect(() => mergeProfile(mercury2, { pricing: { output: 1 } as never })).toThrow(
      'Model profile `mercury-2`: unknown field `pricing.output`; expected one of `inputPerMTok`, `cachedInputPerMTok`, `outputPerMTok`',
    );
    expect(() => mergeProfile(mercury2, { contextWindow: 0 })).toThrow(
      'expected `contextWindow` to be a number of tokens above 0, got `0`',
    );
  });

  it('let one model join a pool twice under two ids, with different request fields', () => {
    const instant = createInceptionModel({
      apiKey: 'k',
      profile: { id: 'mercury-2-instant', timeToFirstTokenMs: 250 },
      body: { reasoning_effort: 'instant' },
    });
    const pool = createModelPool([createInceptionModel({ apiKey: 'k' }), instant]);
    expect(pool.models.map((entry) => [entry.id, entry.model.modelId])).toEqual([
      ['mercury-2', 'mercury-2'],
      ['mercury-2-instant', 'mercury-2'],
    ]);
  });

  it('pair any AI SDK model with catalog figures and new prices, and refuse one without prices', () => {
    const model = createOpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:1/v1' }).chat('mercury-2');
    const custom = defineModel(model, mergeProfile(mercury2, { pricing: { inputPerMTok: 0.2 } }));
    expect(custom.profile.pricing).toEqual({ ...mercury2.pricing, inputPerMTok: 0.2 });
    const { pricing: _, ...priceless } = mercury2;
    expect(() => defineModel(model, priceless as never)).toThrow(
      'Model profile `mercury-2`: expected `pricing.inputPerMTok` to be a price from 0 up, got `undefined`',
    );
  });
});

describe('the optional @ai-sdk/deepseek peer', () => {
  it('says how to fix a missing package on the first call, and loads it once it is there', async () => {
    vi.doMock('@ai-sdk/deepseek', () => {
      throw new Error("Cannot find package '@ai-sdk/deepseek'");
    });
    const offline: typeof fetch = async () => {
      throw new Error('offline');
    };
    const flash = createDeepSeekModel({ apiKey: 'k', fetch: offline });
    const error = await Promise.resolve(flash.model.doGenerate({ prompt: [] })).catch(
      (caught: unknown) => caught as ModelConfigError,
    );
    expect(ModelConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^DeepSeek models need the optional peer `@ai-sdk\/deepseek`, which could not be imported \(.*\): install it, or pass its `createDeepSeek` to `models\.deepseek\(\)` or `fromEnv\(\)`$/,
    );
    // A failed import is tried again on the next call.
    vi.doUnmock('@ai-sdk/deepseek');
    const again = await Promise.resolve(flash.model.doGenerate({ prompt: [] })).catch(
      (caught: unknown) => caught as Error,
    );
    // The package loaded and sent its request (to this test's `fetch`, not the network).
    expect(ModelConfigError.isInstance(again)).toBe(false);
    expect(String(again)).toContain('offline');
  });

  it('is not needed to bundle the core for the edge', async () => {
    const code = await bundleForEdge(
      `import { models } from './src/index.ts';
          globalThis.makeFlash = () => models.deepseek({ apiKey: 'k' });`,
      [
        {
          name: 'no-deepseek',
          setup(plugin) {
            plugin.onResolve({ filter: /^@ai-sdk\/deepseek/ }, () => ({
              errors: [{ text: '@ai-sdk/deepseek is not installed' }],
            }));
          },
        },
      ],
    );
    expect(code).not.toContain('DeepSeekChatLanguageModel');
    const vm = new EdgeVM();
    vm.evaluate(code);
    // Construction works at the edge; the first call explains that the factory must be passed.
    const message = await vm.evaluate(
      `makeFlash().model.doGenerate({ prompt: [] }).then(() => 'no error', (error) => error.message)`,
    );
    expect(message).toContain('pass its `createDeepSeek`');
  }, 60_000);
});

describe('the README', () => {
  it('builds the pool its Providers snippet shows, without a request', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('#### Providers'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toContain('models.pool([');
    vi.stubEnv('INCEPTION_API_KEY', 'i');
    vi.stubEnv('DEEPSEEK_API_KEY', 'd');
    const file = new URL(`./.readme-providers-${process.pid}.ts`, import.meta.url);
    writeFileSync(file, `${snippet}\nexport { pool, runtime };\n`);
    try {
      const { pool } = await import(/* @vite-ignore */ file.href);
      expect(pool.models.map((entry: { id: string }) => entry.id)).toEqual([
        'mercury-2',
        'deepseek-flash',
        'deepseek-v4-pro',
      ]);
      expect(pool.get('deepseek-flash').profile.pricing.outputPerMTok).toBe(0.3);
    } finally {
      rmSync(file);
    }
  });
});
