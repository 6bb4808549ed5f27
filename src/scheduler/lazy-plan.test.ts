import { describe, expect, it } from 'vitest';
import { catalog } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { planChain } from './plan-chain';
import { tenSteps } from './test-chains';

const pool = createEmulatedPool({ profiles: Object.values(catalog) });
const lazy = ['durationPercentiles', 'baselines', 'frontier'] as const;

describe('plans', () => {
  it('list their fields in the order they always have, the lazy ones as fields', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: 'balanced' });
    expect(Object.keys(plan)).toEqual([
      'chain',
      'objective',
      'steps',
      'durationMs',
      'costUsd',
      'criticalPath',
      'durationPercentiles',
      'baselines',
      'warnings',
      'solver',
      'nowMs',
      'priceWindows',
      'frontier',
      'step',
      'explain',
    ]);
    const parsed = JSON.parse(JSON.stringify(plan));
    for (const key of lazy) expect(parsed[key]).toEqual(JSON.parse(JSON.stringify(plan[key])));
    expect({ ...plan }.frontier).toEqual(plan.frontier);
  });

  it('share one getter per lazy field, so that plans share their hidden class', () => {
    const a = planChain({ chain: tenSteps(), pool, objective: 'latency' });
    const b = planChain({ chain: tenSteps(), pool, objective: 'cost' });
    for (const key of lazy) {
      const getter = Object.getOwnPropertyDescriptor(a, key)?.get;
      expect(getter).toBeTypeOf('function');
      expect(Object.getOwnPropertyDescriptor(b, key)?.get).toBe(getter);
    }
    expect(b.baselines).not.toEqual(undefined);
    expect(a.frontier).not.toBe(b.frontier);
  });
});
