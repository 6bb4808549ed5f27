import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, type InferInput, type InferOutput, llm, type MapItemResult } from '.';

const base = chain('research', {
  input: z.object({ question: z.string(), depth: z.number().default(1) }),
});

const research = base
  .step(
    'plan',
    llm({
      prompt: ({ input }) => `Split into queries: ${input.question}`,
      output: z.object({ queries: z.array(z.string()) }),
    }),
  )
  .map(
    'answers',
    ({ plan }) => plan.queries,
    llm({ prompt: (query: string) => `Answer: ${query}` }),
  )
  .step('report', llm({ prompt: ({ input, answers }) => `${input.question}: ${answers.length}` }))
  .returns(({ report, plan }) => ({ report: report.text, queries: plan.queries }));

describe('chain types', () => {
  it('types structured outputs from the zod schema', () => {
    base.step(
      'plan',
      llm({
        prompt: ({ input }) => {
          expectTypeOf(input).toEqualTypeOf<{ question: string; depth: number }>();
          return input.question;
        },
        output: z.object({ queries: z.array(z.string()) }),
      }),
    );
    expectTypeOf<InferOutput<typeof research>>().toEqualTypeOf<{
      report: string;
      queries: string[];
    }>();
  });

  it('gives the input type before parsing and the output after', () => {
    expectTypeOf<InferInput<typeof research>>().toEqualTypeOf<{
      question: string;
      depth?: number | undefined;
    }>();
  });

  it('defaults the output to every step output', () => {
    const noReturns = base
      .step(
        'a',
        fn(() => 1),
      )
      .step(
        'b',
        fn(({ a }) => `${a}`),
      );
    expectTypeOf<InferOutput<typeof noReturns>>().toEqualTypeOf<{ a: number; b: string }>();
  });

  it('types map outputs as arrays and items from `over`', () => {
    const mapped = base
      .step(
        'nums',
        fn(() => [1, 2, 3]),
      )
      .map(
        'doubled',
        ({ nums }) => nums,
        fn((n: number) => n * 2),
      )
      .returns(({ doubled }) => doubled);
    expectTypeOf<InferOutput<typeof mapped>>().toEqualTypeOf<number[]>();
  });

  it('types parallel steps by key', () => {
    const both = base
      .parallel({ a: fn(async () => 'x'), b: llm({ prompt: ({ input }) => input.question }) })
      .returns(({ a, b }) => ({ a, b }));
    expectTypeOf<InferOutput<typeof both>>().toEqualTypeOf<{ a: string; b: { text: string } }>();
  });

  it('narrows the context to what a step needs', () => {
    base
      .step(
        'a',
        fn(() => 1),
      )
      .step(
        'b',
        fn(() => 'b'),
      )
      .step(
        'c',
        { needs: ['a'] },
        fn((context) => {
          expectTypeOf(context).toEqualTypeOf<{
            input: { question: string; depth: number };
            a: number;
          }>();
          return context.a;
        }),
      );
  });

  // biome-ignore format: each @ts-expect-error must sit on the line of its error
  it('rejects unknown step names, wrong fields and duplicates at compile time', () => {
    const two = base.step('a', fn(() => ({ count: 1 })));
    // @ts-expect-error `nope` is not a step
    two.step('b', fn(({ nope }) => nope));
    // @ts-expect-error `a` has no field `size`
    two.step('b', fn(({ a }) => a.size));
    // @ts-expect-error `a` is taken
    two.step('a', fn(() => 2));
    // @ts-expect-error `zzz` is not an earlier step
    two.step('b', { needs: ['zzz'] }, fn(() => 2));
    // @ts-expect-error `a` is not among what `b` needs
    two.step('c', fn(() => 1)).step('b', { needs: ['c'] }, fn(({ a }) => a));
    // @ts-expect-error `input` has no field `questoin`
    base.step('x', llm({ prompt: ({ input }) => input.questoin }));
    // @ts-expect-error a map item annotated with the wrong type
    base.step('n', fn(() => [1, 2])).map('m', ({ n }) => n, fn((item: string) => item));
  });
});

describe('map item errors', () => {
  it('types collected items as results', () => {
    const collected = base
      .map(
        'm',
        () => [1, 2],
        fn((n: number) => n * 2),
        { onItemError: 'collect' },
      )
      .returns(({ m }) => m);
    expectTypeOf<InferOutput<typeof collected>>().toEqualTypeOf<MapItemResult<number>[]>();
    const skipped = base.map(
      'm',
      () => [1],
      fn((n: number) => `${n}`),
      { onItemError: 'skip' },
    );
    expectTypeOf<InferOutput<typeof skipped>>().toEqualTypeOf<{ m: string[] }>();
  });
});

describe('.parallel steps read the typed context', () => {
  const shop = chain('shop', { input: z.object({ product: z.string() }) }).step(
    'price',
    fn(() => 12.5),
  );

  it('gives an `fn` the context a `.step` would get', () => {
    shop.parallel({
      summary: fn(({ input, price }) => {
        expectTypeOf(input).toEqualTypeOf<{ product: string }>();
        expectTypeOf(price).toEqualTypeOf<number>();
        return `${input.product}: ${price}`;
      }),
      pitch: llm({
        prompt: (context) => {
          expectTypeOf(context).toEqualTypeOf<{ input: { product: string }; price: number }>();
          return context.input.product;
        },
      }),
    });
  });

  it('types each parallel output by key', () => {
    const both = shop
      .parallel({
        a: fn(({ price }) => price * 2),
        b: llm({
          prompt: ({ input }) => input.product,
          output: z.object({ tags: z.array(z.string()) }),
        }),
      })
      .returns(({ a, b, price }) => ({ a, b, price }));
    expectTypeOf<InferOutput<typeof both>>().toEqualTypeOf<{
      a: number;
      b: { tags: string[] };
      price: number;
    }>();
  });

  // biome-ignore format: each @ts-expect-error must sit on the line of its error
  it('rejects a typo, an unknown step and a taken name at compile time', () => {
    // @ts-expect-error `input` has no field `prodcut`
    shop.parallel({ pitch: llm({ prompt: ({ input }) => input.prodcut }) });
    // @ts-expect-error `cost` is not a step
    shop.parallel({ total: fn(({ cost }) => cost) });
    // @ts-expect-error `price` is taken
    shop.parallel({ price: fn(() => 1), other: fn(() => 2) });
  });
});

describe('.returns ends the chain', () => {
  // biome-ignore format: each @ts-expect-error must sit on the line of its error
  it('has no builder methods after it', () => {
    const done = base.step('a', fn(() => 1)).returns(({ a }) => a);
    expectTypeOf<InferOutput<typeof done>>().toEqualTypeOf<number>();
    // @ts-expect-error a step after `.returns`
    done.step('b', fn(() => 2));
    // @ts-expect-error parallel steps after `.returns`
    done.parallel({ b: fn(() => 2) });
    // @ts-expect-error a map after `.returns`
    done.map('m', () => [1], fn((n: number) => n));
    // @ts-expect-error a second `.returns`
    done.returns(() => 2);
  });
});

describe('pipelined maps', () => {
  it('give over a deep-partial context, and the map the same output type', () => {
    const planned = chain('p', { input: z.object({ q: z.string() }) }).step(
      'plan',
      llm({ prompt: 'x', output: z.object({ queries: z.array(z.string()) }) }),
    );
    const piped = planned
      .map(
        'answers',
        (context) => {
          expectTypeOf(context.plan).toEqualTypeOf<{ queries?: string[] } | undefined>();
          expectTypeOf(context.input).toEqualTypeOf<{ q: string }>();
          return context.plan?.queries ?? [];
        },
        fn((query: string) => query.length),
        { pipeline: true },
      )
      .returns(({ answers }) => answers);
    expectTypeOf<InferOutput<typeof piped>>().toEqualTypeOf<number[]>();
    planned.map(
      'answers',
      // @ts-expect-error over must tolerate a missing plan under `pipeline`
      ({ plan }) => plan.queries,
      fn((query: string) => query),
      { pipeline: true },
    );
  });
});
