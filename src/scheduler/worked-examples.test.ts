import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { planChain } from './plan-chain';
import { tenSteps } from './test-chains';

const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
const input = z.object({ topic: z.string() });

/*
 * One step, by hand (round trip + TTFT + input / prefill rate + output / output rate), DeepSeek
 * at its off-peak (base) prices, as a plan without a date prices it:
 *   mercury-2:      60 +  500 + 400/40 + 500/0.75 =   570 +  666.67 = 1,236.67 ms
 *   deepseek-flash: 120 + 1500 + 400/8 + 500/0.09 = 1,670 + 5555.56 = 7,225.56 ms
 *   each cheap step adds 5,988.89 ms and saves (400 x 0.10 + 500 x 0.15) / 1M = $0.000115
 *   mercury-2 costs (400 x 0.25 + 500 x 0.75) / 1M = $0.000475, deepseek $0.000360.
 * All fast: 12,366.67 ms, $0.004750. All cheap: 72,255.56 ms, $0.003600.
 * With k cheap steps the chain takes 12,366.67 + 5,988.89 k ms, so a deadline D allows
 * k = floor((D - 12,366.67) / 5,988.89) cheap steps:
 *   15 s: (15,000 - 12,366.67) / 5,988.89 = 0.44 -> k = 0: 12,366.67 ms, $0.004750
 *   30 s: (30,000 - 12,366.67) / 5,988.89 = 2.94 -> k = 2: 24,344.44 ms, $0.004520
 *   45 s: (45,000 - 12,366.67) / 5,988.89 = 5.45 -> k = 5: 42,311.11 ms, $0.004175
 */
describe('ten sequential 500-token steps under deadlines', () => {
  const cases = [
    { deadlineMs: 15_000, cheap: 0, durationMs: 12_366.67, costUsd: 0.00475 },
    { deadlineMs: 30_000, cheap: 2, durationMs: 24_344.44, costUsd: 0.00452 },
    { deadlineMs: 45_000, cheap: 5, durationMs: 42_311.11, costUsd: 0.004175 },
  ];
  for (const expected of cases) {
    for (const solver of ['exact', 'heuristic'] as const) {
      it(`${expected.deadlineMs / 1000} s: ${expected.cheap} steps cheap (${solver})`, () => {
        const { deadlineMs } = expected;
        const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs }, solver });
        const cheap = plan.steps.filter((step) => step.model === 'deepseek-flash');
        expect(cheap).toHaveLength(expected.cheap);
        expect(plan.durationMs).toBeCloseTo(expected.durationMs, 1);
        expect(plan.costUsd).toBeCloseTo(expected.costUsd, 9);
        expect(plan.solver).toBe(solver);
        expect(plan.warnings).toEqual([]);
        expect(plan.baselines.allFast.durationMs).toBeCloseTo(12_366.67, 1);
        expect(plan.baselines.allCheap).toMatchObject({ costUsd: expect.closeTo(0.0036, 9) });
      });
    }
  }

  it('says why each step got its model at 30 s, in 80 columns', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: 30_000 } });
    const reasons = new Set(plan.steps.map((step) => step.reason));
    // Each fast step has 30,000 - 24,344.44 = 5,655.56 ms to spare before the deadline, less
    // than the 5,988.89 ms the cheap model adds; each cheap one adds it and leaves the same.
    expect(reasons).toEqual(
      new Set([
        '5.66 s to spare before the deadline, less than the 5.99 s deepseek-flash would add',
        'deepseek-flash fits before the deadline: +5.99 s, 5.66 s to spare',
      ]),
    );
    const text = plan.explain();
    expect(text).toContain('plan for ten (deadline 30.00 s, exact):');
    expect(text).toContain('all fast: 12.37 s, $0.004750 · all cheap: 72.26 s, $0.003600');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('15 s leaves no slack: the deadline needs every step fast', () => {
    // The deadline is the all-fast makespan itself (12,366.67 ms): no step has any slack.
    const fastest = planChain({ chain: tenSteps(), pool, objective: 'latency' }).durationMs;
    expect(fastest).toBeCloseTo(12_366.67, 1);
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: fastest } });
    expect(plan.step('s4')!.reason).toBe('deadline 12.37 s needs this step fast');
  });

  it('a deadline no plan meets gives the fastest plan and a warning', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: 8_000 } });
    expect(plan.durationMs).toBeCloseTo(12_366.67, 1);
    expect(plan.warnings).toEqual([
      'no plan meets the deadline of 8.0 s: the fastest takes 12.4 s',
    ]);
    expect(plan.explain()).toContain('warning: no plan meets the deadline of 8.0 s');
  });

  it('a budget buys the most speed it can: $0.0040 pays for 3 fast steps', () => {
    // Each fast step costs $0.000115 more: (0.0040 - 0.003600) / 0.000115 = 3.5 -> 3 fast.
    const plan = planChain({ chain: tenSteps(), pool, objective: { budgetUsd: 0.004 } });
    expect(plan.steps.filter((step) => step.model === 'mercury-2')).toHaveLength(3);
    expect(plan.costUsd).toBeCloseTo(0.0036 + 3 * 0.000115, 9);
    expect(plan.durationMs).toBeCloseTo(12_366.67 + 7 * 5_988.89, 1);
    const tooSmall = planChain({ chain: tenSteps(), pool, objective: { budgetUsd: 0.001 } });
    expect(tooSmall.costUsd).toBeCloseTo(0.0036, 9);
    expect(tooSmall.warnings[0]).toMatch(/^no plan fits the budget of \$0\.00100/);
  });
});

/*
 * plan -> answers (5 items at concurrency 5: one wave) -> report, by hand (DeepSeek off-peak):
 *   plan    (200 in, 100 out)  mercury-2:  60 + 500 +  5 +  133.33 =   698.33 ms, $0.000125
 *                              deepseek:  120 + 1500 + 25 + 1111.11 = 2,756.11 ms, $0.000090
 *   answers (100 in, 300 out)  mercury-2:  60 + 500 + 2.5 + 400    =   962.50 ms, 5 x $0.000250
 *                              deepseek:  120 + 1500 + 12.5 + 3333.33 = 4,965.83 ms, 5 x $0.000195
 *   report  (2000 in, 800 out) mercury-2:  60 + 500 + 50 + 1066.67 = 1,676.67 ms, $0.001100
 *                              deepseek:  120 + 1500 + 250 + 8888.89 = 10,758.89 ms, $0.000780
 * Balanced: the fan-out goes cheap (it pays deepseek's extra 4.0 s once but saves $0.000055 five
 * times); plan and report are then the critical path and stay fast:
 *   698.33 + 4,965.83 + 1,676.67 = 7,340.83 ms; $0.000125 + $0.000975 + $0.001100 = $0.002200.
 */
describe('plan / map / report under balanced', () => {
  const research = chain('research', { input })
    .step(
      'plan',
      llm({
        prompt: ({ input }) => `Split into queries: ${input.topic}`,
        output: z.object({ queries: z.array(z.string()) }),
        expect: { inputTokens: 200, outputTokens: 100 },
      }),
    )
    .map(
      'answers',
      ({ plan }) => plan.queries,
      llm({ prompt: (q) => `Answer: ${q}`, expect: { inputTokens: 100, outputTokens: 300 } }),
      { concurrency: 5, expect: { items: 5 } },
    )
    .step('report', llm({ prompt: 'Report', expect: { inputTokens: 2000, outputTokens: 800 } }));

  it('sends the map items cheap and keeps plan and report fast', () => {
    const plan = planChain({ chain: research.definition, pool });
    expect(plan.steps.map((step) => [step.stepId, step.model, step.reason])).toEqual([
      ['plan', 'mercury-2', 'on the critical path'],
      ['answers', 'deepseek-flash', 'fan-out of ~5 items: batch work goes to the cheapest model'],
      ['report', 'mercury-2', 'on the critical path'],
    ]);
    expect(plan.durationMs).toBeCloseTo(7_340.83, 1);
    expect(plan.costUsd).toBeCloseTo(0.0022, 9);
    expect(plan.baselines.allFast).toMatchObject({
      durationMs: expect.closeTo(3_337.5, 1),
      costUsd: expect.closeTo(0.002475, 9),
    });
    expect(plan.criticalPath).toEqual(['plan', 'answers', 'report']);
  });
});
