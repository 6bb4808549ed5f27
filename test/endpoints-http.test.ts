import { createOpenAI } from '@ai-sdk/openai';
import {
  type AnyChain,
  chain,
  claudeHaiku45,
  createModelPool,
  createRuntime,
  createSystemClock,
  defineModel,
  llm,
  ModelConfigError,
  type ModelPool,
  mercury2,
} from 'hotpath';
import { type Emulator, type EmulatorOptions, startEmulator } from 'hotpath/node';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

// Acceptance of endpoints over real HTTP: two emulators serving mercury-2, 30 ms and 250 ms away.
// At 2x the emulated seconds pass twice as fast; the traces read in emulated time. A small scale:
// the client's own work (real time) is magnified by it, and the machine may be loaded.
const timeScale = 2;
const input = z.object({});
const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

async function place(roundTripMs: number, options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ roundTripMs, timeScale, ...options });
  started.push(emulator);
  return emulator;
}

/** mercury-2 at each emulator (one endpoint each), and Claude Haiku at the far one. */
function poolOf(places: Record<string, { emulator: Emulator; region: string }>, haiku?: Emulator) {
  const entries = Object.entries(places).map(([endpoint, { emulator, region }]) =>
    defineModel(
      createOpenAI({ baseURL: emulator.baseURL, apiKey: 'any' }).chat('mercury-2'),
      mercury2,
      { endpoint, region },
    ),
  );
  if (haiku) {
    const openai = createOpenAI({ baseURL: haiku.baseURL, apiKey: 'any' });
    entries.push(defineModel(openai.chat('claude-haiku-4-5'), claudeHaiku45));
  }
  return createModelPool(entries, { clock: createSystemClock({ timeScale }) });
}

function sequence(length: number): AnyChain {
  let built: any = chain('sequence', { input });
  for (let i = 0; i < length; i++) {
    built = built.step(`s${i}`, llm({ prompt: `step ${i}`, lane: 'fast', maxOutputTokens: 40 }));
  }
  return built;
}

const run = (pool: ModelPool, steps: number, options = {}) =>
  createRuntime({ models: pool, hedge: false, ...options }).run(sequence(steps), {});

describe('one model at two places, over HTTP', () => {
  it('sends a 10-step chain to the near endpoint once measured: about 2 s sooner than far alone', async () => {
    const near = await place(30);
    const far = await place(250);
    const bothPool = poolOf({
      far: { emulator: far, region: 'us-east' },
      near: { emulator: near, region: 'eu-west' },
    });
    // A first run warms the connections and the code paths (a cold start weighs `timeScale` times).
    await run(bothPool, 4);
    const farAlone = await run(poolOf({ far: { emulator: far, region: 'us-east' } }), 10);
    // A new runtime: nothing measured yet.
    const both = await run(bothPool, 10);
    const places = both.trace.steps.map((step) => step.endpoint);
    // The far one first (pool order), the near one measured next, then every call near.
    expect(places).toEqual(['far', 'near', ...Array(8).fill('near')]);
    // Each call's round trip: its first token's wait beyond mercury-2's own (the profile's).
    const trips = both.trace.steps.map((step) => step.roundTripMs!);
    expect(trips[0]).toBeGreaterThan(200);
    expect(Math.min(...trips.slice(1))).toBeLessThan(trips[0]!);
    // 9 calls 220 ms nearer: 1.98 s of round trips saved, give or take the machine's load.
    const savedMs = farAlone.trace.durationMs - both.trace.durationMs;
    expect(savedMs).toBeGreaterThan(1_400);
    expect(savedMs).toBeLessThan(2_600);
  }, 60_000);

  it('hedges a stall on the near endpoint onto the far endpoint of mercury-2, not another model', async () => {
    // The near emulator's second request stalls 20 s before its first token.
    const near = await place(30, {
      faults: [{ fault: { kind: 'stall', ms: 20_000 }, requests: [2] }],
    });
    const far = await place(250);
    const pool = poolOf(
      {
        near: { emulator: near, region: 'eu-west' },
        far: { emulator: far, region: 'us-east' },
      },
      far,
    );
    // Hedging after 3 s rather than the profile's ~0.8 s, so that a loaded machine does not hedge
    // the warm-up; 400 tokens make Claude Haiku clearly the slower model.
    const runtime = createRuntime({ models: pool, hedge: { afterMs: 3_000 } });
    // Measures both places: the near one answers first, the far one once.
    const warm = await runtime.run(sequence(2), {});
    expect(warm.trace.steps.map((step) => step.endpoint)).toEqual(['near', 'far']);
    const one = chain('one', { input }).step('answer', llm({ prompt: 'hi', maxOutputTokens: 400 }));
    const { trace } = await runtime.run(one, {});
    expect(trace.steps[0]).toMatchObject({
      model: 'mercury-2',
      endpoint: 'far',
      hedge: { model: 'mercury-2', endpoint: 'far', won: true },
    });
    expect(trace.durationMs).toBeLessThan(8_000);
    expect(far.stats().models['claude-haiku-4-5']?.requests ?? 0).toBe(0);
  }, 60_000);

  it('fails clearly when the regions exclude both endpoints, sending nothing', async () => {
    const near = await place(30);
    const far = await place(250);
    const pool = poolOf({
      near: { emulator: near, region: 'eu-west' },
      far: { emulator: far, region: 'us-east' },
    });
    const error = await run(pool, 2, { regions: ['ap'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelConfigError);
    expect((error as Error).message).toBe(
      'Step `s0` of chain `sequence` may run only in the regions `ap`, and none of its models is there: mercury-2 @ near in `eu-west`, mercury-2 @ far in `us-east`',
    );
    expect(near.stats().requests + far.stats().requests).toBe(0);
  }, 60_000);
});
