import { type AnyChain, chain, llm } from 'hotpath';
import { z } from 'zod';

/**
 * The chains the streaming benchmark runs, each in a plain and a pipelined form (the same chain
 * with `pipeline: true` on its map) and with an answer step: a planner that streams a structured
 * list into a map, then a step whose text is the answer. `research` is `examples/research.ts`'s
 * shape; `map-reduce-32` is `bench/scheduler/shapes.ts`'s with its planner made structured.
 */
export interface StreamShape {
  readonly id: string;
  readonly description: string;
  readonly build: (pipeline: boolean) => AnyChain;
  readonly input: { topic: string };
}

const input = z.object({ topic: z.string() });
const topic = 'How diffusion language models decode';

/** A planner of exactly `count` strings of about `tokens` tokens each, on `lane`. */
const planner = (count: number, tokens: number, lane?: 'fast' | 'cheap') =>
  llm({
    prompt: ({ input }: { input: { topic: string } }) => `List ${count} queries on ${input.topic}`,
    output: z.object({
      queries: z
        .array(
          z
            .string()
            .min(tokens * 4)
            .max(tokens * 4 + 8),
        )
        .min(count)
        .max(count),
    }),
    expect: { outputTokens: count * (tokens + 2) },
    ...(lane && { lane }),
  });

function shape(
  id: string,
  description: string,
  sizes: {
    count: number;
    tokens: number;
    lane?: 'fast' | 'cheap';
    concurrency: number;
    itemOut: number;
    answerOut: number;
  },
): StreamShape {
  return {
    id,
    description,
    input: { topic },
    build: (pipeline) =>
      chain(id, { input })
        .step('plan', planner(sizes.count, sizes.tokens, sizes.lane))
        .map(
          'answers',
          ({ plan }) => plan?.queries ?? [],
          llm({
            prompt: (query: string) => `Answer briefly: ${query}`,
            maxOutputTokens: Math.round(sizes.itemOut / 0.9),
            expect: { outputTokens: sizes.itemOut },
          }),
          { concurrency: sizes.concurrency, expect: { items: sizes.count }, pipeline },
        )
        .step(
          'report',
          llm({
            prompt: ({ answers }) =>
              `Write the report from: ${answers.map((a: { text: string }) => a.text.slice(0, 80)).join(' | ')}`,
            maxOutputTokens: Math.round(sizes.answerOut / 0.9),
            expect: { outputTokens: sizes.answerOut },
          }),
        )
        .returns(({ report }) => report.text),
  };
}

export const streamShapes: readonly StreamShape[] = [
  shape(
    'planner-24',
    'a planner streams 24 queries (~25 tokens each) on the cheap lane into a map at concurrency 3 (60 tokens out each), then a 600-token report',
    { count: 24, tokens: 25, lane: 'cheap', concurrency: 3, itemOut: 60, answerOut: 600 },
  ),
  shape(
    'research',
    'examples/research.ts: a planner of 6 queries (balanced plan), 6 answers at concurrency 8 (300 tokens), an 800-token report',
    { count: 6, tokens: 12, concurrency: 8, itemOut: 270, answerOut: 720 },
  ),
  shape(
    'map-reduce-32',
    'a planner of 32 sub-questions (~9 tokens each, balanced plan), 32 items at concurrency 8 (400 tokens), an 800-token reduce',
    { count: 32, tokens: 9, concurrency: 8, itemOut: 400, answerOut: 800 },
  ),
];
