import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { atDistance } from '../../test/helpers/at-distance';
import { type Script, scriptedModel } from '../../test/helpers/scripted-model';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import { createEmulatedWorld } from '../emulator/world';
import { ModelConfigError, StepError } from '../errors';
import { claudeHaiku45, deepseekFlash, mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import { createMemoryEstimateStore } from '../scheduler/estimate-store';
import { formatWaterfall } from '../tracing/format/waterfall';
import { stepAttributes } from '../tracing/otel/attributes';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({});
const one = chain('one', { input }).step(
  'answer',
  llm({ prompt: 'hi', lane: 'fast', maxOutputTokens: 100 }),
);

/** Ten sequential steps, each on the fast lane. */
function sequence(length = 10) {
  let built: any = chain('sequence', { input });
  for (let i = 0; i < length; i++) {
    built = built.step(`s${i}`, llm({ prompt: `step ${i}`, lane: 'fast', maxOutputTokens: 50 }));
  }
  return built as ReturnType<typeof chain>;
}

/** mercury-2 near (30 ms) and far (250 ms), each a scripted model at its distance; a second model. */
function setup(
  scripts: { near?: Script[]; far?: Script[]; other?: Script[] } = {},
  options: Partial<RuntimeOptions> = {},
  profiles: { near?: object; far?: object } = {},
) {
  const clock = createVirtualClock();
  // The models take the profile's first-token time: what comes on top is the distance.
  const ok: Script[] = [{ type: 'ok', ttftMs: mercury2.timeToFirstTokenMs }];
  const models = {
    near: scriptedModel('near', clock, scripts.near ?? ok),
    far: scriptedModel('far', clock, scripts.far ?? ok),
    other: scriptedModel('other', clock, scripts.other ?? ok),
  };
  const pool = createModelPool(
    [
      defineModel(atDistance(models.near, clock, 30), mercury2, {
        endpoint: 'near',
        region: 'eu-west',
        ...profiles.near,
      }),
      defineModel(atDistance(models.far, clock, 250), mercury2, {
        endpoint: 'far',
        region: 'us-east',
        ...profiles.far,
      }),
      defineModel(models.other, claudeHaiku45),
      defineModel(scriptedModel('cheap', clock, ok), deepseekFlash),
    ],
    { clock },
  );
  const history = createMemoryEstimateStore();
  const runtime = createRuntime({
    models: pool,
    history,
    retry: { maxAttempts: 1 },
    _internal: { random: () => 0.5 },
    ...options,
  });
  return { runtime, models, clock, history, pool };
}

describe('plans with endpoints', () => {
  it('plan the endpoint with the shorter round trip and explain() names it', () => {
    const { runtime } = setup({}, {}, { near: { roundTripMs: 38 }, far: { roundTripMs: 250 } });
    const plan = runtime.plan(one, {});
    expect(plan.step('answer')).toMatchObject({ model: 'mercury-2', endpoint: 'near' });
    expect(plan.endpoints).toEqual([
      {
        model: 'mercury-2',
        endpoint: 'near',
        region: 'eu-west',
        roundTripMs: 38,
        steps: ['answer'],
      },
    ]);
    expect(plan.explain()).toContain('endpoints: mercury-2 @ near, 38 ms round trip (answer)');
  });
});

describe('a model at two endpoints, measured', () => {
  it('tries each place once, then sends every call to the near one, learned in the history', async () => {
    const { runtime, history, models } = setup({}, { hedge: false });
    const { trace } = await runtime.run(sequence(), {});
    const places = trace.steps.map((step) => step.endpoint);
    // Both unmeasured: the first in pool order, then the other once, then the nearer.
    expect(places).toEqual(['near', 'far', ...Array(8).fill('near')]);
    expect(models.far.calls).toBe(1);
    expect(trace.steps.every((step) => step.model === 'mercury-2')).toBe(true);
    // Measured as the first token's wait beyond the model's own (less a prompt's prefill).
    expect(trace.steps[0]!.roundTripMs).toBeGreaterThan(28);
    expect(trace.steps[0]!.roundTripMs).toBeLessThanOrEqual(30);
    expect(trace.steps[1]!.roundTripMs! - trace.steps[0]!.roundTripMs!).toBeCloseTo(220, 6);
    expect(history.endpointStats!('mercury-2', 'far')!.roundTripMs.p50).toBeGreaterThan(248);
    // The next plan knows the distances it measured.
    const next = runtime.plan(sequence(), {});
    expect(next.steps.every((step) => step.endpoint === 'near')).toBe(true);
    expect(next.explain()).toMatch(/endpoints: mercury-2 @ near, (29|30) ms round trip/);
  });

  it('probes an unmeasured place once, not with every item of a wide map', async () => {
    const { runtime, models } = setup({}, { hedge: false });
    const wide = chain('wide', { input }).map(
      'items',
      () => Array.from({ length: 12 }, (_, i) => `item ${i}`),
      llm({ prompt: (item: string) => item, lane: 'fast', maxOutputTokens: 20 }),
      { concurrency: 12 },
    );
    await runtime.run(wide, {});
    // All twelve start before any is measured: one goes to each place, the rest by profile.
    expect(models.near.calls + models.far.calls).toBe(12);
    expect(Math.min(models.near.calls, models.far.calls)).toBe(1);
  });

  it('falls back to the other endpoint of the model, not another model, on an outage', async () => {
    const outage: Script[] = [{ type: 'http', status: 503 }];
    const { runtime, models } = setup(
      { near: outage },
      { hedge: false, circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 } },
    );
    const fallbacks: unknown[] = [];
    runtime.on('step:fallback', (event) => fallbacks.push(event));
    const first = await runtime.run(one, {});
    expect(first.trace.steps[0]).toMatchObject({
      model: 'mercury-2',
      endpoint: 'far',
      fallbacks: ['mercury-2 @ near'],
    });
    expect(fallbacks[0]).toMatchObject({
      from: 'mercury-2',
      fromEndpoint: 'near',
      to: 'mercury-2',
      toEndpoint: 'far',
    });
    // The near endpoint's circuit is open; the model stays open at the far one.
    const second = await runtime.run(one, {});
    expect(second.trace.steps[0]).toMatchObject({ model: 'mercury-2', endpoint: 'far' });
    expect(models.near.calls).toBe(1);
    expect(models.other.calls).toBe(0);
  });

  it('hedges a stall onto the other endpoint of the model, not another model', async () => {
    const { runtime, models } = setup({ near: [{ type: 'stall' }] });
    const { trace } = await runtime.run(one, {});
    expect(trace.steps[0]).toMatchObject({
      model: 'mercury-2',
      endpoint: 'far',
      hedge: { model: 'mercury-2', endpoint: 'far', won: true },
    });
    expect(models.other.calls).toBe(0);
    expect(trace.durationMs).toBeLessThan(5_000);
    // The waterfall and OpenTelemetry carry the endpoint.
    const waterfall = formatWaterfall(trace, { color: false });
    expect(waterfall).toContain('mercury-2@far');
    expect(waterfall).toContain('answer hedged on mercury-2 @ far (won)');
    const attributes = stepAttributes(trace.steps[0]!, undefined, undefined);
    expect(attributes).toMatchObject({
      'hotpath.endpoint': 'far',
      'gen_ai.response.model': 'mercury-2',
    });
    expect(attributes['hotpath.round_trip_ms']).toBeGreaterThan(200);
  });
});

describe('residency: regions', () => {
  it('fails closed: an outage in the allowed region is not sent elsewhere', async () => {
    const { runtime, models } = setup(
      { near: [{ type: 'http', status: 503 }] },
      { regions: ['eu'] },
    );
    const error = await runtime.run(one, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StepError);
    expect((error as Error).message).toContain('every candidate failed (mercury-2 @ near)');
    expect(models.far.calls + models.other.calls).toBe(0);
  });

  it('does not hedge a stall out of the region', async () => {
    const { runtime, models } = setup(
      { near: [{ type: 'stall' }, { type: 'ok' }] },
      { regions: ['eu-west'], timeouts: { firstTokenMs: 3_000 }, retry: { maxAttempts: 2 } },
    );
    const hedges: unknown[] = [];
    runtime.on('step:hedge', (event) => hedges.push(event));
    const { trace } = await runtime.run(one, {});
    // Timed out and tried again at the same place: never raced elsewhere.
    expect(hedges).toEqual([]);
    expect(models.far.calls + models.other.calls).toBe(0);
    expect(trace.steps[0]).toMatchObject({ endpoint: 'near', retries: 1 });
  });

  it('names the step and the regions allowed when no endpoint is in them', async () => {
    const { runtime } = setup({}, { regions: ['ap'] });
    const error = await runtime.run(one, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelConfigError);
    expect((error as Error).message).toBe(
      'Step `answer` of chain `one` may run only in the regions `ap`, and none of its models is there: mercury-2 @ near in `eu-west`, mercury-2 @ far in `us-east`, claude-haiku-4-5 in no region, deepseek-flash in no region',
    );
  });

  it('narrows by run and by step: an endpoint must be in every list', async () => {
    const { runtime } = setup();
    const inUs = await runtime.run(one, {}, { regions: ['us'] });
    expect(inUs.trace.steps[0]).toMatchObject({ endpoint: 'far' });
    const pinned = chain('pinned', { input }).step(
      'answer',
      llm({ prompt: 'hi', regions: ['eu'], maxOutputTokens: 10 }),
    );
    expect(runtime.plan(pinned, {}).step('answer')).toMatchObject({ endpoint: 'near' });
    // A chain's regions narrow the same way.
    const euChain = chain('eu-only', { input, regions: ['eu'] }).step(
      'answer',
      llm({ prompt: 'hi', maxOutputTokens: 10 }),
    );
    expect(euChain.definition.regions).toEqual(['eu']);
    expect((await runtime.run(euChain, {})).trace.steps[0]).toMatchObject({ endpoint: 'near' });
    await expect(runtime.run(euChain, {}, { regions: ['us'] })).rejects.toThrow(
      'may run only in the regions `eu`, then `us`',
    );
    await expect(runtime.run(pinned, {}, { regions: ['us'] })).rejects.toThrow(
      'Step `answer` of chain `pinned` may run only in the regions `us`, then `eu`, and none of its models is there: mercury-2 @ near in `eu-west`, mercury-2 @ far in `us-east`, claude-haiku-4-5 in no region, deepseek-flash in no region',
    );
  });
});

describe('an endpoint measured on a prompt served from the prefix cache', () => {
  it('measures its distance, not the distance less the prefill of the cached prefix', async () => {
    const clock = createVirtualClock();
    // No jitter: a call's first token comes after exactly the profile's figures, less the
    // prefill of what the prefix cache served.
    const world = createEmulatedWorld({
      truth: { 'deepseek-flash': { spread: { firstToken: 0, speed: 0 } } },
      profiles: [deepseekFlash],
      clock,
    });
    const at = (endpoint: string, distanceMs: number) =>
      defineModel(
        atDistance(
          createEmulatedModel({ profile: deepseekFlash, clock, world }),
          clock,
          distanceMs,
        ),
        deepseekFlash,
        { endpoint },
      );
    const runtime = createRuntime({
      models: createModelPool([at('near', 30), at('far', 250)], { clock }),
      hedge: false,
      clock,
    });
    // About 10,000 tokens, 1.25 s of prefill at deepseek-flash's 8,000 tokens a second.
    const long = chain('long', { input }).step(
      'answer',
      llm({ prompt: `Summarise: ${'lorem ipsum '.repeat(3_400)}`, maxOutputTokens: 20 }),
    );
    const steps = [];
    for (let run = 0; run < 3; run++) steps.push((await runtime.run(long, {})).trace.steps[0]!);
    // The first call fills the cache; the others read most of the prompt from it.
    expect(steps[0]!.usage.cachedInputTokens ?? 0).toBe(0);
    for (const step of steps.slice(1))
      expect(step.usage.cachedInputTokens).toBeGreaterThan(0.9 * step.usage.inputTokens);
    const distance = { near: 30, far: 250 };
    for (const step of steps) {
      const place = step.endpoint as keyof typeof distance;
      expect(step.roundTripMs).toBeCloseTo(deepseekFlash.roundTripMs + distance[place], 0);
    }
  });
});
