import { chain, consoleExporter, createRuntime, llm, models } from 'hotpath';
import { z } from 'zod';

export const research = chain('research', { input: z.object({ question: z.string() }) })
  .step(
    'plan',
    llm({
      prompt: ({ input }) => `Split into 5-8 web queries: ${input.question}`,
      output: z.object({ queries: z.array(z.string()).min(5).max(8) }),
    }),
  )
  .map(
    'answers',
    ({ plan }) => plan.queries,
    llm({ prompt: (query: string) => `Answer briefly: ${query}`, maxOutputTokens: 300 }),
    { expect: { items: 6 } },
  )
  .step(
    'report',
    llm({
      prompt: ({ input, answers }) =>
        `Write a report on ${input.question} from these answers:\n${answers.map((a) => a.text).join('\n')}`,
      maxOutputTokens: 800,
    }),
  )
  .returns(({ report }) => report.text);

/** Prints the plan, runs the chain, and prints the trace (the `npm run demo` entry). */
export async function main(runtime = createRuntime({ models: models.fromEnv() })) {
  const question = 'Why are diffusion LLMs fast?';
  console.log(runtime.plan(research, { question }).explain());
  console.log();
  const off = consoleExporter().attach(runtime);
  const { output } = await runtime.run(research, { question });
  off();
  console.log(`\noutput: ${output.slice(0, 160)}...`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
