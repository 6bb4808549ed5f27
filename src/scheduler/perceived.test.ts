import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';
import { planChain } from './plan-chain';

const input = z.object({ question: z.string() });
const answered = chain('answered', { input })
  .step('plan', llm({ prompt: 'Plan.', output: z.object({ points: z.array(z.string()) }) }))
  .step('report', llm({ prompt: 'Write the report.', maxOutputTokens: 900 }))
  .returns(({ report }) => report.text);
const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });

describe('planning for the first answer token', () => {
  it('predicts the first answer token and says so in explain()', () => {
    const plan = planChain({ chain: answered.definition, pool, answer: { stepId: 'report' } });
    const report = plan.step('report')!;
    expect(plan.answer).toMatchObject({ stepId: 'report', readingTokensPerSecond: 15 });
    // The first token comes after the round trip, the model's first-token time and the prefill.
    expect(plan.answer?.firstTokenMs).toBeGreaterThan(report.predicted.startMs);
    expect(plan.answer?.firstTokenMs).toBeLessThan(report.predicted.endMs);
    expect(plan.explain()).toContain(
      'streamed: the objective applies to the first token of `report`, predicted at',
    );
    expect(planChain({ chain: answered.definition, pool }).answer).toBeUndefined();
  });

  it('under a deadline, puts a streamed answer on the cheap lane that run keeps fast', () => {
    const objective = { deadlineMs: 6000 };
    const ran = planChain({ chain: answered.definition, pool, objective });
    const streamed = planChain({
      chain: answered.definition,
      pool,
      objective,
      answer: { stepId: 'report' },
    });
    expect(ran.step('report')!.model).toBe('mercury-2');
    expect(streamed.step('report')!.model).toBe('deepseek-flash');
    expect(streamed.answer?.firstTokenMs).toBeLessThanOrEqual(6000);
    expect(streamed.costUsd).toBeLessThan(ran.costUsd);
    // A reading rate above the cheap model's 90 tokens/s keeps the answer fast.
    const readers = planChain({
      chain: answered.definition,
      pool,
      objective,
      answer: { stepId: 'report', readingTokensPerSecond: 120 },
    });
    expect(readers.step('report')!.model).toBe('mercury-2');
  });

  it('runtime.stream runs that plan, and the trace measures the first answer token', async () => {
    const clock = createVirtualClock();
    const models = createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock });
    const runtime = createRuntime({ models, objective: { deadlineMs: 6000 } });
    const ran = await runtime.run(answered, { question: 'q' });
    const streamed = runtime.stream(answered, { question: 'q' });
    const trace = await streamed.trace;
    const model = (t: typeof trace) => t.steps.find((step) => step.stepId === 'report')!.model;
    expect(model(ran.trace)).toBe('mercury-2');
    expect(model(trace)).toBe('deepseek-flash');
    expect(trace.answer!.firstTokenMs).toBeLessThanOrEqual(6000);
    expect(trace.costUsd).toBeLessThan(ran.trace.costUsd);
    expect(runtime.plan(answered, { question: 'q' }, { stream: true }).step('report')!.model).toBe(
      'deepseek-flash',
    );
  });
});
