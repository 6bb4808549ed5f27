import { describe, expect, it } from 'vitest';
import { formatAxis } from './axis';

const labels = (line: string) => line.trim().split(/ +/);

describe('formatAxis', () => {
  it('gives a run of a few milliseconds each label once', () => {
    expect(formatAxis(1, 58)).toBe('0ms');
    expect(labels(formatAxis(3, 58))).toEqual(['0ms', '1ms', '2ms']);
    expect(labels(formatAxis(0.4, 58))).toEqual(['0ms']);
  });

  it('labels long runs in minutes and hours', () => {
    expect(labels(formatAxis(7_206_468, 60))).toEqual(['0min', '30min', '1h', '1h30']);
    expect(labels(formatAxis(43_200_000, 60))).toEqual(['0h', '2h', '4h', '6h', '8h', '10h']);
  });

  it('keeps seconds for runs of seconds', () => {
    expect(labels(formatAxis(4400, 58))).toEqual(['0s', '1s', '2s', '3s', '4s']);
  });
});
