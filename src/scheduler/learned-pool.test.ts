import { describe, expect, it } from 'vitest';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryEstimateStore } from './estimate-store';
import { learnedFigures } from './learned-pool';

const pool = createEmulatedPool({ profiles: [mercury2] });
const entry = pool.get('mercury-2');

describe('learned figures', () => {
  it('wait for five successful calls: failed ones measure nothing', () => {
    const history = createMemoryEstimateStore();
    for (let i = 0; i < 4; i++) history.recordCall!({ model: 'mercury-2', status: 'rate-limited' });
    const ok = { model: 'mercury-2', status: 'ok', timeToFirstTokenMs: 3000 } as const;
    history.recordCall!({ ...ok, outputTokensPerSecond: 100 });
    expect(history.modelStats!('mercury-2')).toMatchObject({
      samples: 5,
      measured: { timeToFirstTokenMs: 1, outputTokensPerSecond: 1 },
    });
    expect(learnedFigures(entry, history)).toBeUndefined();
    // Four more answers in one chunk each: five first tokens, still one speed.
    for (let i = 0; i < 4; i++) history.recordCall!(ok);
    expect(learnedFigures(entry, history)).toEqual({
      timeToFirstTokenMs: 2940,
      outputTokensPerSecond: mercury2.outputTokensPerSecond,
    });
  });
});
