import { describe, expect, it } from 'vitest';
import { deepseekFlash, deepseekV4Pro, mercury2 } from './catalog';
import { computeCost } from './cost';
import { describePrices, pricesAt } from './price-windows';

// 2026-12-02 is a Wednesday; 2026-12-05 a Saturday.
const at = (iso: string) => new Date(iso).getTime();
const usage = { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500, reasoningTokens: 0 };

describe('DeepSeek peak and off-peak prices', () => {
  it('bills a Wednesday 02:00 UTC call at peak: (800 x 0.30 + 200 x 0.006 + 500 x 1.20) / 1M', () => {
    expect(computeCost(deepseekFlash.pricing, usage, at('2026-12-02T02:00:00Z'))).toBeCloseTo(
      0.0008412,
      12,
    );
    const prices = pricesAt(deepseekFlash.pricing, at('2026-12-02T02:00:00Z'));
    expect(prices.window).toBe('peak');
    expect(describePrices(prices, at('2026-12-02T02:00:00Z'))).toBe('peak until 04:00 UTC');
  });

  it('bills the same call at 12:00 UTC off-peak, half: (800 x 0.15 + 200 x 0.003 + 500 x 0.60) / 1M', () => {
    expect(computeCost(deepseekFlash.pricing, usage, at('2026-12-02T12:00:00Z'))).toBeCloseTo(
      0.0004206,
      12,
    );
    const prices = pricesAt(deepseekFlash.pricing, at('2026-12-02T12:00:00Z'));
    expect(describePrices(prices, at('2026-12-02T12:00:00Z'))).toBe('off-peak until Thu 01:00 UTC');
  });

  it('knows the second peak window and its edges: 06:00 in, 10:00 out, 04:00-06:00 off-peak', () => {
    const window = (iso: string) => pricesAt(deepseekFlash.pricing, at(iso)).window;
    expect(window('2026-12-02T00:59:59Z')).toBe('off-peak');
    expect(window('2026-12-02T01:00:00Z')).toBe('peak');
    expect(window('2026-12-02T04:00:00Z')).toBe('off-peak');
    expect(pricesAt(deepseekFlash.pricing, at('2026-12-02T04:30:00Z')).untilMs).toBe(
      at('2026-12-02T06:00:00Z'),
    );
    expect(window('2026-12-02T09:59:00Z')).toBe('peak');
    expect(window('2026-12-02T10:00:00Z')).toBe('off-peak');
  });

  it('prices a weekend at off-peak, all day, until Monday 01:00 UTC', () => {
    const saturday = at('2026-12-05T02:00:00Z');
    const prices = pricesAt(deepseekFlash.pricing, saturday);
    expect(prices.pricing).toMatchObject({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(describePrices(prices, saturday)).toBe('off-peak until Mon 01:00 UTC');
    expect(computeCost(deepseekV4Pro.pricing, usage, saturday)).toBeCloseTo(
      (800 * 0.66 + 200 * 0.022 + 500 * 1.98) / 1e6,
      12,
    );
  });

  it('prices a model without windows the same at every hour, and windows by multiplier', () => {
    expect(computeCost(mercury2.pricing, usage, at('2026-12-02T02:00:00Z'))).toBe(
      computeCost(mercury2.pricing, usage),
    );
    const doubled = {
      ...mercury2.pricing,
      windows: [{ name: 'busy', days: [3], fromHour: 0, toHour: 24, multiplier: 2 }],
    };
    expect(computeCost(doubled, usage, at('2026-12-02T02:00:00Z'))).toBeCloseTo(
      2 * computeCost(mercury2.pricing, usage),
      12,
    );
    expect(pricesAt(doubled, at('2026-12-02T02:00:00Z')).window).toBe('busy');
  });

  it('at peak Mercury 2 is cheaper than DeepSeek Flash for uncached input and output', () => {
    const peak = pricesAt(deepseekFlash.pricing, at('2026-12-02T02:00:00Z')).pricing;
    expect(mercury2.pricing.inputPerMTok).toBeLessThan(peak.inputPerMTok);
    expect(mercury2.pricing.outputPerMTok).toBeLessThan(peak.outputPerMTok);
    expect(peak.cachedInputPerMTok).toBeLessThan(mercury2.pricing.cachedInputPerMTok);
  });
});
