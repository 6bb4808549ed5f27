import { describe, expect, expectTypeOf, it } from 'vitest';
import { ModelConfigError } from '../errors';
import { catalog, deepseekFlash, findProfile, mercury2 } from './catalog';
import { computeCost } from './cost';
import { createEmulatedPool } from './emulated-pool';
import { fromEnv } from './from-env';
import { createModelPool } from './pool';
import type { ModelProfile } from './profile';
import { validateProfile } from './validate-profile';

describe('computeCost', () => {
  it('prices uncached input, cached input and output separately', () => {
    // 1,000 input of which 400 cached, 500 output on Mercury 2:
    // 600 x $0.25 + 400 x $0.025 + 500 x $0.75 = 150 + 10 + 375 = $535 per million = $0.000535.
    const usage = {
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 500,
      reasoningTokens: 0,
    };
    expect(computeCost(mercury2.pricing, usage)).toBeCloseTo(0.000535, 12);
  });
});

describe('catalog', () => {
  it('holds the design models with valid profiles and finds aliases', () => {
    expect(Object.keys(catalog)).toEqual([
      'mercury-2',
      'deepseek-flash',
      'deepseek-v4-pro',
      'claude-haiku-4-5',
      'gpt-5-mini',
    ]);
    for (const [id, profile] of Object.entries(catalog)) {
      expect(() => validateProfile(profile)).not.toThrow();
      // Each profile under its own id.
      expect(profile.id).toBe(id);
    }
    expect(findProfile('deepseek-v4-flash')).toBe(deepseekFlash);
    // A known id is a profile to the type checker too (no `undefined` to rule out first).
    expectTypeOf(catalog['gpt-5-mini']).toEqualTypeOf<ModelProfile>();
  });

  it('names the missing field of a bad profile', () => {
    const broken = {
      ...mercury2,
      pricing: { ...mercury2.pricing, outputPerMTok: undefined as never },
    };
    expect(() => validateProfile(broken)).toThrow(
      'Model profile `mercury-2`: expected `pricing.outputPerMTok` to be a price from 0 up, got `undefined`',
    );
  });
});

describe('createModelPool', () => {
  it('rejects an empty pool and duplicate ids', () => {
    expect(() => createModelPool([])).toThrow(ModelConfigError);
    const one = createEmulatedPool({ profiles: [mercury2] }).models[0]!;
    expect(() => createModelPool([one, one])).toThrow('The model `mercury-2` is in the pool twice');
  });
});

describe('fromEnv', () => {
  it('uses the emulator without keys and says so in one line', () => {
    const lines: string[] = [];
    const pool = fromEnv({ env: {}, log: (line) => lines.push(line) });
    expect(pool.models.map((entry) => entry.id)).toEqual(Object.keys(catalog));
    expect(lines).toEqual([
      "hotpath: no provider key set (INCEPTION_API_KEY, DEEPSEEK_API_KEY, OPENAI_API_KEY); using the built-in emulator: mercury-2, deepseek-flash, deepseek-v4-pro, claude-haiku-4-5, gpt-5-mini; agent tools run with invented arguments (`emulatedTools: 'skip'` keeps them from running)",
    ]);
  });

  it('uses OpenAI chat completions through @ai-sdk/openai when OPENAI_API_KEY is set', () => {
    const lines: string[] = [];
    const pool = fromEnv({ env: { OPENAI_API_KEY: 'sk-test' }, log: (line) => lines.push(line) });
    expect(pool.models.map((entry) => [entry.id, entry.model.provider])).toEqual([
      ['gpt-5-mini', 'openai.chat'],
    ]);
    expect(lines[0]).toMatch(/^hotpath: using gpt-5-mini \(OPENAI_API_KEY\); /);
    expect(lines.join()).not.toContain('sk-test');
  });
});
