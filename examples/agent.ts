import { stepCountIs, tool } from 'ai';
import { agent, chain, consoleExporter, createRuntime, llm, models } from 'hotpath';
import { z } from 'zod';

// An agent with tools: up to 10 model calls, each on the critical path, so hotpath puts the
// loop on the fastest model that can call tools. (The emulator answers after one tool round; a
// real model may take more.)
const cities: Record<string, { celsius: number; rain: boolean }> = {
  lisbon: { celsius: 21, rain: false },
  oslo: { celsius: 4, rain: true },
};

const tools = {
  weather: tool({
    description: 'Current weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => cities[city.toLowerCase()] ?? { celsius: 15, rain: false },
  }),
  convert: tool({
    description: 'Celsius to Fahrenheit',
    inputSchema: z.object({ celsius: z.number() }),
    execute: async ({ celsius }) => ({ fahrenheit: celsius * 1.8 + 32 }),
  }),
};

export const trip = chain('trip', { input: z.object({ city: z.string() }) })
  .step(
    'advice',
    agent({
      system: 'You plan day trips. Use the tools to check the weather before you answer.',
      prompt: ({ input }) => `Should I pack an umbrella for ${input.city} today?`,
      tools,
      stopWhen: stepCountIs(10),
      maxOutputTokens: 200,
    }),
  )
  .step('summary', llm({ prompt: ({ advice }) => `One line: ${advice.text}`, maxOutputTokens: 40 }))
  .returns(({ advice, summary }) => ({ summary: summary.text, toolCalls: advice.toolCalls }));

/** Plans and runs the agent, then prints what the tools were asked (`npx tsx examples/agent.ts`). */
export async function main(runtime = createRuntime({ models: models.fromEnv() })) {
  console.log(runtime.plan(trip, { city: 'Oslo' }).explain());
  const off = consoleExporter().attach(runtime);
  const { output, trace } = await runtime.run(trip, { city: 'Oslo' });
  off();
  const calls = trace.steps.find((step) => step.stepId === 'advice')?.calls ?? [];
  console.log(`\nagent: ${calls.map((span) => `${span.kind} ${span.name}`).join(' → ')}`);
  console.log(
    `tools asked: ${output.toolCalls.map((call) => `${call.toolName}(${JSON.stringify(call.input)})`).join(', ')}`,
  );
  console.log(`summary: ${output.summary}`);
  return output;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
