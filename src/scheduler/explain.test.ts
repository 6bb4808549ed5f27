import { describe, expect, it } from 'vitest';
import { formatObjective, formatSeconds, formatTable, formatUsd } from './explain';

describe('formatUsd', () => {
  it('never shows a non-zero amount as zero', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(3e-7)).toBe('<$0.000001');
    expect(formatUsd(4.9e-7)).toBe('<$0.000001');
    expect(formatUsd(6e-7)).toBe('$0.000001');
    expect(formatUsd(0.000412)).toBe('$0.000412');
  });

  it('writes an amount or a time that is not finite as unknown, never NaN', () => {
    expect(formatUsd(Number.NaN)).toBe('$?');
    expect(formatUsd(Number.POSITIVE_INFINITY)).toBe('$?');
    expect(formatUsd(Number.NEGATIVE_INFINITY)).toBe('$?');
    expect(formatSeconds(Number.NaN)).toBe('? s');
    expect(formatObjective({ budgetUsd: Number.NaN })).toBe('budget $?');
  });

  it('rounds before it picks the format', () => {
    expect(formatUsd(0.9999996)).toBe('$1.00');
    expect(formatUsd(0.99999949)).toBe('$0.999999');
    expect(formatUsd(1)).toBe('$1.00');
  });

  it('puts the sign first and separates thousands', () => {
    expect(formatUsd(-0.25)).toBe('-$0.250000');
    expect(formatUsd(-3e-7)).toBe('-<$0.000001');
    expect(formatUsd(12345.678)).toBe('$12,345.68');
    expect(formatUsd(1234567)).toBe('$1,234,567.00');
  });

  it('keeps a cost column right-aligned with amounts under a millionth', () => {
    expect(formatTable(['cost'], [['$0.000412'], [formatUsd(3e-7)], ['$0']])).toEqual([
      '      cost',
      ' $0.000412',
      '<$0.000001',
      '        $0',
    ]);
  });
});
