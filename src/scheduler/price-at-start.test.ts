import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { deepseekFlash } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { firstPriceChange, mayCrossPriceChange } from './price-at-start';
import { buildProblem, type Problem } from './problem';
import { pricedInstanceArbitrary } from './test-chains';
import { computeTimes, createTiming } from './timing';

/** The latest end of any choice of the problem's options (pinned, and every candidate). */
function latestEnd(problem: Problem): number {
  let latest = 0;
  for (const options of [problem.options, problem.unpinned]) {
    const choice = new Int32Array(options.length);
    const timing = createTiming(problem);
    const visit = (i: number) => {
      if (i === options.length) {
        latest = Math.max(latest, computeTimes({ ...problem, options }, choice, timing));
        return;
      }
      for (let k = 0; k < options[i]!.length; k++) {
        choice[i] = k;
        visit(i + 1);
      }
    };
    visit(0);
  }
  return latest;
}

describe('mayCrossPriceChange', () => {
  it('is a bound: when it says no, no choice of options ends past the first change', () => {
    let far = 0;
    let near = 0;
    fc.assert(
      fc.property(pricedInstanceArbitrary(), ({ instance, startAt }) => {
        const problem = buildProblem({ chain: instance.chain, pool: instance.pool, startAt });
        const change = firstPriceChange(instance.pool, startAt);
        if (mayCrossPriceChange(problem, startAt, instance.pool)) near++;
        else {
          far++;
          expect(startAt + latestEnd(problem)).toBeLessThanOrEqual(change);
        }
      }),
      { seed: 20261207, numRuns: 300 },
    );
    // Both answers came up, so the bound was put to the test.
    expect(far).toBeGreaterThan(20);
    expect(near).toBeGreaterThan(20);
  });
});

describe('a wide chain a while before a price change', () => {
  // Twelve steps side by side, each some 20 s on DeepSeek: 4 minutes one after another, 20 s as
  // planned.
  let wide = chain('wide', { input: z.object({}) });
  for (let k = 0; k < 12; k++) {
    wide = wide.step(
      `s${k}`,
      { needs: [] },
      llm({ prompt: 'x', expect: { inputTokens: 50, outputTokens: 800 } }),
    );
  }
  const pool = createEmulatedPool({ profiles: [deepseekFlash] });
  const change = firstPriceChange(pool, Date.parse('2026-12-02T12:00:00Z'));

  it('is not near it when its steps side by side end before it, though their sum would not', () => {
    const startAt = change - 120_000;
    const problem = buildProblem({ chain: wide.definition, pool, startAt });
    const slowest = problem.options.map((options) => options[options.length - 1]!.durationMs);
    expect(slowest.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(120_000);
    expect(Math.max(...slowest)).toBeLessThan(120_000);
    expect(mayCrossPriceChange(problem, startAt, pool)).toBe(false);
    expect(mayCrossPriceChange(problem, change - Math.max(...slowest) / 2, pool)).toBe(true);
  });
});
