import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { ModelConfigError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { planChain } from './plan-chain';

const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
const input = z.object({ topic: z.string() });

/*
 * Hand-checked predictions (round trip + TTFT + input / prefill rate + output / output rate):
 *   a on mercury-2:      60 + 500 + 1000/40 + 1500/0.75 = 585 + 2000  = 2585 ms
 *   b on mercury-2:      60 + 500 +  800/40 +   45/0.75 = 580 + 60    = 640 ms
 *   b on deepseek-flash: 120 + 1500 + 800/8 +   45/0.09 = 1720 + 500  = 2220 ms
 *   c on mercury-2:      60 + 500 +  400/40 +  750/0.75 = 570 + 1000  = 1570 ms
 * a is the critical path; b has 2585 - 640 = 1945 ms of slack, enough for deepseek's 2220 ms.
 */
const diamond = chain('diamond', { input })
  .parallel({
    a: llm({ prompt: 'long', expect: { inputTokens: 1000, outputTokens: 1500 } }),
    b: llm({ prompt: 'short', expect: { inputTokens: 800, outputTokens: 45 } }),
  })
  .step('c', llm({ prompt: 'join', expect: { inputTokens: 400, outputTokens: 750 } }));

describe('planChain (balanced)', () => {
  const plan = planChain({ chain: diamond.definition, pool });

  it('puts the critical path on the fastest model and the slack branch on the cheapest', () => {
    expect(plan.step('a')).toMatchObject({ model: 'mercury-2', lane: 'fast', critical: true });
    expect(plan.step('b')).toMatchObject({ model: 'deepseek-flash', lane: 'cheap' });
    expect(plan.step('c')).toMatchObject({ model: 'mercury-2', lane: 'fast', critical: true });
    expect(plan.criticalPath).toEqual(['a', 'c']);
  });

  it('predicts the hand-checked durations, slack and makespan', () => {
    expect(plan.step('a')!.predicted.durationMs).toBeCloseTo(2585, 6);
    expect(plan.step('b')!.predicted.durationMs).toBeCloseTo(2220, 6);
    expect(plan.step('b')!.slackMs).toBeCloseTo(365, 6);
    expect(plan.step('c')!.predicted.startMs).toBeCloseTo(2585, 6);
    expect(plan.durationMs).toBeCloseTo(4155, 6);
  });

  it('prices each step at its model, off-peak without a date: b = (800 x $0.15 + 45 x $0.60) / 1M', () => {
    expect(plan.step('b')!.predicted.costUsd).toBeCloseTo(0.000147, 12);
    expect(plan.costUsd).toBeLessThan(plan.baselines.allFast.costUsd);
    expect(plan.durationMs).toBeCloseTo(plan.baselines.allFast.durationMs, 6);
  });

  it('says why in the explanation', () => {
    expect(plan.step('a')!.reason).toBe('on the critical path');
    // deepseek adds 2220 - 640 = 1580 ms; 1945 - 1580 = 365 ms are left, as the slack column says.
    expect(plan.step('b')!.reason).toBe('deepseek-flash fits in the slack: +1.58 s, 0.36 s left');
    const text = plan.explain();
    expect(text).toContain('critical path: a → c');
    expect(text).toContain('b: deepseek-flash fits in the slack: +1.58 s, 0.36 s left');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('keeps a step fast when its slack cannot absorb the cheap model', () => {
    const tight = chain('tight', { input })
      .parallel({
        a: llm({ prompt: 'x', expect: { inputTokens: 1000, outputTokens: 1500 } }),
        b: llm({ prompt: 'y', expect: { inputTokens: 800, outputTokens: 450 } }),
      })
      .step('c', llm({ prompt: 'z' }));
    const planned = planChain({ chain: tight.definition, pool }).step('b')!;
    expect(planned.model).toBe('mercury-2');
    expect(planned.reason).toMatch(
      /^\d\.\d\d s of slack, less than the \d\.\d\d s deepseek-flash would add$/,
    );
  });

  it('sends map items to the cheapest model and counts waves and items', () => {
    const fanOut = chain('fan', { input })
      .step('plan', llm({ prompt: 'p', expect: { inputTokens: 400, outputTokens: 750 } }))
      .map(
        'items',
        () => ['x'],
        llm({ prompt: 'q', expect: { inputTokens: 800, outputTokens: 45 } }),
        {
          concurrency: 2,
          expect: { items: 5 },
        },
      );
    const planned = planChain({ chain: fanOut.definition, pool }).step('items')!;
    expect(planned).toMatchObject({ model: 'deepseek-flash', lane: 'cheap', items: 5 });
    // 5 items at concurrency 2: 3 waves of 2220 ms; 5 calls of $0.000147.
    expect(planned.predicted.durationMs).toBeCloseTo(3 * 2220, 6);
    expect(planned.predicted.costUsd).toBeCloseTo(5 * 0.000147, 12);
  });

  it('honours lane pins and model lists', () => {
    const pinned = chain('pinned', { input })
      .step('a', llm({ prompt: 'a', lane: 'cheap' }))
      .step('b', llm({ prompt: 'b', models: ['deepseek-flash'] }));
    const plan = planChain({ chain: pinned.definition, pool });
    expect(plan.step('a')).toMatchObject({
      model: 'deepseek-flash',
      reason: 'pinned to the cheap lane',
    });
    expect(plan.step('b')!.model).toBe('deepseek-flash');
  });

  it('gives fn steps no model and their expected duration', () => {
    const withCode = chain('code', { input }).step(
      'f',
      fn(() => 1, { expect: { durationMs: 40 } }),
    );
    const planned = planChain({ chain: withCode.definition, pool }).step('f')!;
    expect(planned.model).toBeUndefined();
    expect(planned.predicted).toMatchObject({ durationMs: 40, costUsd: 0 });
  });
});

describe('planChain objectives', () => {
  it('latency puts every step on the fastest model, cost on the cheapest', () => {
    const fast = planChain({ chain: diamond.definition, pool, objective: 'latency' });
    const cheap = planChain({ chain: diamond.definition, pool, objective: 'cost' });
    expect(fast.steps.map((step) => step.model)).toEqual(['mercury-2', 'mercury-2', 'mercury-2']);
    expect(cheap.steps.map((step) => step.model)).toEqual([
      'deepseek-flash',
      'deepseek-flash',
      'deepseek-flash',
    ]);
    expect(fast.durationMs).toBeCloseTo(fast.baselines.allFast.durationMs, 6);
    expect(cheap.costUsd).toBeCloseTo(cheap.baselines.allCheap.costUsd, 12);
  });
});

describe('planChain candidates', () => {
  it('fails clearly when no candidate supports structured output', () => {
    const textOnly = createEmulatedPool({
      profiles: [
        { ...mercury2, capabilities: { ...mercury2.capabilities, structuredOutput: false } },
      ],
    });
    const structured = chain('s', { input }).step(
      'extract',
      llm({ prompt: 'x', output: z.object({ a: z.string() }) }),
    );
    expect(() => planChain({ chain: structured.definition, pool: textOnly })).toThrow(
      ModelConfigError,
    );
    expect(() => planChain({ chain: structured.definition, pool: textOnly })).toThrow(
      'Step `extract` of chain `s` has no model to run on: none of `mercury-2` supports structured output',
    );
  });

  it('names the known models for an unknown model id', () => {
    const unknown = chain('u', { input }).step('a', llm({ prompt: 'x', models: ['gpt-9'] }));
    expect(() => planChain({ chain: unknown.definition, pool })).toThrow(
      'Unknown model `gpt-9`; the pool has `mercury-2`, `deepseek-flash`',
    );
  });
});
