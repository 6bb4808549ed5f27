import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from '../../test/helpers/scripted-model';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import { StepError } from '../errors';
import { deepseekV4Flash, mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({ q: z.string() });
const one = chain('one', { input }).step('answer', llm({ prompt: 'hi', lane: 'fast' }));

/** Two models that never send a first token (a stall of an hour, then an answer). */
function stalling(options: Partial<RuntimeOptions> = {}) {
  const clock = createVirtualClock();
  const pool = createModelPool(
    [
      defineModel(scriptedModel('fast', clock, [{ type: 'stall' }]), { ...mercury2, id: 'fast' }),
      defineModel(scriptedModel('cheap', clock, [{ type: 'stall' }]), {
        ...deepseekV4Flash,
        id: 'cheap',
      }),
    ],
    { clock },
  );
  const runtime = createRuntime({
    models: pool,
    hedge: false,
    _internal: { random: () => 0.5 },
    ...options,
  });
  const reasons: string[] = [];
  runtime.on('step:retry', (event) => {
    reasons.push(event.error);
  });
  return { runtime, clock, reasons };
}

describe('default timeouts', () => {
  it('bound a call whose provider never sends a first token, from the profile', async () => {
    const { runtime, clock, reasons } = stalling();
    const error = await runtime.run(one, { q: 'x' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('models-exhausted');
    // Three attempts on each model, 10 s each (the floor: both profiles start within 2 s).
    expect(reasons[0]).toBe('no first token after 10000 ms');
    expect(error.message).toContain('no first token after 10000 ms');
    expect(clock.now()).toBeLessThan(6 * 10_000 + 10_000);
  });

  it('are overridden by `timeouts`, and turned off with `false`', async () => {
    const set = stalling({ timeouts: { firstTokenMs: 2000 } });
    await set.runtime.run(one, { q: 'x' }).catch(() => {});
    expect(set.reasons[0]).toBe('no first token after 2000 ms');

    const off = stalling({ timeouts: false });
    const { output } = await off.runtime.run(one, { q: 'x' });
    expect(output).toEqual({ answer: { text: 'partial answer' } });
    expect(off.clock.now()).toBeGreaterThanOrEqual(3_600_000);

    const stepOff = stalling();
    const patient = chain('one', { input }).step(
      'answer',
      llm({ prompt: 'hi', lane: 'fast', timeout: { firstTokenMs: false, totalMs: false } }),
    );
    await stepOff.runtime.run(patient, { q: 'x' });
    expect(stepOff.reasons).toEqual([]);
  });
});

/** A runtime on one emulated Mercury whose first answer stalls for an hour after its first chunk. */
function stallingAfterFirstChunk(options: Partial<RuntimeOptions> = {}) {
  const clock = createVirtualClock();
  const faults = [
    { fault: { kind: 'stall', ms: 3_600_000, afterChunks: 1 } as const, requests: [1] },
  ];
  const model = createEmulatedModel({ profile: mercury2, clock, faults });
  const pool = createModelPool([defineModel(model, mercury2)], { clock });
  const runtime = createRuntime({
    models: pool,
    hedge: false,
    _internal: { random: () => 0.5 },
    ...options,
  });
  const retries: string[] = [];
  runtime.on('step:retry', (event) => {
    retries.push(`${event.reason}: ${event.error}`);
  });
  return { runtime, clock, retries };
}

describe('the idle timeout', () => {
  // Mercury's derived limits for this step: 10 s to the first token, 30 s for the whole call.
  const long = chain('long', { input }).step(
    'answer',
    llm({ prompt: 'Write the report.', lane: 'fast', maxOutputTokens: 400 }),
  );

  it('cuts a stream that stalls after its first chunk, and the retry answers, well before the total limit', async () => {
    const { runtime, clock, retries } = stallingAfterFirstChunk();
    const { output } = await runtime.run(long, { q: 'x' });
    expect((output as { answer: { text: string } }).answer.text.length).toBeGreaterThan(100);
    expect(retries).toEqual(['stall: stream stalled: no output for 10000 ms']);
    // Cut 10 to 15 s after the last chunk (checked every half limit), then a second answer.
    expect(clock.now()).toBeGreaterThanOrEqual(10_000);
    expect(clock.now()).toBeLessThan(20_000);
  });

  it("is set by `timeouts.idleMs` and a step's `timeout.idleMs`, and `false` leaves the total limit", async () => {
    const set = stallingAfterFirstChunk({ timeouts: { idleMs: 2000 } });
    await set.runtime.run(long, { q: 'x' });
    expect(set.retries).toEqual(['stall: stream stalled: no output for 2000 ms']);
    expect(set.clock.now()).toBeLessThan(5000);

    const off = stallingAfterFirstChunk();
    const patient = chain('long', { input }).step(
      'answer',
      llm({
        prompt: 'Write the report.',
        lane: 'fast',
        maxOutputTokens: 400,
        timeout: { idleMs: false },
      }),
    );
    await off.runtime.run(patient, { q: 'x' });
    expect(off.retries).toEqual(['timeout: no answer after 30000 ms']);
  });

  it('never fires on a healthy stream, however long', async () => {
    const clock = createVirtualClock();
    const slow = { ...mercury2, outputTokensPerSecond: 20 };
    const model = createEmulatedModel({ profile: slow, clock });
    const pool = createModelPool([defineModel(model, slow)], { clock });
    const runtime = createRuntime({ models: pool, hedge: false, timeouts: { totalMs: false } });
    const retries: string[] = [];
    runtime.on('step:retry', (event) => {
      retries.push(event.error);
    });
    await runtime.run(long, { q: 'x' });
    expect(retries).toEqual([]);
    expect(clock.now()).toBeGreaterThan(15_000);
  });
});
