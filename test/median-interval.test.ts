import { describe, expect, it } from 'vitest';
import { median, medianInterval } from '../bench/lib/stats';

describe('medianInterval', () => {
  const noisy = Array.from({ length: 41 }, (_, k) => 0.03 + 0.05 * Math.sin(k * 1.7));

  it('holds the median, and is the same for the same samples', () => {
    const { low, high } = medianInterval(noisy);
    expect(low).toBeLessThanOrEqual(median(noisy));
    expect(high).toBeGreaterThanOrEqual(median(noisy));
    expect(high).toBeGreaterThan(low);
    expect(medianInterval(noisy)).toEqual({ low, high });
  });

  it('narrows as the repetitions grow', () => {
    const few = noisy.slice(0, 9);
    const width = ({ low, high }: { low: number; high: number }) => high - low;
    expect(width(medianInterval(noisy))).toBeLessThan(width(medianInterval(few)));
  });

  it('is the value itself when every sample is the same', () => {
    expect(medianInterval([0.02, 0.02, 0.02])).toEqual({ low: 0.02, high: 0.02 });
    expect(medianInterval([])).toEqual({ low: Number.NaN, high: Number.NaN });
  });
});
