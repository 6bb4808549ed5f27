import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from '../../test/helpers/scripted-model';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
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
