import { hasToolCall, stepCountIs, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agent, chain } from '../chain';
import { createVirtualClock } from '../clock';
import { InvalidArgumentError } from '../errors';
import { createEmulatedPool } from '../models/emulated-pool';
import { planChain } from '../scheduler/plan-chain';
import { createRuntime } from './runtime';

const lookups: string[] = [];
const tools = {
  weather: tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      lookups.push(city);
      return { city, celsius: 21 };
    },
  }),
};
const trip = chain('trip', { input: z.object({ city: z.string() }) })
  .step(
    'research',
    agent({ prompt: ({ input }) => `What is the weather in ${input.city}?`, tools, maxSteps: 4 }),
  )
  .returns(({ research }) => research);

describe('agent steps', () => {
  it('run a tool loop and trace every model call and tool run', async () => {
    const runtime = createRuntime({ models: createEmulatedPool({ clock: createVirtualClock() }) });
    const { output, trace } = await runtime.run(trip, { city: 'Lisbon' });
    expect(output.steps).toBe(2);
    expect(output.toolCalls).toHaveLength(1);
    expect(output.toolCalls[0]).toMatchObject({ toolName: 'weather', output: { celsius: 21 } });
    expect(lookups).toHaveLength(1);
    expect(output.text.length).toBeGreaterThan(0);
    const calls = trace.steps[0]!.calls!;
    expect(calls.map((span) => [span.kind, span.name])).toEqual([
      ['model', trace.steps[0]!.model],
      ['tool', 'weather'],
      ['model', trace.steps[0]!.model],
    ]);
    const [first, lookup, second] = calls;
    expect(lookup!.startMs).toBeGreaterThanOrEqual(first!.startMs);
    expect(second!.startMs).toBeGreaterThanOrEqual(lookup!.endMs);
    expect(second!.endMs).toBe(trace.steps[0]!.endMs);
  });

  it('are planned as sequential calls on models with tool calling', () => {
    const pool = createEmulatedPool();
    const single = chain('one', { input: z.object({}) }).step(
      'a',
      agent({ prompt: 'x', tools, maxSteps: 6, expect: { outputTokens: 100 } }),
    );
    const plan = planChain({ chain: single.definition, pool });
    const step = plan.step('a')!;
    const once = chain('one', { input: z.object({}) }).step(
      'a',
      agent({ prompt: 'x', tools, maxSteps: 6, expect: { outputTokens: 100, calls: 1 } }),
    );
    const onePlan = planChain({ chain: once.definition, pool }).step('a')!;
    // Half of maxSteps by default: three calls one after another, at three times the price.
    expect(step.predicted.durationMs).toBeCloseTo(3 * onePlan.predicted.durationMs, 6);
    expect(step.predicted.costUsd).toBeCloseTo(3 * onePlan.predicted.costUsd, 12);
    const noTools = createEmulatedPool({
      profiles: [
        {
          ...pool.models[0]!.profile,
          capabilities: { structuredOutput: true, tools: false, developerRole: false },
        },
      ],
    });
    expect(() => planChain({ chain: single.definition, pool: noTools })).toThrow(
      /has no model to run on/,
    );
  });

  it('stop when a stopWhen condition holds, as in the AI SDK', async () => {
    const runtime = createRuntime({ models: createEmulatedPool({ clock: createVirtualClock() }) });
    const prompt = ({ input }: { input: { city: string } }) => `Weather in ${input.city}?`;
    const run = (step: ReturnType<typeof agent<{ input: { city: string } }, typeof tools>>) =>
      runtime.run(
        chain('stop', { input: z.object({ city: z.string() }) })
          .step('research', step)
          .returns(({ research }) => research),
        { city: 'Oslo' },
      );
    // One model call: it asks for the tool, the tool runs, and the loop stops there.
    const once = await run(agent({ prompt, tools, stopWhen: stepCountIs(1) }));
    expect(once.output.steps).toBe(1);
    expect(once.output.toolCalls.map((call) => call.toolName)).toEqual(['weather']);
    expect(once.trace.calls).toBe(1);
    const onTool = await run(
      agent({ prompt, tools, stopWhen: [stepCountIs(9), hasToolCall('weather')] }),
    );
    expect(onTool.output.steps).toBe(1);
    // `maxSteps` is the shorthand, and with `stopWhen` the first to hold wins.
    expect((await run(agent({ prompt, tools, maxSteps: 1 }))).output.steps).toBe(1);
    const both = await run(agent({ prompt, tools, maxSteps: 1, stopWhen: stepCountIs(5) }));
    expect(both.output.steps).toBe(1);
    // Without either, the loop runs to the answer (two calls on the emulator, within 5).
    expect((await run(agent({ prompt, tools }))).output.steps).toBe(2);
  });

  it('refuse a stopWhen that is not a stop condition, naming it', () => {
    const bad = () => agent({ prompt: 'x', tools, stopWhen: [stepCountIs(2), 3 as never] });
    expect(bad).toThrow(InvalidArgumentError);
    expect(bad).toThrow('Expected `stopWhen[1]` to be a stop condition such as `stepCountIs(5)`');
  });

  it('are planned at half their step limit, or half the default with only stopWhen', () => {
    const pool = createEmulatedPool();
    const plannedMs = (step: Parameters<typeof agent>[0]) =>
      planChain({
        chain: chain('one', { input: z.object({}) }).step('a', agent(step)).definition,
        pool,
      }).step('a')!.predicted.durationMs;
    const expect1 = { outputTokens: 100, calls: 1 };
    const one = plannedMs({ prompt: 'x', tools, expect: expect1 });
    const untilTool = plannedMs({
      prompt: 'x',
      tools,
      stopWhen: hasToolCall('weather'),
      expect: { outputTokens: 100 },
    });
    expect(untilTool).toBeCloseTo(3 * one, 6);
  });
});
