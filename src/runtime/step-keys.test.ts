import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { hashAfter, hashText } from '../stores/hash';
import { computeStepKeys } from './step-keys';

const input = z.object({ topic: z.string() });
const base = chain('keys', { input }).step('plan', llm({ prompt: 'Plan a trip' }));

describe('step keys', () => {
  it('hashes a chain definition once, and an edited chain anew', async () => {
    const first = computeStepKeys(base.definition);
    // The same definition (every run of the same chain): the same keys, not hashed again.
    expect(computeStepKeys(base.definition)).toBe(first);
    const extended = base.step('report', llm({ prompt: 'Write it up' }));
    const edited = chain('keys', { input }).step('plan', llm({ prompt: 'Plan a hike' }));
    const [keys, longer, other] = await Promise.all([
      first,
      computeStepKeys(extended.definition),
      computeStepKeys(edited.definition),
    ]);
    expect(longer.key.get('plan')).toBe(keys.key.get('plan'));
    expect(other.key.get('plan')).not.toBe(keys.key.get('plan'));
    expect(other.definitionHash).not.toBe(keys.definitionHash);
  });

  it('starts each unit key from its step key', async () => {
    const keys = await computeStepKeys(base.definition);
    const stepKey = keys.key.get('plan')!;
    expect(hashAfter(keys.unitPrefix.get('plan')!, '3', '|x')).toBe(hashText(`${stepKey}|3|x`));
  });
});
