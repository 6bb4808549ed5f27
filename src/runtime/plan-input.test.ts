import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from './runtime';

const input = z.object({ questions: z.array(z.string()) });
const answer = llm({ prompt: (question: string) => `Answer: ${question}`, maxOutputTokens: 100 });
const questions = Array.from({ length: 20 }, (_, index) => `question ${index}`);

function runtime() {
  const clock = createVirtualClock();
  return createRuntime({
    models: createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock }),
  });
}

describe('runtime.plan with the input', () => {
  it('counts the items of a map whose `over` reads only the input', async () => {
    const fanOut = chain('fan', { input }).map('m', ({ input }) => input.questions, answer);
    const rt = runtime();
    const plan = rt.plan(fanOut, { questions });
    expect(plan.step('m')!.items).toBe(20);
    expect(plan.explain()).toContain('m ×20');
    // Without the input the plan keeps the estimate (`expect.items`, default 4).
    expect(rt.plan(fanOut).step('m')!.items).toBe(4);
    // The prediction holds: the run takes about as long as the plan said (the virtual clock
    // runs the emulator's timing exactly; today's estimate of 4 items was 3x off).
    const { trace } = await rt.run(fanOut, { questions });
    expect(trace.durationMs / plan.durationMs).toBeGreaterThan(0.8);
    expect(trace.durationMs / plan.durationMs).toBeLessThan(1.25);
  });

  it('keeps the estimate when `over` reads a step, throws, or returns no array', () => {
    const rt = runtime();
    const fromStep = chain('from-step', { input })
      .step(
        'list',
        fn(({ input }) => input.questions),
      )
      .map('m', ({ list }) => list, answer, { expect: { items: 6 } });
    expect(rt.plan(fromStep, { questions }).step('m')!.items).toBe(6);
    const throwing = chain('throwing', {
      input: z.object({ questions: z.array(z.string()).optional() }),
    }).map('m', ({ input }) => input.questions!.filter(Boolean), answer);
    expect(rt.plan(throwing, {}).step('m')!.items).toBe(4);
    const later = chain('later', { input }).map('m', async ({ input }) => input.questions, answer);
    expect(rt.plan(later, { questions }).step('m')!.items).toBe(4);
  });

  it('takes an objective, as run does', () => {
    const rt = runtime();
    const fanOut = chain('fan', { input }).map('m', ({ input }) => input.questions, answer);
    const fast = rt.plan(fanOut, { questions }, { objective: 'latency' });
    expect(fast.objective).toBe('latency');
    expect(fast.step('m')!.model).toBe('mercury-2');
    expect(rt.plan(fanOut, { questions }).step('m')!.model).toBe('deepseek-flash');
    expect(() => rt.plan(fanOut, { questions }, { objectve: 'cost' } as never)).toThrow(
      /Unknown option `objectve` of `runtime.plan`; did you mean `objective`\?/,
    );
  });
});

describe('plans reused between runs', () => {
  it('plans an unchanged chain once, and again once a run has taught the history', async () => {
    const fanOut = chain('fan', { input }).map('m', ({ input }) => input.questions, answer);
    const rt = runtime();
    const first = rt.plan(fanOut, { questions });
    expect(rt.plan(fanOut, { questions })).toBe(first);
    expect(rt.plan(fanOut, { questions }, { objective: 'cost' })).not.toBe(first);
    await rt.run(fanOut, { questions });
    // The run measured every call: the next plan is made from what it learned.
    expect(rt.plan(fanOut, { questions })).not.toBe(first);
  });
});
