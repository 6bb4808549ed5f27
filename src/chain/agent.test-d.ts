import { hasToolCall, stepCountIs, tool } from 'ai';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type AgentToolCall, agent, chain, type InferOutput, type StepOutput } from '.';

const tools = {
  weather: tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  }),
  convert: tool({
    description: 'Celsius to Fahrenheit',
    inputSchema: z.object({ celsius: z.number() }),
    execute: async ({ celsius }) => ({ fahrenheit: celsius * 1.8 + 32 }),
  }),
};

describe('agent types', () => {
  it('takes the AI SDK 7 stopWhen: one condition or an array', () => {
    agent({ prompt: 'x', tools, stopWhen: stepCountIs(4) });
    agent({ prompt: 'x', tools, stopWhen: [stepCountIs(8), hasToolCall('convert')] });
    agent({ prompt: 'x', tools, maxSteps: 3 });
  });

  it('types each tool call from its tool: narrowing on the name types input and output', () => {
    const step = agent({ prompt: 'x', tools });
    type Call = StepOutput<typeof step>['toolCalls'][number];
    expectTypeOf<Call>().toEqualTypeOf<AgentToolCall<typeof tools>>();
    expectTypeOf<Call['toolName']>().toEqualTypeOf<'weather' | 'convert'>();
    const call = {} as Call;
    if (call.toolName === 'weather') {
      expectTypeOf(call.input).toEqualTypeOf<{ city: string }>();
      expectTypeOf(call.output).toEqualTypeOf<{ city: string; celsius: number }>();
    } else {
      expectTypeOf(call.input).toEqualTypeOf<{ celsius: number }>();
      expectTypeOf(call.output).toEqualTypeOf<{ fahrenheit: number }>();
    }
  });

  it('keeps the typed context and the typed result through a chain', () => {
    const trip = chain('trip', { input: z.object({ city: z.string() }) })
      .step(
        'advice',
        agent({
          prompt: ({ input }) => {
            expectTypeOf(input).toEqualTypeOf<{ city: string }>();
            return input.city;
          },
          tools,
        }),
      )
      .returns(({ advice }) => advice.toolCalls);
    expectTypeOf<InferOutput<typeof trip>>().toEqualTypeOf<AgentToolCall<typeof tools>[]>();
  });

  // biome-ignore format: each @ts-expect-error must sit on the line of its error
  it('rejects what is not a stop condition and an unknown tool name', () => {
    // @ts-expect-error a number is not a stop condition (that is maxSteps)
    agent({ prompt: 'x', tools, stopWhen: 4 });
    const step = agent({ prompt: 'x', tools });
    const call = {} as StepOutput<typeof step>['toolCalls'][number];
    // @ts-expect-error `search` is not one of the tools
    if (call.toolName === 'search') return;
  });
});
