import { describe, expect, it } from 'vitest';
import { gpt5Mini } from '../../models/catalog';
import { startEmulator } from './start-emulator';

describe('startEmulator options', () => {
  it('refuses a fault for a model it does not serve, before listening', async () => {
    await expect(
      startEmulator({ faults: [{ fault: { kind: 'cut' }, model: 'mercury3' }] }),
    ).rejects.toThrow('Unknown model `mercury3` in `faults[0].model`; did you mean `mercury-2`?');
  });

  it('refuses an unknown option, naming the nearest, and a seed that is no whole number', async () => {
    await expect(startEmulator({ timescale: 100 } as never)).rejects.toThrow(
      'Unknown option `timescale` of `startEmulator`; did you mean `timeScale`?',
    );
    await expect(startEmulator({ seed: 1.5 })).rejects.toThrow(
      'Expected `seed` to be a whole number, got `1.5` (number)',
    );
    await expect(startEmulator({ seed: 'abc' as never })).rejects.toThrow(
      'Expected `seed` to be a whole number, got `abc` (string)',
    );
  });

  it('serves catalog models by id or alias, next to profiles', async () => {
    const custom = { ...gpt5Mini, id: 'my-model' };
    const emulator = await startEmulator({
      models: ['mercury-2', 'deepseek-v4-flash', custom],
      timeScale: 1000,
    });
    try {
      expect(emulator.models.map((profile) => profile.id)).toEqual([
        'mercury-2',
        'deepseek-flash',
        'my-model',
      ]);
      const listed = await (await fetch(`${emulator.baseURL}/models`)).json();
      expect(listed.data.map((model: { id: string }) => model.id)).toEqual([
        'mercury-2',
        'deepseek-flash',
        'my-model',
      ]);
      const answer = await fetch(`${emulator.baseURL}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'mercury-2',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(answer.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it('refuses a model id the catalog lacks, naming the nearest, and a model given twice', async () => {
    await expect(startEmulator({ models: ['mercury-2', 'mercury3'] })).rejects.toThrow(
      'Unknown model `mercury3` in `models[1]`; did you mean `mercury-2`?',
    );
    await expect(
      startEmulator({ models: ['deepseek-flash', 'deepseek-v4-flash'] }),
    ).rejects.toThrow('The model `deepseek-flash` is in `models` twice (`models[1]`)');
    await expect(startEmulator({ models: 'mercury-2' as never })).rejects.toThrow(
      'Expected `models` to be a non-empty array of catalog model ids or profiles, got `mercury-2`',
    );
    await expect(startEmulator({ models: [42 as never] })).rejects.toThrow(
      'Expected `models[0]` to be a catalog model id or a profile, got `42` (number)',
    );
  });
});
