import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { ModelConfigError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { planChain } from './plan-chain';

const input = z.object({ topic: z.string() });
const noTools = {
  ...deepseekFlash,
  capabilities: { ...deepseekFlash.capabilities, tools: false },
};
const pool = createEmulatedPool({ profiles: [mercury2, noTools] });

describe('candidates', () => {
  it('keeps a step that needs tools off models without tool calls', () => {
    const agent = chain('agent', { input }).step(
      'act',
      llm({ prompt: 'x', requires: { tools: true }, lane: 'cheap' }),
    );
    expect(planChain({ chain: agent.definition, pool }).step('act')!.model).toBe('mercury-2');
  });

  it('keeps a step off models whose context window is too small for it', () => {
    const long = chain('long', { input }).step(
      'read',
      llm({ prompt: 'x', expect: { inputTokens: 200_000 } }),
    );
    expect(planChain({ chain: long.definition, pool }).step('read')!.model).toBe('deepseek-flash');
  });

  it('names the step and what each model lacks when none fits', () => {
    const both = chain('both', { input }).step(
      'act',
      llm({ prompt: 'x', requires: { tools: true }, expect: { inputTokens: 200_000 } }),
    );
    const plan = () => planChain({ chain: both.definition, pool });
    expect(plan).toThrow(ModelConfigError);
    expect(plan).toThrow(
      'Step `act` of chain `both` has no model to run on: `mercury-2` has a 128,000-token window, short of the ~200,200 tokens expected; `deepseek-flash` lacks tool calls',
    );
  });

  it('rejects an objective of the wrong shape, saying what came', () => {
    const one = chain('one', { input }).step('a', llm({ prompt: 'x' }));
    expect(() => planChain({ chain: one.definition, pool, objective: { deadlineMs: -1 } })).toThrow(
      'Expected `objective.deadlineMs` to be a number above 0, got `-1` (number)',
    );
  });
});
