import { describe, expect, it } from 'vitest';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { scaleSpeeds, speedChange } from '../scheduler/speed-pool';
import { effectiveFactors, measureSpeed, type SpeedFactors } from './model-speed';

describe('model speed factors', () => {
  it('move towards measured over predicted, half the way each time', () => {
    const factors: SpeedFactors = new Map();
    measureSpeed(factors, 'm', 3000, 1000);
    expect(factors.get('m')).toBe(3);
    measureSpeed(factors, 'm', 1000, 1000);
    expect(factors.get('m')).toBe(2);
  });

  it('leave out the factors within a few percent of 1, so the pool stays as it is', () => {
    const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
    const factors = new Map([
      ['mercury-2', 1.02],
      ['deepseek-flash', 0.9],
    ]);
    expect([...effectiveFactors(factors)]).toEqual([['deepseek-flash', 0.9]]);
    expect(scaleSpeeds(pool, effectiveFactors(new Map([['mercury-2', 1.02]])))).toBe(pool);
  });

  it('keep the factor a model was planned with while its measurements stay within a few percent of it', () => {
    const planned = new Map([['mercury-2', 1.5]]);
    expect([...effectiveFactors(new Map([['mercury-2', 1.52]]), planned)]).toEqual([
      ['mercury-2', 1.5],
    ]);
    expect([...effectiveFactors(new Map([['mercury-2', 1.4]]), planned)]).toEqual([
      ['mercury-2', 1.4],
    ]);
    expect([...effectiveFactors(new Map([['mercury-2', 1.6]]), planned)]).toEqual([
      ['mercury-2', 1.6],
    ]);
    // Back near 1: planned on its profile again.
    expect([...effectiveFactors(new Map([['mercury-2', 1.03]]), planned)]).toEqual([]);
    // A planned factor near 1 stays while the measurement is near it.
    expect([
      ...effectiveFactors(new Map([['mercury-2', 1.03]]), new Map([['mercury-2', 1.07]])),
    ]).toEqual([['mercury-2', 1.07]]);
  });

  it('give a re-plan on the same factors a pool that re-predicts no step', () => {
    const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
    const planned = effectiveFactors(new Map([['mercury-2', 1.5]]));
    const next = effectiveFactors(new Map([['mercury-2', 1.53]]), planned);
    expect(speedChange(scaleSpeeds(pool, planned), scaleSpeeds(pool, next))).toEqual(new Set());
  });
});
