import { createRuntime, createVirtualClock, models } from 'hotpath';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, research } from '../examples/research';

afterEach(() => vi.restoreAllMocks());

function runtime() {
  return createRuntime({ models: models.emulated({ clock: createVirtualClock() }) });
}

describe('examples/research.ts', () => {
  it('plans a fast plan and report around a cheap fan-out', () => {
    const plan = runtime().plan(research, { question: 'Why are diffusion LLMs fast?' });
    expect(plan.steps.map((step) => [step.stepId, step.model, step.lane])).toEqual([
      ['plan', 'mercury-2', 'fast'],
      ['answers', 'deepseek-flash', 'cheap'],
      ['report', 'mercury-2', 'fast'],
    ]);
  });

  it('runs 5-8 answers between the plan and the report', async () => {
    const { output, trace } = await runtime().run(research, {
      question: 'Why are diffusion LLMs fast?',
    });
    expect(output.length).toBeGreaterThan(100);
    expect(trace.items.answers!.length).toBeGreaterThanOrEqual(5);
    expect(trace.items.answers!.length).toBeLessThanOrEqual(8);
    expect(trace.criticalPath).toEqual(['plan', 'answers', 'report']);
  });

  it('prints the plan and then the trace (the demo)', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text = '') => printed.push(String(text)));
    await main(runtime());
    const text = printed.join('\n');
    expect(text).toMatch(/^plan for research \(balanced\b/);
    expect(text).toMatch(/research finished in \d+\.\d\d s for \$0\.\d{6} \(\d+ model calls/);
    expect(text).toMatch(/answers ×\d\s+deepseek-flash\s+cheap/);
    expect(text).toContain('critical path: plan → answers → report');
  });
});
