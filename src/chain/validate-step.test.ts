import { jsonSchema, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChainDefinitionError, InvalidArgumentError } from '../errors';
import { agent } from './agent';
import { chain } from './chain';
import { fn } from './fn';
import { llm } from './llm';

const start = () => chain('c', { input: z.object({ q: z.string() }) });
const loose = (options: Record<string, unknown>) => llm({ prompt: 'p', ...options } as never);

describe('step option checks', () => {
  it.each([
    [{ lane: 'medium' }, "Expected `lane` to be 'fast' or 'cheap', got `medium` (string)"],
    [
      { callPath: 'generateText' },
      "Expected `callPath` to be 'auto' or 'streamText', got `generateText` (string)",
    ],
    [{ timeout: { firstTokenMs: -1 } }, 'Expected `timeout.firstTokenMs` to be a number above 0'],
    [{ timeout: { totalMs: Number.NaN } }, '`timeout.totalMs`'],
    [{ timeout: { idleMs: 0 } }, 'Expected `timeout.idleMs` to be a number above 0'],
    [{ models: [] }, 'Expected `models` to be a non-empty array of model ids, got `[]` (object)'],
    [{ models: ['a', 3] }, 'got `["a",3]` (object)'],
    [{ models: 'mercury-2' }, '`models`'],
    [{ maxOutputTokens: 0 }, '`maxOutputTokens` to be a whole number from 1 up'],
    [{ temperature: Number.NaN }, '`temperature`'],
    [{ hedge: 'yes' }, '`hedge` to be a boolean'],
    [{ expect: { outputTokens: -3 } }, '`expect.outputTokens`'],
    [{ expect: { outputToken: 3 } }, 'did you mean `expect.outputTokens`?'],
    [
      { output: { type: 'object' } },
      'Expected `output` to be a zod (or other Standard Schema) or AI SDK schema (wrap a JSON Schema in `jsonSchema()` from `ai`), got `{"type":"object"}` (object)',
    ],
    [
      { messages: [{ role: 'user', content: 'M' }] },
      'Expected `prompt` or `messages` of `llm`, got both (only `messages` would be sent)',
    ],
    [{ output: 'json' }, 'Expected `output` to be a zod (or other Standard Schema) or AI SDK'],
    [
      { maxOutputToken: 10 },
      'Unknown option `maxOutputToken` of `llm`; did you mean `maxOutputTokens`?',
    ],
  ])('refuses %j, naming the chain and the step', (options, message) => {
    const add = () => start().step('s', loose(options));
    expect(add).toThrow(message);
    expect(add).toThrow('Chain `c`, step `s`: ');
    try {
      add();
    } catch (error) {
      expect(ChainDefinitionError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ stepId: 's', reason: 'invalid-option' });
    }
  });

  it('checks steps in .parallel and .map too', () => {
    expect(() => start().parallel({ p: loose({ lane: 'medium' }) })).toThrow('step `p`');
    expect(() => start().map('m', () => [1], loose({ lane: 'slow' }))).toThrow('step `m`');
  });

  it('checks agent options', () => {
    const tools = { t: tool({ inputSchema: z.object({}), execute: async () => 1 }) };
    const step = agent({ prompt: 'p', tools, lane: 'medium' as 'fast' });
    expect(() => start().step('a', step)).toThrow("Expected `lane` to be 'fast' or 'cheap'");
    const both = agent({ prompt: 'p', messages: [], tools } as never);
    expect(() => start().step('a', both)).toThrow(
      'Expected `prompt` or `messages` of `agent`, got both',
    );
    const typo = agent({ prompt: 'p', tools, maxStep: 2 } as never);
    expect(() => start().step('a', typo)).toThrow(
      'Unknown option `maxStep` of `agent`; did you mean `maxSteps`?',
    );
  });

  it('refuses an agent without tools, or with options only llm takes, when agent() is called', () => {
    const tools = { t: tool({ inputSchema: z.object({}), execute: async () => 1 }) };
    const refusal = (options: Record<string, unknown>) => {
      try {
        agent(options as never);
      } catch (error) {
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        return error as InvalidArgumentError;
      }
      throw new Error('agent() accepted it');
    };
    expect(refusal({ prompt: 'p' })).toMatchObject({
      argument: 'tools',
      message:
        'Expected `tools` to be a tool set (`{ name: tool({ inputSchema, execute }) }`); without tools use `llm`, got `undefined` (undefined)',
    });
    expect(refusal({ prompt: 'p', tools: [] }).argument).toBe('tools');
    for (const [key, value] of [
      ['output', z.object({})],
      ['repair', true],
      ['hedge', false],
      ['callPath', 'streamText'],
    ] as const) {
      expect(refusal({ prompt: 'p', tools, [key]: value })).toMatchObject({
        argument: key,
        message: `Unknown option \`${key}\` of \`agent\`: it is an \`llm\` option that agents do not take`,
      });
    }
  });

  it('checks fn steps and the options of .step and .map', () => {
    expect(() =>
      start().step(
        'f',
        fn(() => 1, { expect: { durationMs: -1 } }),
      ),
    ).toThrow('`expect.durationMs`');
    expect(() =>
      start().map(
        'm',
        () => [1],
        fn((x) => x),
        { concurency: 2 } as never,
      ),
    ).toThrow('Unknown option `concurency` of `.map`; did you mean `concurrency`?');
    expect(() =>
      start().step(
        'a',
        { need: [] } as never,
        fn(() => 1),
      ),
    ).toThrow('Unknown option `need` of `.step`; did you mean `needs`?');
  });

  it('accepts every documented option', () => {
    const step = llm({
      prompt: () => 'p',
      system: 's',
      lane: 'cheap',
      models: ['mercury-2'],
      expect: { inputTokens: 10, outputTokens: 10, cachedInputTokens: 0 },
      requires: { tools: false },
      maxOutputTokens: 10,
      temperature: 0,
      timeout: { firstTokenMs: 100, totalMs: 1000 },
      hedge: false,
      output: z.object({ a: z.string() }),
    });
    expect(() => start().step('s', step)).not.toThrow();
  });

  it('accepts every kind of schema the AI SDK reads as `output`', () => {
    const standard = {
      '~standard': { version: 1, vendor: 'mine', validate: (value: unknown) => ({ value }) },
    };
    const schemas = [
      z.object({ a: z.string() }),
      jsonSchema({ type: 'object', properties: { a: { type: 'string' } } }),
      () => jsonSchema({ type: 'object' }),
      standard,
    ];
    for (const output of schemas) {
      expect(() => start().step('s', loose({ output }))).not.toThrow();
    }
  });
});
