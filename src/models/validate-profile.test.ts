import { describe, expect, it } from 'vitest';
import { createEmulatedModel } from '../emulator';
import { ModelConfigError } from '../errors';
import { deepseekFlash, gpt5Mini, mercury2 } from './catalog';
import { createEmulatedPool } from './emulated-pool';
import { mergeProfile } from './merge-profile';
import { defineModel } from './pool';
import type { ModelProfile, PriceWindow } from './profile';
import { withOverrides } from './profile-overrides';
import { validateProfile } from './validate-profile';

describe('validateProfile: rateLimits', () => {
  it.each([
    [{ concurrency: 0 }, '`concurrency` to be a whole number from 1 up, got `0` (number)'],
    [{ concurrency: -1 }, '`concurrency` to be a whole number from 1 up, got `-1` (number)'],
    [{ concurrency: 0.5 }, '`concurrency` to be a whole number from 1 up, got `0.5` (number)'],
    [{ requestsPerMinute: 0 }, '`requestsPerMinute` to be a number above 0, got `0` (number)'],
    [
      { outputTokensPerMinute: '9' },
      '`outputTokensPerMinute` to be a number above 0, got `9` (string)',
    ],
  ])('refuses %j, which would hold every call forever', (rateLimits, message) => {
    const merge = () => mergeProfile(mercury2, { rateLimits } as never);
    expect(merge).toThrow(ModelConfigError);
    expect(merge).toThrow(`Model profile \`mercury-2\`: expected \`rateLimits.${message.slice(1)}`);
  });

  it('refuses unknown fields, naming the nearest', () => {
    expect(() => mergeProfile(mercury2, { rateLimits: { requestPerMinute: 5 } as never })).toThrow(
      'Model profile `mercury-2`: unknown field `rateLimits.requestPerMinute`; did you mean `requestsPerMinute`?',
    );
    expect(() => mergeProfile(mercury2, { rateLimits: { rpm: 5 } as never })).toThrow(
      'unknown field `rateLimits.rpm`; expected one of `concurrency`, `requestsPerMinute`',
    );
  });

  it('checks the limits of defineModel and withOverrides too', () => {
    const profile: ModelProfile = { ...mercury2, rateLimits: { concurrency: 0 } };
    expect(() => defineModel(createEmulatedModel({ profile: mercury2 }), profile)).toThrow(
      '`rateLimits.concurrency` to be a whole number from 1 up',
    );
    const pool = createEmulatedPool({ profiles: [mercury2] });
    const overrides = { models: { 'mercury-2': { rateLimits: { requestsPerMinute: 0 } } } };
    expect(() => withOverrides(pool, overrides)).toThrow('`rateLimits.requestsPerMinute`');
  });

  it('keeps good limits', () => {
    expect(mergeProfile(mercury2, { rateLimits: { concurrency: 4 } }).rateLimits).toEqual({
      ...mercury2.rateLimits,
      concurrency: 4,
    });
  });
});

describe('validateProfile: price windows', () => {
  const peak = { name: 'peak', days: [3], fromHour: 0, toHour: 24 };
  const withWindow = (window: object) => () =>
    mergeProfile(gpt5Mini, { pricing: { windows: [window as PriceWindow] } });

  it.each([
    [
      { prices: { outputPerMTok: -5 } },
      '`pricing.windows[0].prices.outputPerMTok` to be a price from 0 up, got `-5`',
    ],
    [
      { prices: { outputPerMTok: 'x' } },
      '`pricing.windows[0].prices.outputPerMTok` to be a price from 0 up, got `x`',
    ],
    [{ prices: 2 }, '`pricing.windows[0].prices` to be an object of prices, got `2`'],
    [{ multiplier: '2' }, '`pricing.windows[0].multiplier` to be a number from 0 up, got `2`'],
  ])('refuses the window %j, naming the figure', (fields, message) => {
    expect(withWindow({ ...peak, ...fields })).toThrow(
      `Model profile \`gpt-5-mini\`: expected ${message}`,
    );
  });

  it('refuses unknown fields in a window and its prices, naming the nearest', () => {
    expect(withWindow({ ...peak, multipler: 2 })).toThrow(
      'Model profile `gpt-5-mini`: unknown field `pricing.windows[0].multipler`; did you mean `multiplier`?',
    );
    expect(withWindow({ ...peak, prices: { output: 9 } })).toThrow(
      'unknown field `pricing.windows[0].prices.output`; expected one of `inputPerMTok`, `cachedInputPerMTok`, `outputPerMTok`',
    );
  });

  it('names `toHour` when `toHour` is out of range, `fromHour` when it is', () => {
    expect(withWindow({ ...peak, fromHour: 1, toHour: 25 })).toThrow(
      'expected `pricing.windows[0].toHour` to be an hour above 0, at most 24, got `25`',
    );
    expect(withWindow({ ...peak, fromHour: 5, toHour: 3 })).toThrow(
      'expected `pricing.windows[0].fromHour` to be an hour from 0 below `toHour` (3), got `5`',
    );
  });

  it('keeps the catalog windows and a good one', () => {
    expect(() => validateProfile(deepseekFlash)).not.toThrow();
    expect(withWindow({ ...peak, prices: { outputPerMTok: 3 }, multiplier: 1.5 })).not.toThrow();
  });
});

describe('validateProfile: capabilities, architecture and the claimed speed', () => {
  it.each([
    [{ capabilities: { tools: 'no' } }, '`capabilities.tools` to be a boolean, got `no` (string)'],
    [
      { capabilities: { structuredOutput: 1 } },
      '`capabilities.structuredOutput` to be a boolean, got `1` (number)',
    ],
    [
      { architecture: 'transformer' },
      "`architecture` to be one of 'diffusion', 'moe', 'autoregressive', got `transformer` (string)",
    ],
    [
      { claimedOutputTokensPerSecond: -1 },
      '`claimedOutputTokensPerSecond` to be a number above 0, got `-1` (number)',
    ],
    [{ pricing: { baseName: 7 } }, '`pricing.baseName` to be a string, got `7` (number)'],
  ])('refuses %j, naming the field', (override, message) => {
    expect(() => mergeProfile(mercury2, override as never)).toThrow(
      `Model profile \`mercury-2\`: expected ${message}`,
    );
  });

  it('refuses a profile without its capabilities', () => {
    const { capabilities: _, ...rest } = mercury2;
    expect(() => validateProfile(rest as ModelProfile)).toThrow(
      'expected `capabilities` to be an object of booleans, got `undefined`',
    );
  });
});

describe('validateProfile: unknown fields', () => {
  it('refuses an unknown field of mergeProfile, naming the nearest as withOverrides does', () => {
    expect(() => mergeProfile(gpt5Mini, { outputTokensPerSec: 10 } as never)).toThrow(
      'Model profile `gpt-5-mini`: unknown field `outputTokensPerSec`; did you mean `outputTokensPerSecond`?',
    );
    const pool = createEmulatedPool({ profiles: [mercury2] });
    expect(() =>
      withOverrides(pool, { models: { 'mercury-2': { outputTokensPerSec: 5 } as never } }),
    ).toThrow(
      'Unknown field `models.mercury-2.outputTokensPerSec` of profile overrides; did you mean `outputTokensPerSecond`?',
    );
  });

  it('refuses unknown fields of a whole profile given to defineModel', () => {
    const model = createEmulatedModel({ profile: mercury2 });
    const define = (profile: object) => () => defineModel(model, profile as ModelProfile);
    expect(define({ ...mercury2, contextWindw: 9 })).toThrow(
      'unknown field `contextWindw`; did you mean `contextWindow`?',
    );
    expect(define({ ...mercury2, pricing: { ...mercury2.pricing, outputPerMtok: 1 } })).toThrow(
      'unknown field `pricing.outputPerMtok`; did you mean `outputPerMTok`?',
    );
    expect(define({ ...mercury2, capabilities: { ...mercury2.capabilities, tool: true } })).toThrow(
      'unknown field `capabilities.tool`; did you mean `tools`?',
    );
  });

  it('refuses parts of an override that are not objects instead of ignoring them', () => {
    expect(() => mergeProfile(mercury2, { pricing: 5 } as never)).toThrow(
      'Model profile `mercury-2`: expected `pricing` to be an object, got `5` (number)',
    );
    expect(() => mergeProfile(mercury2, { capabilities: true } as never)).toThrow(
      'expected `capabilities` to be an object, got `true` (boolean)',
    );
  });
});
