import { describe, expect, it } from 'vitest';
import { createSecretMasker } from './redact';

describe('createSecretMasker', () => {
  const mask = createSecretMasker(['hunter2-long-secret']);

  it('masks a string each time it comes, remembered or not', () => {
    const line = 'refused sk-abcdefghijklmnop for hunter2-long-secret';
    const masked = 'refused [redacted] for [redacted]';
    expect(mask(line)).toBe(masked);
    expect(mask(line)).toBe(masked);
    // Past what it remembers, it forgets and still masks.
    for (let k = 0; k < 5000; k++) mask(`step-${k}`);
    expect(mask(line)).toBe(masked);
    const long = `${'x'.repeat(300)} Bearer abcdefghijkl`;
    expect(mask(long)).toBe(`${'x'.repeat(300)} [redacted]`);
    expect(mask(long)).toBe(`${'x'.repeat(300)} [redacted]`);
  });

  it('leaves strings too short to hold a secret as they are', () => {
    expect(mask('s0')).toBe('s0');
    expect(mask('a://b@')).toBe('a://[redacted]@');
  });
});
