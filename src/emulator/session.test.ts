import { describe, expect, it } from 'vitest';
import type { EmulatorFaults } from './faults';
import { createEmulatorSession } from './session';

const draws = (faults: EmulatorFaults, seed: number, count = 200, model = 'mercury-2') => {
  const session = createEmulatorSession({ seed, faults });
  return Array.from({ length: count }, () => {
    const call = session.begin(model);
    call.end();
    return call.fault?.kind ?? '-';
  });
};

describe('createEmulatorSession', () => {
  it('injects a rated fault on about its share of requests, repeatably for a seed', () => {
    const faults: EmulatorFaults = [{ fault: { kind: 'server-error' }, rate: 0.2 }];
    const first = draws(faults, 7);
    const hits = first.filter((kind) => kind === 'server-error').length;
    expect(hits).toBeGreaterThan(20);
    expect(hits).toBeLessThan(60);
    expect(draws(faults, 7)).toEqual(first);
    expect(draws(faults, 8)).not.toEqual(first);
  });

  it('applies a model rule only to that model (aliases too), counting its own requests', () => {
    const session = createEmulatorSession({
      faults: [{ fault: { kind: 'reset' }, model: 'deepseek-flash', requests: [2] }],
    });
    const kinds = ['mercury-2', 'deepseek-flash', 'mercury-2', 'deepseek-flash'].map(
      (model) => session.begin(model).fault?.kind,
    );
    expect(kinds).toEqual([undefined, undefined, undefined, 'reset']);
  });

  it('lets the first rule that fires decide, and a rule without rate or requests always fire', () => {
    const kinds = draws(
      [{ fault: { kind: 'cut' }, requests: [2] }, { fault: { kind: 'stall', ms: 10 } }],
      1,
      3,
    );
    expect(kinds).toEqual(['stall', 'cut', 'stall']);
  });

  it('counts requests, tokens, open streams and the concurrency peak', () => {
    const session = createEmulatorSession({
      faults: [{ fault: { kind: 'slow', factor: 2 }, requests: [1] }],
    });
    const a = session.begin('mercury-2');
    const b = session.begin('gpt-5-mini');
    b.streamOpened();
    expect(session.stats()).toMatchObject({ inFlight: 2, openStreams: 1, peakConcurrency: 2 });
    a.end({ input: 10, output: 20 });
    b.end({ input: 5, output: 7 });
    b.end({ input: 5, output: 7 });
    session.reject();
    expect(session.stats()).toMatchObject({
      requests: 2,
      rejected: 1,
      inputTokens: 15,
      outputTokens: 27,
      inFlight: 0,
      openStreams: 0,
      peakConcurrency: 2,
      faults: { slow: 1, cut: 0 },
      models: {
        'mercury-2': { requests: 1, inputTokens: 10, outputTokens: 20, faults: 1 },
        'gpt-5-mini': { requests: 1, inputTokens: 5, outputTokens: 7, faults: 0 },
      },
    });
  });

  it('refuses a malformed rule, naming the field', () => {
    expect(() => createEmulatorSession({ faults: [{ fault: { kind: 'stall', ms: -1 } }] })).toThrow(
      /faults\[0\]\.fault\.ms/,
    );
    expect(() => createEmulatorSession({ faults: [{ fault: { kind: 'boom' } as never }] })).toThrow(
      /faults\[0\]\.fault\.kind/,
    );
  });

  it('refuses a rule for a model it does not serve, naming the nearest, and takes aliases', () => {
    const models = ['mercury-2', 'deepseek-flash'];
    const session = (model: string) =>
      createEmulatorSession({
        models,
        faults: [{ fault: { kind: 'reset' } }, { fault: { kind: 'cut' }, model }],
      });
    expect(() => session('mercury3')).toThrow(
      'Unknown model `mercury3` in `faults[1].model`; did you mean `mercury-2`?',
    );
    expect(() => session('gpt-5-mini')).toThrow(
      'Unknown model `gpt-5-mini` in `faults[1].model`; the emulated models are `mercury-2`, `deepseek-flash`',
    );
    expect(() => session('deepseek-v4-flash')).not.toThrow();
  });
});
