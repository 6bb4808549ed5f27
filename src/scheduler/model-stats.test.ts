import { describe, expect, it } from 'vitest';
import { type CallSample, createModelSamples, keptSamples, percentiles } from './model-stats';

/** A small seeded generator, so a failure repeats. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The percentiles of the last `keptSamples` calls, faded by age, sorted from scratch. */
function expected(
  samples: readonly CallSample[],
  pick: (sample: CallSample) => number | undefined,
) {
  const kept = samples.slice(-keptSamples);
  const weighted: [number, number][] = [];
  kept.forEach((sample, i) => {
    const value = pick(sample);
    if (value !== undefined) weighted.push([value, 0.99 ** (kept.length - 1 - i)]);
  });
  return percentiles(weighted);
}

describe('createModelSamples', () => {
  it('keeps the faded percentiles of a full sort while calls come and go', () => {
    const next = random(7);
    const samples = createModelSamples();
    const given: CallSample[] = [];
    for (let call = 1; call <= 1300; call++) {
      const roll = next();
      const status = roll < 0.05 ? 'error' : roll < 0.08 ? 'rate-limited' : 'ok';
      // Rounded values make ties, the case a sorted insert is most likely to get wrong; a speed of
      // 0 is no measure.
      const sample: CallSample = {
        model: 'm',
        endpoint: 'eu',
        status,
        timeToFirstTokenMs: status === 'ok' ? Math.round(next() * 40) * 10 : undefined,
        outputTokensPerSecond: status === 'ok' ? Math.round(next() * 20) * 50 : undefined,
        roundTripMs: Math.round(next() * 5) * 20,
        inputTokens: Math.round(next() * 10) * 100,
        cachedInputTokens: Math.round(next() * 3) * 100,
      };
      samples.add(sample);
      given.push(sample);
      if (call % 97 !== 0 && call > 20) continue;
      const stats = samples.stats('m')!;
      expect(stats.samples).toBe(Math.min(call, keptSamples));
      expect(stats.timeToFirstTokenMs).toEqual(
        expected(given, (s) => (s.status === 'ok' ? s.timeToFirstTokenMs : undefined)),
      );
      expect(stats.outputTokensPerSecond).toEqual(
        expected(given, (s) =>
          s.status === 'ok' && s.outputTokensPerSecond! > 0 ? s.outputTokensPerSecond : undefined,
        ),
      );
      // Uncached input of exactly the calls that measured a first token, never below 0.
      expect(stats.uncachedInputTokens).toEqual(
        expected(given, (s) =>
          s.status === 'ok' ? Math.max(0, s.inputTokens! - s.cachedInputTokens!) : undefined,
        ),
      );
      const kept = given.slice(-keptSamples);
      expect(stats.measured).toEqual({
        timeToFirstTokenMs: kept.filter((s) => s.status === 'ok').length,
        outputTokensPerSecond: kept.filter((s) => s.status === 'ok' && s.outputTokensPerSecond! > 0)
          .length,
      });
      const ok = given.filter((s) => s.status === 'ok');
      const place = samples.endpointStats('m', 'eu')!;
      expect(place.samples).toBe(Math.min(ok.length, keptSamples));
      expect(place.roundTripMs).toEqual(expected(ok, (s) => s.roundTripMs));
    }
  });

  it('fades older calls: the rate of errors follows the recent ones', () => {
    const samples = createModelSamples();
    for (let i = 0; i < 100; i++) samples.add({ model: 'm', status: 'error' });
    for (let i = 0; i < 100; i++)
      samples.add({ model: 'm', status: 'ok', timeToFirstTokenMs: 100, outputTokensPerSecond: 50 });
    // 100 errors then 100 successes: the errors weigh 0.99^100 of what the successes weigh.
    const share = 0.99 ** 100;
    expect(samples.stats('m')!.errorRate).toBeCloseTo(share / (1 + share), 10);
    expect(samples.stats('m')!.timeToFirstTokenMs.p50).toBe(100);
  });

  it('gives the error rates of a model whose calls all failed, with no percentiles', () => {
    const samples = createModelSamples();
    for (let i = 0; i < 3; i++) samples.add({ model: 'm', status: 'error' });
    samples.add({ model: 'm', status: 'rate-limited' });
    const stats = samples.stats('m')!;
    expect(stats).toMatchObject({
      samples: 4,
      measured: { timeToFirstTokenMs: 0, outputTokensPerSecond: 0 },
      errorRate: 1,
    });
    expect(stats.rateLimitedRate).toBeGreaterThan(0.25);
    expect(stats.timeToFirstTokenMs.p50).toBeNaN();
    expect(stats.outputTokensPerSecond.p90).toBeNaN();
    expect(samples.stats('other')).toBeUndefined();
  });
});
