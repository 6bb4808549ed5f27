import { describe, expect, it } from 'vitest';
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
});
