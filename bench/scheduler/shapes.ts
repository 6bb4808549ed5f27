import { type AnyChain, chain, llm, type ModelProfile } from 'hotpath';
import { z } from 'zod';

/**
 * The chain shapes the scheduler benchmark plans and runs. Each builds its chain with a `pin`
 * hook so that the naive rule ("sequential steps fast, map items cheap") is the same chain with
 * every step's candidates narrowed, not a different chain.
 */
export interface Shape {
  readonly id: string;
  /** The shape and its token sizes, in words, for the tables. */
  readonly description: string;
  readonly build: (pin?: Pin) => AnyChain;
  readonly input: { topic: string };
  /** Rate limits every model of the shape's pools carries. */
  readonly rateLimits?: ModelProfile['rateLimits'];
  /** Purely sequential: the issue asks 5x faster than all-premium there. */
  readonly sequential: boolean;
  /** Model-calling steps (map items count once) and map items, for the self-check. */
  readonly expected: { readonly steps: number; readonly mapItems: number };
}

/** Narrows a step's candidates: `step` for single calls, `map` for the items of a fan-out. */
export type Pin = (kind: 'step' | 'map') => readonly string[] | undefined;

const input = z.object({ topic: z.string() });
const topic = 'How diffusion language models decode';

/** `maxOutputTokens` whose emulated output averages `tokens` (the emulator draws 80-100% of it). */
const capFor = (tokens: number) => Math.round(tokens / 0.9);

/** A step of about `inputTokens` in and `outputTokens` out; `prompt` builds the text sent. */
function sized(
  prompt: (context: any) => string,
  inputTokens: number,
  outputTokens: number,
  models?: readonly string[],
) {
  return llm({
    prompt,
    maxOutputTokens: capFor(outputTokens),
    expect: { inputTokens, outputTokens },
    ...(models && { models }),
  });
}

/** Text of about `tokens` tokens (4 characters a token), deterministic. */
export function filler(tokens: number, seed = 0): string {
  const words = 'the model reads each chunk and keeps what matters for the final answer'.split(' ');
  let text = '';
  for (let index = seed; text.length < tokens * 4; index++) {
    text += `${words[index % words.length]} `;
  }
  return text.slice(0, tokens * 4);
}

/** The last `tokens` tokens of a step's text, padded to that size, so prompts have fixed sizes. */
const tail = (text: string, tokens: number) =>
  (text + filler(tokens)).slice(0, tokens * 4).padEnd(tokens * 4, '.');

const sequential10: Shape = {
  id: 'sequential-10',
  description: '10 sequential calls, ~520 tokens in / 500 out each',
  input: { topic },
  sequential: true,
  expected: { steps: 10, mapItems: 0 },
  build(pin) {
    let built: any = chain('sequential-10', { input });
    for (let index = 0; index < 10; index++) {
      const previous = index === 0 ? undefined : `s${index - 1}`;
      built = built.step(
        `s${index}`,
        sized(
          (context) =>
            `Step ${index} on ${context.input.topic}: ${tail(previous ? context[previous].text : '', 500)}`,
          520,
          500,
          pin?.('step'),
        ),
      );
    }
    return built;
  },
};

const mapReduce: Shape = {
  id: 'map-reduce-32',
  description:
    'plan (100 in / 300 out), 32 items at concurrency 8 (400 in / 400 out), reduce (~13k in / 800 out)',
  input: { topic },
  sequential: false,
  expected: { steps: 3, mapItems: 32 },
  build(pin) {
    return chain('map-reduce-32', { input })
      .step(
        'plan',
        sized(({ input }) => `Plan 32 sub-questions on ${input.topic}`, 100, 300, pin?.('step')),
      )
      .map(
        'answers',
        () => Array.from({ length: 32 }, (_, index) => index),
        sized(
          (item: number) => `Answer sub-question ${item}: ${filler(390, item)}`,
          400,
          400,
          pin?.('map'),
        ),
        { concurrency: 8, expect: { items: 32 } },
      )
      .step(
        'reduce',
        sized(
          ({ answers }) =>
            `Merge: ${answers.map((answer: { text: string }) => tail(answer.text, 400)).join('\n')}`,
          12_850,
          800,
          pin?.('step'),
        ),
      );
  },
};

const fanOut200: Shape = {
  id: 'fan-out-200',
  description:
    '200 items at concurrency 32 (300 in / 200 out), every model limited to 120 requests/min',
  input: { topic },
  sequential: false,
  rateLimits: { requestsPerMinute: 120 },
  expected: { steps: 1, mapItems: 200 },
  build(pin) {
    return chain('fan-out-200', { input }).map(
      'items',
      () => Array.from({ length: 200 }, (_, index) => index),
      sized(
        (item: number) => `Classify document ${item}: ${filler(290, item)}`,
        300,
        200,
        pin?.('map'),
      ),
      { concurrency: 32, expect: { items: 200 } },
    );
  },
};

/** Output tokens of the two steps of each branch: LLMCompiler tasks differ in length. */
const branchTokens = [150, 300, 450, 600] as const;

const diamond: Shape = {
  id: 'diamond-4x2',
  description:
    'plan (100 in / 300 out), 4 branches of 2 steps (300-900 in / 150-600 out), join (~3k in / 600 out)',
  input: { topic },
  sequential: false,
  expected: { steps: 10, mapItems: 0 },
  build(pin) {
    let built: any = chain('diamond-4x2', { input }).step(
      'plan',
      sized(({ input }) => `Plan 4 tasks on ${input.topic}`, 100, 300, pin?.('step')),
    );
    branchTokens.forEach((tokens, branch) => {
      built = built
        .step(
          `b${branch}a`,
          { needs: ['plan'] },
          sized(
            (context) => `Task ${branch}: ${tail(context.plan.text, 300)}`,
            305,
            tokens,
            pin?.('step'),
          ),
        )
        .step(
          `b${branch}b`,
          { needs: [`b${branch}a`] },
          sized(
            (context) => `Check task ${branch}: ${tail(context[`b${branch}a`].text, tokens + 300)}`,
            tokens + 305,
            tokens,
            pin?.('step'),
          ),
        );
    });
    const joined = branchTokens.reduce((sum, tokens) => sum + tokens, 0);
    return built.step(
      'join',
      { needs: branchTokens.map((_, branch) => `b${branch}b`) },
      sized(
        (context) =>
          `Join: ${branchTokens.map((tokens, branch) => tail(context[`b${branch}b`].text, tokens)).join('\n')}`,
        joined + 5,
        600,
        pin?.('step'),
      ),
    );
  },
};

const summarise16: Shape = {
  id: 'summarise-16x4k',
  description: '16 sequential summaries, ~4,000 tokens in (a 16k-character prompt) / 200 out each',
  input: { topic },
  sequential: true,
  expected: { steps: 16, mapItems: 0 },
  build(pin) {
    let built: any = chain('summarise-16x4k', { input });
    for (let index = 0; index < 16; index++) {
      const previous = index === 0 ? undefined : `s${index - 1}`;
      built = built.step(
        `s${index}`,
        sized(
          (context) =>
            `Summarise section ${index}, given the summary so far: ${tail(previous ? context[previous].text : '', 200)}\n${filler(3790, index)}`,
          4000,
          200,
          pin?.('step'),
        ),
      );
    }
    return built;
  },
};

/** Output tokens of the lattice's cells, row by row. */
const latticeTokens = [
  [300, 150, 500, 200],
  [100, 600, 150, 400],
  [250, 200, 350, 300],
] as const;

const lattice12: Shape = {
  id: 'lattice-12',
  description:
    '3x4 grid, each cell needs the one above and the one to its left (not series-parallel), 300 in / 100-600 out',
  input: { topic },
  sequential: false,
  expected: { steps: 12, mapItems: 0 },
  build(pin) {
    let built: any = chain('lattice-12', { input });
    latticeTokens.forEach((row, r) => {
      row.forEach((tokens, c) => {
        const needs = [r > 0 ? `c${r - 1}${c}` : undefined, c > 0 ? `c${r}${c - 1}` : undefined];
        const known = needs.filter((need): need is string => need !== undefined);
        const prompt = (context: any) =>
          `Cell ${r},${c}: ${known.map((need) => tail(context[need].text, 140)).join(' ')} ${filler(295 - known.length * 140)}`;
        const step = sized(prompt, 300, tokens, pin?.('step'));
        built = built.step(`c${r}${c}`, { needs: known }, step);
      });
    });
    return built;
  },
};

/** Every shape, in table order. */
export const shapes: readonly Shape[] = [
  sequential10,
  mapReduce,
  fanOut200,
  diamond,
  summarise16,
  lattice12,
];
