import { describe, expect, it } from 'vitest';
import { catalog } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { layoutOf } from './chain-layout';
import { planChain } from './plan-chain';
import { tenSteps } from './test-chains';

const pool = createEmulatedPool({ profiles: Object.values(catalog) });

describe('planned steps', () => {
  it('carry the reason as an own enumerable field that JSON, keys and spreads see', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: 'balanced' });
    const step = plan.steps[0]!;
    expect(Object.keys(step)).toEqual([
      'stepId',
      'kind',
      'model',
      'lane',
      'items',
      'predicted',
      'slackMs',
      'critical',
      'reason',
      'state',
    ]);
    const copy = { ...step };
    expect(copy.reason).toBe(step.reason);
    expect(copy.reason.length).toBeGreaterThan(0);
    const parsed = JSON.parse(JSON.stringify(plan.steps));
    expect(parsed.map((s: { reason: string }) => s.reason)).toEqual(
      plan.steps.map((s) => s.reason),
    );
    expect(JSON.parse(JSON.stringify(step))).toEqual(copy);
  });

  it('give each step its own reason, as plan.step(id) finds it', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: 60_000 } });
    for (const step of plan.steps) expect(plan.step(step.stepId)).toBe(step);
    expect(plan.step('no-such-step')).toBeUndefined();
    const reasons = new Set(plan.steps.map((step) => step.reason));
    expect(reasons.size).toBeGreaterThan(1);
  });
});

describe('layoutOf', () => {
  it('lays out a steps array again when it changed length', () => {
    const chain = tenSteps();
    const steps = [...chain.steps];
    expect(layoutOf(steps).steps).toHaveLength(steps.length);
    steps.pop();
    const layout = layoutOf(steps);
    expect(layout.steps).toHaveLength(steps.length);
    expect(layout.steps.map((step) => step.id)).toEqual(steps.map((step) => step.id));
    expect(layout.index.get(chain.steps.at(-1)!.id)).toBeUndefined();
  });
});
