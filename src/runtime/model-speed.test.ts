import { describe, expect, it } from 'vitest';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { scaleSpeeds } from '../scheduler/speed-pool';
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
});
