import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { deepseekV4Flash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { planChain } from './plan-chain';
import { tenSteps } from './test-chains';

const pool = createEmulatedPool({ profiles: [mercury2, deepseekV4Flash] });
const input = z.object({ topic: z.string() });

/*
 * One step, by hand (round trip + TTFT + input / prefill rate + output / output rate):
 *   mercury-2:          60 +  500 + 400/40 + 500/1.009 =   570 +  495.54 = 1,065.54 ms
 *   deepseek-v4-flash: 120 + 1500 + 400/8  + 500/0.09  = 1,670 + 5555.56 = 7,225.56 ms
 *   each cheap step adds 6,160.02 ms and saves (400 x 0.11 + 500 x 0.47) / 1M = $0.000279
 *   mercury-2 costs (400 x 0.25 + 500 x 0.75) / 1M = $0.000475, deepseek $0.000196.
 * All fast: 10,655.40 ms, $0.004750. All cheap: 72,255.56 ms, $0.001960.
 * With k cheap steps the chain takes 10,655.40 + 6,160.02 k ms, so a deadline D allows
 * k = floor((D - 10,655.40) / 6,160.02) cheap steps:
 *   15 s: (15,000 - 10,655.40) / 6,160.02 = 0.71 -> k = 0: 10,655.40 ms, $0.004750
 *   30 s: (30,000 - 10,655.40) / 6,160.02 = 3.14 -> k = 3: 29,135.45 ms, $0.003913
 *   45 s: (45,000 - 10,655.40) / 6,160.02 = 5.58 -> k = 5: 41,455.48 ms, $0.003355
 */
describe('ten sequential 500-token steps under deadlines', () => {
  const cases = [
    { deadlineMs: 15_000, cheap: 0, makespanMs: 10_655.4, costUsd: 0.00475 },
    { deadlineMs: 30_000, cheap: 3, makespanMs: 29_135.45, costUsd: 0.003913 },
    { deadlineMs: 45_000, cheap: 5, makespanMs: 41_455.48, costUsd: 0.003355 },
  ];
  for (const expected of cases) {
    for (const solver of ['exact', 'heuristic'] as const) {
      it(`${expected.deadlineMs / 1000} s: ${expected.cheap} steps cheap (${solver})`, () => {
        const { deadlineMs } = expected;
        const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs }, solver });
        const cheap = plan.steps.filter((step) => step.model === 'deepseek-v4-flash');
        expect(cheap).toHaveLength(expected.cheap);
        expect(plan.makespanMs).toBeCloseTo(expected.makespanMs, 1);
        expect(plan.costUsd).toBeCloseTo(expected.costUsd, 9);
        expect(plan.solver).toBe(solver);
        expect(plan.warnings).toEqual([]);
        expect(plan.baselines.allFast.makespanMs).toBeCloseTo(10_655.4, 1);
        expect(plan.baselines.allCheap).toMatchObject({ costUsd: expect.closeTo(0.00196, 9) });
      });
    }
  }

  it('says why each step got its model at 30 s, in 80 columns', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: 30_000 } });
    const reasons = new Set(plan.steps.map((step) => step.reason));
    // Each fast step would have 30,000 - 29,135.45 = 864.55 ms of slack; each cheap one 7.0 s.
    expect(reasons).toEqual(
      new Set([
        '0.9 s of slack is less than deepseek-v4-flash would add',
        '7.0 s of slack covers deepseek-v4-flash',
      ]),
    );
    const text = plan.explain();
    expect(text).toContain('plan for ten (deadline 30.00 s, exact):');
    expect(text).toContain('all fast: 10.66 s, $0.004750 · all cheap: 72.26 s, $0.001960');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('15 s leaves no slack: the deadline needs every step fast', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: 10_655.4 } });
    expect(plan.step('s4')!.reason).toBe('deadline 10.7 s needs this step fast');
  });

  it('a deadline no plan meets gives the fastest plan and a warning', () => {
    const plan = planChain({ chain: tenSteps(), pool, objective: { deadlineMs: 8_000 } });
    expect(plan.makespanMs).toBeCloseTo(10_655.4, 1);
    expect(plan.warnings).toEqual([
      'no plan meets the deadline of 8.0 s: the fastest takes 10.7 s',
    ]);
    expect(plan.explain()).toContain('warning: no plan meets the deadline of 8.0 s');
  });

  it('a budget buys the most speed it can: $0.0040 pays for 7 fast steps', () => {
    // Each fast step costs $0.000279 more: (0.0040 - 0.001960) / 0.000279 = 7.3 -> 7 fast.
    const plan = planChain({ chain: tenSteps(), pool, objective: { budgetUsd: 0.004 } });
    expect(plan.steps.filter((step) => step.model === 'mercury-2')).toHaveLength(7);
    expect(plan.costUsd).toBeCloseTo(0.00196 + 7 * 0.000279, 9);
    expect(plan.makespanMs).toBeCloseTo(10_655.4 + 3 * 6_160.02, 1);
    const tooSmall = planChain({ chain: tenSteps(), pool, objective: { budgetUsd: 0.001 } });
    expect(tooSmall.costUsd).toBeCloseTo(0.00196, 9);
    expect(tooSmall.warnings[0]).toMatch(/^no plan fits the budget of \$0\.00100/);
  });
});

/*
 * plan -> answers (5 items at concurrency 5: one wave) -> report, by hand:
 *   plan    (200 in, 100 out)  mercury-2:  60 + 500 +  5 +   99.11 =   664.11 ms, $0.000125
 *                              deepseek:  120 + 1500 + 25 + 1111.11 = 2,756.11 ms, $0.000056
 *   answers (100 in, 300 out)  mercury-2:  60 + 500 + 2.5 + 297.32 =   859.82 ms, 5 x $0.000250
 *                              deepseek:  120 + 1500 + 12.5 + 3333.33 = 4,965.83 ms, 5 x $0.000098
 *   report  (2000 in, 800 out) mercury-2:  60 + 500 + 50 + 792.86  = 1,402.86 ms, $0.001100
 *                              deepseek:  120 + 1500 + 250 + 8888.89 = 10,758.89 ms, $0.000504
 * Balanced: the fan-out goes cheap (it pays deepseek's extra 4.1 s once but saves $0.000152 five
 * times); plan and report are then the critical path and stay fast:
 *   664.11 + 4,965.83 + 1,402.86 = 7,032.80 ms; $0.000125 + $0.000490 + $0.001100 = $0.001715.
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
    expect(plan.steps.map((step) => [step.id, step.model, step.reason])).toEqual([
      ['plan', 'mercury-2', 'on the critical path'],
      [
        'answers',
        'deepseek-v4-flash',
        'fan-out of ~5 items: batch work goes to the cheapest model',
      ],
      ['report', 'mercury-2', 'on the critical path'],
    ]);
    expect(plan.makespanMs).toBeCloseTo(7_032.8, 1);
    expect(plan.costUsd).toBeCloseTo(0.001715, 9);
    expect(plan.baselines.allFast).toMatchObject({
      makespanMs: expect.closeTo(2_926.8, 1),
      costUsd: expect.closeTo(0.002475, 9),
    });
    expect(plan.criticalPath).toEqual(['plan', 'answers', 'report']);
  });
});
