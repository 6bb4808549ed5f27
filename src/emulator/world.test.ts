import { streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { percentiles } from '../scheduler/model-stats';
import { createEmulatedWorld } from './world';

/** One streamed call on the pool's model: first delta, end, usage, on the virtual clock. */
async function call(
  pool: ReturnType<typeof createEmulatedPool>,
  clock: ReturnType<typeof createVirtualClock>,
  id: string,
  prompt: string,
) {
  const start = clock.now();
  const result = streamText({ model: pool.get(id).model, prompt, maxOutputTokens: 200 });
  let first: number | undefined;
  for await (const delta of result.textStream) if (delta.length > 0) first ??= clock.now();
  const usage = await result.usage;
  return {
    firstMs: first! - start,
    endMs: clock.now() - start,
    input: usage.inputTokens!,
    cached: usage.inputTokenDetails?.cacheReadTokens ?? 0,
    output: usage.outputTokens!,
  };
}

const still = { spread: { firstToken: 0, speed: 0 }, prefixCache: false } as const;

describe('models.emulated({ truth })', () => {
  it('runs and bills by the truth while the pool plans with the catalog', async () => {
    const clock = createVirtualClock();
    const pool = createEmulatedPool({
      clock,
      truth: {
        'deepseek-flash': {
          ...still,
          timeToFirstTokenMs: 2000,
          outputTokensPerSecond: 50,
          pricing: { inputPerMTok: 0.2, outputPerMTok: 1 },
        },
      },
    });
    expect(pool.get('deepseek-flash').profile).toBe(deepseekFlash);
    const got = await call(pool, clock, 'deepseek-flash', 'Explain diffusion models.');
    // 120 ms round trip + 2,000 ms first token + prefill at 8,000 tok/s.
    expect(got.firstMs).toBeCloseTo(120 + 2000 + (got.input / 8000) * 1000, 6);
    // 4-token chunks at 50 tok/s: every token after the first chunk takes 20 ms.
    expect(got.endMs - got.firstMs).toBeCloseTo((got.output - 4) * 20, 6);
    // Billed at the truth's $0.20 / $1.00, not the catalog's $0.15 / $0.60.
    expect(pool.stats().costUsd).toBeCloseTo((got.input * 0.2 + got.output * 1) / 1e6, 15);
  });

  it('is slower in peak hours: 02:00 UTC on a Wednesday against 12:00', async () => {
    const truth = { 'deepseek-flash': { ...still, peakSlowdown: 2 } };
    const at = async (iso: string) => {
      const clock = createVirtualClock({ startAt: new Date(iso) });
      const pool = createEmulatedPool({ clock, truth });
      return { ...(await call(pool, clock, 'deepseek-flash', 'Same prompt.')), pool };
    };
    const peak = await at('2026-12-02T02:00:00Z');
    const off = await at('2026-12-02T12:00:00Z');
    const prefill = (peak.input / 8000) * 1000;
    expect(peak.firstMs).toBeCloseTo(120 + 3000 + prefill, 6);
    expect(off.firstMs).toBeCloseTo(120 + 1500 + prefill, 6);
    // 90 tok/s off-peak (11.1 ms a token), 45 at peak (22.2 ms).
    expect(off.endMs - off.firstMs).toBeCloseTo(((off.output - 4) * 1000) / 90, 6);
    expect(peak.endMs - peak.firstMs).toBeCloseTo(((peak.output - 4) * 1000) / 45, 6);
    // And billed at the window in force: $0.30 / $1.20 at peak, $0.15 / $0.60 off-peak.
    expect(peak.pool.stats().costUsd).toBeCloseTo((peak.input * 0.3 + peak.output * 1.2) / 1e6, 15);
    expect(off.pool.stats().costUsd).toBeCloseTo((off.input * 0.15 + off.output * 0.6) / 1e6, 15);
  });

  it('serves a prefix seen recently as cached input: reported, billed, not prefilled', async () => {
    const clock = createVirtualClock();
    const pool = createEmulatedPool({
      clock,
      truth: { 'deepseek-flash': { spread: { firstToken: 0, speed: 0 } } },
    });
    const shared = 'x'.repeat(1100);
    const first = await call(pool, clock, 'deepseek-flash', `${shared} first question`);
    expect(first.cached).toBe(0);
    const billed = pool.stats().costUsd;
    const second = await call(pool, clock, 'deepseek-flash', `${shared} second question`);
    // 1,100 shared characters hold four whole 256-character (64-token) blocks.
    expect(second.cached).toBe(256);
    expect(second.input).toBe(first.input);
    // 256 fewer tokens to prefill at 8,000 tok/s: 32 ms sooner.
    expect(first.firstMs - second.firstMs).toBeCloseTo(32, 6);
    const cost = ((second.input - 256) * 0.15 + 256 * 0.003 + second.output * 0.6) / 1e6;
    expect(pool.stats().costUsd - billed).toBeCloseTo(cost, 15);
    expect(pool.stats().cachedInputTokens).toBe(256);
    // Mercury has its own cache: nothing seen there yet.
    expect((await call(pool, clock, 'mercury-2', `${shared} second question`)).cached).toBe(0);
    // Two hours later the cache has forgotten it (1 hour by default).
    await clock.sleep(2 * 3_600_000);
    expect((await call(pool, clock, 'deepseek-flash', `${shared} third`)).cached).toBe(0);
  });

  it('does not serve a prefix to a request that starts while the first is still being read', async () => {
    const clock = createVirtualClock();
    const pool = createEmulatedPool({ clock, truth: { 'deepseek-flash': {} } });
    const shared = 'y'.repeat(600);
    const both = await Promise.all([
      call(pool, clock, 'deepseek-flash', `${shared} a`),
      call(pool, clock, 'deepseek-flash', `${shared} b`),
    ]);
    expect(both.map((got) => got.cached)).toEqual([0, 0]);
    expect((await call(pool, clock, 'deepseek-flash', `${shared} c`)).cached).toBe(128);
  });

  it('draws heavy-tailed first tokens: median at the profile, p99 about e^(2.33σ) times it', () => {
    const clock = createVirtualClock();
    const world = createEmulatedWorld({
      truth: { 'mercury-2': { spread: { firstToken: 0.5, speed: 0.1 }, prefixCache: false } },
      profiles: [mercury2],
      clock,
    });
    const first: [number, number][] = [];
    const speed: [number, number][] = [];
    for (let n = 0; n < 4000; n++) {
      // The same prompt again draws again.
      const { timing } = world.prepare(mercury2, { promptText: 'same', inputTokens: 5 });
      first.push([timing.firstTokenFactor, 1]);
      speed.push([timing.speedFactor, 1]);
    }
    const f = percentiles(first);
    expect(f.p50).toBeGreaterThan(0.95);
    expect(f.p50).toBeLessThan(1.05);
    // e^(2.326 · 0.5) = 3.20; e^(1.2816 · 0.5) = 1.90.
    expect(f.p99 / f.p50).toBeGreaterThan(2.8);
    expect(f.p99 / f.p50).toBeLessThan(3.6);
    expect(f.p90 / f.p50).toBeGreaterThan(1.75);
    expect(f.p90 / f.p50).toBeLessThan(2.05);
    const s = percentiles(speed);
    expect(s.p99 / s.p50).toBeGreaterThan(1.18);
    expect(s.p99 / s.p50).toBeLessThan(1.35);
  });

  it('names the model and field of a bad truth', () => {
    const make = (truth: unknown) => () => createEmulatedPool({ truth: truth as never });
    expect(make({ 'deepseek-flsh': {} })).toThrow(
      'Unknown model `deepseek-flsh` in `truth`; did you mean `deepseek-flash`?',
    );
    expect(make({ 'mercury-2': { outputTokensPerSec: 1 } })).toThrow(
      'Unknown field `truth.mercury-2.outputTokensPerSec`; did you mean `outputTokensPerSecond`?',
    );
    expect(make({ 'mercury-2': { spread: { firstToken: -1 } } })).toThrow(
      'Expected `truth.mercury-2.spread.firstToken` to be a number from 0 to 3 (the σ of a log-normal spread), got `-1` (number)',
    );
    expect(make({ 'mercury-2': { spread: { tail: 1 } } })).toThrow(
      'Unknown field `truth.mercury-2.spread.tail`; a spread has `firstToken` and `speed`',
    );
    expect(make({ 'mercury-2': { peakSlowdown: '2' } })).toThrow(
      'Expected `truth.mercury-2.peakSlowdown` to be a number above 0 (1 is as fast as off-peak), got `2` (string)',
    );
    expect(make({ 'mercury-2': { prefixCache: { ttlMs: 0 } } })).toThrow(
      'Expected `truth.mercury-2.prefixCache.ttlMs` to be a number of milliseconds above 0, got `0` (number)',
    );
    expect(make({ 'mercury-2': { outputTokensPerSecond: 0 } })).toThrow(
      'Model profile `mercury-2`: expected `outputTokensPerSecond` to be a number above 0, got `0`',
    );
    expect(make([])).toThrow('Expected `truth` to be an object of model truths by model id');
    // A catalog alias names its model.
    expect(make({ 'deepseek-v4-flash': { outputTokensPerSecond: 60 } })).not.toThrow();
  });
});
