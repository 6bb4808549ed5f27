import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';
import { createMemoryEstimateStore } from './estimate-store';
import { learnedFigures, minLearnedSamples } from './learned-pool';

const pool = createEmulatedPool({ profiles: [mercury2] });
const entry = pool.get('mercury-2');

describe('learned figures', () => {
  it('take the prompts’ prefill out of the learned first token, as plans add it back', () => {
    const history = createMemoryEstimateStore();
    // 20,000 input tokens (8,000 cached) at mercury-2's 40,000 tok/s: 300 ms of prefill in each.
    for (let i = 0; i < minLearnedSamples; i++) {
      history.recordCall!({
        model: 'mercury-2',
        status: 'ok',
        timeToFirstTokenMs: 900,
        outputTokensPerSecond: 700,
        inputTokens: 20_000,
        cachedInputTokens: 8000,
      });
    }
    // 900 - 300 of prefill - 60 of round trip.
    expect(learnedFigures(entry, history)).toEqual({
      timeToFirstTokenMs: 540,
      outputTokensPerSecond: 700,
    });
  });

  it('wait for five successful calls: failed ones measure nothing', () => {
    const history = createMemoryEstimateStore();
    for (let i = 0; i < 4; i++) history.recordCall!({ model: 'mercury-2', status: 'rate-limited' });
    const ok = { model: 'mercury-2', status: 'ok', timeToFirstTokenMs: 3000 } as const;
    history.recordCall!({ ...ok, outputTokensPerSecond: 100 });
    expect(history.modelStats!('mercury-2')).toMatchObject({
      samples: 5,
      measured: { timeToFirstTokenMs: 1, outputTokensPerSecond: 1 },
    });
    expect(learnedFigures(entry, history)).toBeUndefined();
    // Four more answers in one chunk each: five first tokens, still one speed.
    for (let i = 0; i < 4; i++) history.recordCall!(ok);
    expect(learnedFigures(entry, history)).toEqual({
      timeToFirstTokenMs: 2940,
      outputTokensPerSecond: mercury2.outputTokensPerSecond,
    });
  });
});

describe('plans after long prompts', () => {
  it('learn the model’s own first token and predict long and short prompts near what they take', async () => {
    const clock = createVirtualClock();
    const emulated = createEmulatedPool({ profiles: [deepseekFlash], clock });
    const history = createMemoryEstimateStore();
    const runtime = createRuntime({ models: emulated, history, hedge: false, clock });
    // About 20,000 tokens: 2.5 s of prefill at 8,000 tok/s in each first token.
    const long = `Summarise: ${'lorem ipsum dolor sit amet '.repeat(3000)}`;
    const make = (name: string, prompt: string) =>
      chain(name, { input: z.object({}) }).step(
        'read',
        llm({ prompt, models: ['deepseek-flash'], maxOutputTokens: 100 }),
      );
    for (let run = 0; run < minLearnedSamples; run++) await runtime.run(make('long', long), {});
    // The emulator's own first token is the profile's 1,500 ms, jittered a little per call.
    const learned = learnedFigures(emulated.get('deepseek-flash'), history)!;
    expect(
      Math.abs(learned.timeToFirstTokenMs / deepseekFlash.timeToFirstTokenMs - 1),
    ).toBeLessThan(0.1);
    // Chains never run, so predicted from the learned profile with their own prompt's prefill.
    const predictedAndActual = async (name: string, prompt: string) => {
      const fresh = make(name, prompt);
      const predicted = runtime.plan(fresh, {}).step('read')!.predicted.durationMs;
      const { trace } = await runtime.run(fresh, {});
      return predicted / trace.steps[0]!.durationMs;
    };
    // Prefill counted twice, these were 7.4 s against 4.9 s and 4.9 s against 2.8 s.
    expect(Math.abs((await predictedAndActual('long-again', long)) - 1)).toBeLessThan(0.05);
    expect(Math.abs((await predictedAndActual('short', 'Say hi')) - 1)).toBeLessThan(0.25);
  });
});
