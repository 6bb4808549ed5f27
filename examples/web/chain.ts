import { chain, llm } from 'hotpath';
import { z } from 'zod';

/** The chain the page streams: a plan whose queries feed a pipelined map, then a report. */
export const research = chain('web-research', { input: z.object({ question: z.string() }) })
  .step(
    'plan',
    llm({
      prompt: ({ input }) => `Split into 4 web queries: ${input.question}`,
      output: z.object({ queries: z.array(z.string()).min(4).max(4) }),
    }),
  )
  .map(
    'answers',
    ({ plan }) => plan?.queries ?? [],
    llm({ prompt: (query: string) => `Answer briefly: ${query}`, maxOutputTokens: 80 }),
    { concurrency: 4, pipeline: true },
  )
  .step(
    'report',
    llm({
      prompt: ({ input, answers }) =>
        `Write a report on ${input.question} from: ${answers.map((a) => a.text).join(' | ')}`,
      maxOutputTokens: 1500,
      lane: 'cheap',
    }),
  )
  .returns(({ report }) => report.text);
