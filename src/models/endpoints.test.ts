import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import { ModelConfigError } from '../errors';
import { mercury2 } from './catalog';
import { readEndpoints } from './env-urls';
import { fromEnv } from './from-env';
import { createModelPool, defineModel, endpointsOf, entryKey, entryLabel } from './pool';
import { createInceptionModel } from './providers';

const model = createEmulatedModel({ profile: mercury2, clock: createVirtualClock() });

describe('endpoints: one model at several places', () => {
  it('keeps one model at two endpoints in one pool, each with its round trip and prices', () => {
    const eu = defineModel(model, mercury2, {
      endpoint: 'eu-west',
      region: 'eu-west',
      roundTripMs: 30,
    });
    const us = defineModel(model, mercury2, {
      endpoint: 'us-east',
      region: 'us-east',
      roundTripMs: 250,
      pricing: { outputPerMTok: 0.9 },
    });
    const pool = createModelPool([eu, us]);
    expect(endpointsOf(pool, 'mercury-2').map(entryLabel)).toEqual([
      'mercury-2 @ eu-west',
      'mercury-2 @ us-east',
    ]);
    expect(pool.get('mercury-2')).toBe(eu);
    expect(us.profile.roundTripMs).toBe(250);
    expect(us.profile.pricing).toMatchObject({ outputPerMTok: 0.9, inputPerMTok: 0.25 });
    expect(eu.profile.pricing.outputPerMTok).toBe(0.75);
    expect(entryKey(eu)).toBe('mercury-2@eu-west');
    expect(pool.description).toBe('models: mercury-2');
  });

  it('leaves a model at one place as it was: no endpoint, the bare id', () => {
    const entry = defineModel(model, mercury2);
    expect(entry).toEqual({ id: 'mercury-2', profile: mercury2, model });
    expect(entryLabel(entry)).toBe('mercury-2');
    expect(entryKey(entry)).toBe('mercury-2');
  });

  it('refuses the same model twice at the same endpoint, and twice without one', () => {
    const eu = defineModel(model, mercury2, { endpoint: 'eu-west' });
    expect(() =>
      createModelPool([eu, defineModel(model, mercury2, { endpoint: 'eu-west' })]),
    ).toThrow(
      'The model `mercury-2` is in the pool twice at the endpoint `eu-west`; give each place of a model its own `endpoint` name',
    );
    expect(() =>
      createModelPool([defineModel(model, mercury2), defineModel(model, mercury2)]),
    ).toThrow(/^The model `mercury-2` is in the pool twice$/);
    // An unnamed entry is the `default` endpoint: next to a named one it is another place.
    expect(createModelPool([defineModel(model, mercury2), eu]).models).toHaveLength(2);
  });

  it('names the field of a bad endpoint or round trip', () => {
    expect(() => defineModel(model, mercury2, { endpoint: ' ' })).toThrow(ModelConfigError);
    expect(() => defineModel(model, mercury2, { endpoint: ' ' })).toThrow(
      'Expected `endpoint` of `mercury-2` to be a non-empty string, got ` ` (string)',
    );
    expect(() => defineModel(model, mercury2, { roundTripMs: -5 })).toThrow(
      'Model profile `mercury-2`: expected `roundTripMs` to be a number from 0 up, got `-5`',
    );
  });

  it('takes endpoint, region, roundTripMs and pricing in the presets', () => {
    const entry = createInceptionModel({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:1/v1',
      endpoint: 'eu-west',
      region: 'eu',
      roundTripMs: 38,
      pricing: { inputPerMTok: 0.3 },
    });
    expect(entry).toMatchObject({ id: 'mercury-2', endpoint: 'eu-west', region: 'eu' });
    expect(entry.profile.roundTripMs).toBe(38);
    expect(entry.profile.pricing.inputPerMTok).toBe(0.3);
  });
});

describe('fromEnv with *_ENDPOINTS', () => {
  it('puts a provider’s models at each place named in its variable', () => {
    const lines: string[] = [];
    const pool = fromEnv({
      env: {
        INCEPTION_API_KEY: 'secret-key',
        INCEPTION_ENDPOINTS: 'eu-west=http://127.0.0.1:1/v1, us-east@us=http://127.0.0.1:2/v1',
      },
      log: (line) => lines.push(line),
    });
    expect(pool.models.map((entry) => [entry.id, entry.endpoint, entry.region])).toEqual([
      ['mercury-2', 'eu-west', 'eu-west'],
      ['mercury-2', 'us-east', 'us'],
    ]);
    expect(lines[0]).toContain(
      'mercury-2 (INCEPTION_API_KEY at eu-west via 127.0.0.1:1, us-east via 127.0.0.1:2)',
    );
    expect(lines[0]).not.toContain('secret-key');
  });

  it('fails on a part without a name or a URL, naming the variable, without credentials', () => {
    expect(readEndpoints('X_ENDPOINTS', undefined)).toEqual([]);
    expect(() =>
      readEndpoints('X_ENDPOINTS', 'eu=https://a.example/v1,https://u:pw@b.example'),
    ).toThrow(
      'Expected `X_ENDPOINTS` to be a comma-separated list of `name=url` or `name@region=url` (e.g. `eu-west=https://eu.example/v1`), got `https://***@b.example`',
    );
  });
});
