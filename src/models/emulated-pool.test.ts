import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock';
import { mercury2 } from './catalog';
import { createEmulatedPool } from './emulated-pool';

describe('createEmulatedPool', () => {
  it('refuses a fault for a model the pool does not hold', () => {
    const faults = [{ fault: { kind: 'reset' as const }, model: 'mercury-3' }];
    expect(() => createEmulatedPool({ faults })).toThrow(
      'Unknown model `mercury-3` in `faults[0].model`; did you mean `mercury-2`?',
    );
    const clock = createVirtualClock();
    const gpt = [{ fault: { kind: 'reset' as const }, model: 'gpt-5-mini' }];
    expect(() => createEmulatedPool({ profiles: [mercury2], faults: gpt, clock })).toThrow(
      /Unknown model `gpt-5-mini`/,
    );
  });

  it('refuses an unknown option, naming the nearest, and a seed that is no whole number', () => {
    expect(() => createEmulatedPool({ timescale: 100 } as never)).toThrow(
      'Unknown option `timescale` of `models.emulated`; did you mean `timeScale`?',
    );
    expect(() => createEmulatedPool({ seed: Number.NaN })).toThrow(
      'Expected `seed` to be a whole number, got `NaN` (number)',
    );
    expect(() => createEmulatedPool({ seed: 'abc' as never })).toThrow(/`seed` to be a whole/);
    expect(createEmulatedPool({ seed: -3, clock: createVirtualClock() }).models).toHaveLength(5);
  });

  it('refuses a time scale beside a clock, which would ignore it', () => {
    expect(() => createEmulatedPool({ clock: createVirtualClock(), timeScale: 100 })).toThrow(
      'Expected `timeScale` to be left out when `clock` is given',
    );
    expect(createEmulatedPool({ clock: createVirtualClock() }).models).toHaveLength(5);
    expect(createEmulatedPool({ timeScale: 100 }).models).toHaveLength(5);
  });
});
