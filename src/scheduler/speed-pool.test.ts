import { describe, expect, it } from 'vitest';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { predictCall } from './predict';
import { scaleSpeeds, speedChange } from './speed-pool';

const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });

describe('scaled pools', () => {
  it('scale a model’s predicted call by exactly its factor and leave the others alone', () => {
    const scaled = scaleSpeeds(pool, new Map([['deepseek-flash', 3]]));
    const tokens = { inputTokens: 800, outputTokens: 500 };
    expect(predictCall(scaled.get('deepseek-flash').profile, tokens).durationMs).toBeCloseTo(
      3 * predictCall(deepseekFlash, tokens).durationMs,
      6,
    );
    expect(scaled.get('mercury-2')).toBe(pool.get('mercury-2'));
    expect(scaleSpeeds(pool, new Map())).toBe(pool);
  });

  it('tell which models changed speed between two pools scaled from the same one', () => {
    const slow = scaleSpeeds(pool, new Map([['deepseek-flash', 1.5]]));
    const slower = scaleSpeeds(pool, new Map([['deepseek-flash', 2]]));
    const both = scaleSpeeds(
      pool,
      new Map([
        ['deepseek-flash', 2],
        ['mercury-2', 0.8],
      ]),
    );
    expect(speedChange(pool, slow)).toEqual(new Set(['deepseek-flash']));
    expect(speedChange(slow, slower)).toEqual(new Set(['deepseek-flash']));
    expect(speedChange(slower, both)).toEqual(new Set(['mercury-2']));
    expect(speedChange(both, pool)).toEqual(new Set(['deepseek-flash', 'mercury-2']));
    expect(speedChange(slow, scaleSpeeds(pool, new Map([['deepseek-flash', 1.5]])))).toEqual(
      new Set(),
    );
    const other = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
    expect(speedChange(slow, other)).toBeUndefined();
    expect(
      speedChange(slow, scaleSpeeds(other, new Map([['deepseek-flash', 1.5]]))),
    ).toBeUndefined();
  });
});
