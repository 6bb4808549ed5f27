import { describe, expect, it } from 'vitest';
import { startEmulator } from './start-emulator';

describe('startEmulator options', () => {
  it('refuses a fault for a model it does not serve, before listening', async () => {
    await expect(
      startEmulator({ faults: [{ fault: { kind: 'cut' }, model: 'mercury3' }] }),
    ).rejects.toThrow('Unknown model `mercury3` in `faults[0].model`; did you mean `mercury-2`?');
  });
});
