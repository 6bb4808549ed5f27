import { describe, expect, it } from 'vitest';
import { createEmulatedModel } from '../emulator';
import { ModelConfigError } from '../errors';
import { mercury2 } from './catalog';
import { createEmulatedPool } from './emulated-pool';
import { mergeProfile } from './merge-profile';
import { defineModel } from './pool';
import type { ModelProfile } from './profile';
import { withOverrides } from './profile-overrides';

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
