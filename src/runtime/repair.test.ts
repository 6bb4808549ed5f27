import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from '../../test/helpers/scripted-model';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { StepError } from '../errors';
import { mercury2 } from '../models/catalog';
import { computeCost } from '../models/cost';
import { createModelPool, defineModel } from '../models/pool';
import { createRuntime } from './runtime';

/** A model that answers each call with the next of `answers`, and keeps the prompts it got. */
function scripted(answers: string[]) {
  const clock = createVirtualClock();
  const model = scriptedModel(
    'scripted',
    clock,
    answers.map((text) => ({ type: 'ok' as const, text })),
  );
  const profile = { ...mercury2, id: 'scripted' };
  const runtime = createRuntime({
    models: createModelPool([defineModel(model, profile)], { clock }),
  });
  return { runtime, prompts: model.prompts, profile };
}

const input = z.object({ question: z.string() });
const output = z.object({ queries: z.array(z.string()).min(2) });
const structured = (repair?: boolean, callPath?: 'auto' | 'streamText') =>
  chain('structured', { input }).step(
    'plan',
    llm({ prompt: 'Split it.', output, repair, callPath }),
  );

const broken = '{"queries": ["a", 3]}';
const fixed = '{"queries": ["a", "b"]}';

describe('repair: an answer that breaks the schema, asked for once more', () => {
  it.each(['auto', 'streamText'] as const)(
    're-asks the same model with the broken answer and the issues, and bills both calls (%s)',
    async (callPath) => {
      const { runtime, prompts, profile } = scripted([broken, fixed]);
      const { output: result, trace } = await runtime.run(structured(true, callPath), {
        question: 'q',
      });
      expect(result).toEqual({ plan: { queries: ['a', 'b'] } });
      expect(prompts).toHaveLength(2);
      expect(prompts[1]).toContain('Split it.');
      expect(prompts[1]).toContain('Your previous answer');
      expect(prompts[1]).toContain('\\"queries\\": [\\"a\\", 3]');
      expect(prompts[1]).toContain('`queries.1`');
      // Two calls, each billed at the scripted model's 100 tokens in and 50 out.
      const usage = {
        inputTokens: 200,
        cachedInputTokens: 0,
        outputTokens: 100,
        reasoningTokens: 0,
      };
      expect(trace.usage).toMatchObject(usage);
      expect(trace.costUsd).toBeCloseTo(computeCost(profile.pricing, usage), 12);
      expect(trace.steps[0]).toMatchObject({ status: 'ok', attempt: 1 });
    },
  );

  it('fails as before when the second answer breaks the schema too, billing both', async () => {
    const { runtime, prompts, profile } = scripted([broken, '{"queries": []}']);
    const error = await runtime.run(structured(true), { question: 'q' }).catch((e) => e);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('output-validation');
    // The message names what the repaired answer got wrong.
    expect(error.message).toContain('`queries`');
    expect(prompts).toHaveLength(2);
    // Two calls, each billed at the scripted model's 100 tokens in and 50 out.
    const usage = { inputTokens: 200, cachedInputTokens: 0, outputTokens: 100, reasoningTokens: 0 };
    expect(error.trace.costUsd).toBeCloseTo(computeCost(profile.pricing, usage), 12);
  });

  it('is off by default: one call, and the first answer fails the step', async () => {
    const { runtime, prompts } = scripted([broken, fixed]);
    const error = await runtime.run(structured(), { question: 'q' }).catch((e) => e);
    expect(error.reason).toBe('output-validation');
    expect(prompts).toHaveLength(1);
  });

  it('is checked as a boolean, naming the step', () => {
    expect(() =>
      chain('c', { input }).step('plan', llm({ prompt: 'x', output, repair: 'yes' as never })),
    ).toThrow(/`repair`/);
  });
});
