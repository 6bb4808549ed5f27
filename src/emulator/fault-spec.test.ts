import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from './fault-spec';

describe('parseFaultSpec', () => {
  it.each([
    ['429', { fault: { kind: 'rate-limit' } }],
    [
      '429=2,model=deepseek-flash,rate=0.1',
      { fault: { kind: 'rate-limit', retryAfterSeconds: 2 }, model: 'deepseek-flash', rate: 0.1 },
    ],
    ['500,at=3', { fault: { kind: 'server-error' }, requests: [3] }],
    ['503=5', { fault: { kind: 'unavailable', retryAfterSeconds: 5 } }],
    ['stall=3000,rate=0.5', { fault: { kind: 'stall', ms: 3000 }, rate: 0.5 }],
    ['slow=4,model=mercury-2', { fault: { kind: 'slow', factor: 4 }, model: 'mercury-2' }],
    ['cut=0.25', { fault: { kind: 'cut', after: 0.25 } }],
    ['cut', { fault: { kind: 'cut' } }],
    ['reset,at=1+2+5', { fault: { kind: 'reset' }, requests: [1, 2, 5] }],
    ['rate-limit=1', { fault: { kind: 'rate-limit', retryAfterSeconds: 1 } }],
    ['stall=60000,chunks=1', { fault: { kind: 'stall', ms: 60000, afterChunks: 1 } }],
    ['error-frame', { fault: { kind: 'error-frame' } }],
    [
      'error-frame=429,after=0.2,at=1',
      { fault: { kind: 'error-frame', status: 429, after: 0.2 }, requests: [1] },
    ],
    ['bad-chunk=0.3', { fault: { kind: 'bad-chunk', after: 0.3 } }],
  ])('reads %s', (spec, rule) => {
    expect(parseFaultSpec(spec)).toEqual(rule);
  });

  it.each([
    ['418', /a kind among/],
    ['stall', /stall=MS/],
    ['slow=0', /faults\[0\]\.fault\.factor/],
    ['429,rate=2', /faults\[0\]\.rate/],
    ['reset,at=0', /faults\[0\]\.requests/],
    ['cut=1.5', /faults\[0\]\.fault\.after/],
    ['500,when=3', /model=ID, rate=P, at=N\+N/],
    ['429=soon', /a number after/],
    ['429=', /a number after/],
    ['500=7', 'Expected `--fault 500=7` to be `500` alone (it takes no value), got `7`'],
    ['reset=3,at=1', 'Expected `--fault reset=3,at=1` to be `reset` alone (it takes no value)'],
    ['server-error=', /`server-error` alone/],
    ['429,rate=', 'Expected `--fault 429,rate=` to be `rate=P` with P a share from 0 to 1'],
    [
      'stall=100,chunks=-1',
      'Expected `--fault stall=100,chunks=-1` to be `chunks=N` with N a whole number',
    ],
    ['stall=100,chunks=', /`chunks=N` with N a whole number/],
    ['cut,chunks=2', /options among model=ID/],
    ['error-frame=200', /faults\[0\]\.fault\.status.*an HTTP error status from 400 to 599/],
    ['error-frame,after=2', /faults\[0\]\.fault\.after/],
    ['error-frame,after=', /`after=P` with P a share/],
    ['bad-chunk=-0.1', /faults\[0\]\.fault\.after/],
  ])('refuses %s, naming what is wrong', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it('refuses a model=ID among none of the served models, naming the nearest; aliases pass', () => {
    const served = ['mercury-2', 'deepseek-flash'];
    expect(() => parseFaultSpec('429,model=mercury3', served)).toThrow(
      'Unknown model `mercury3` in `--fault 429,model=mercury3`; did you mean `mercury-2`?',
    );
    expect(parseFaultSpec('cut,model=deepseek-v4-flash', served).model).toBe('deepseek-v4-flash');
    expect(parseFaultSpec('cut,model=gpt-5-mini').model).toBe('gpt-5-mini');
  });
});
