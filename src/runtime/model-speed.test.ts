import { describe, expect, it } from 'vitest';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { predictCall } from '../scheduler/predict';
import { adjustPool, effectiveFactors, measureSpeed, type SpeedFactors } from './model-speed';

describe('model speed factors', () => {
  it('move towards measured over predicted, half the way each time', () => {
    const factors: SpeedFactors = new Map();
    measureSpeed(factors, 'm', 3000, 1000);
    expect(factors.get('m')).toBe(3);
    measureSpeed(factors, 'm', 1000, 1000);
    expect(factors.get('m')).toBe(2);
  });

  it('scale a model’s predicted call by exactly its factor and leave the others alone', () => {
    const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
    const adjusted = adjustPool(pool, new Map([['deepseek-flash', 3]]));
    const tokens = { inputTokens: 800, outputTokens: 500 };
    expect(predictCall(adjusted.get('deepseek-flash').profile, tokens).durationMs).toBeCloseTo(
      3 * predictCall(deepseekFlash, tokens).durationMs,
      6,
    );
    expect(adjusted.get('mercury-2')).toBe(pool.get('mercury-2'));
    expect(adjustPool(pool, effectiveFactors(new Map([['mercury-2', 1.02]])))).toBe(pool);
  });
});
