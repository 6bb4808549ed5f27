import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { StepError } from '../errors';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryRunStore } from '../stores';
import { createRuntime } from './runtime';

const input = z.object({ q: z.string() });

function setup(durable = false) {
  const pool = createEmulatedPool({
    profiles: [mercury2],
    clock: createVirtualClock(),
    requestLog: true,
  });
  const runtime = createRuntime({
    models: pool,
    ...(durable && { store: createMemoryRunStore() }),
  });
  return { runtime, requests: () => pool.stats().requestLog!.length };
}

async function failure(run: Promise<unknown>): Promise<StepError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(StepError.isInstance(error)).toBe(true);
  return error as StepError;
}

// What a JavaScript caller (or an `as any`) can give: a block-bodied arrow without `return`.
const noReturn = ((_: unknown) => {}) as unknown as () => string;

describe('a prompt, system or messages function that returns the wrong type', () => {
  it.each([
    [
      'prompt',
      { prompt: noReturn },
      'Expected `prompt` to return a string, got `undefined` (undefined)',
    ],
    [
      'prompt',
      { prompt: () => ({ question: 'why?' }) },
      'Expected `prompt` to return a string, got `{"question":"why?"}` (object)',
    ],
    ['system', { prompt: 'p', system: noReturn }, 'Expected `system` to return a string'],
    [
      'messages',
      { messages: () => 'hello' },
      'Expected `messages` to return an array of messages (`{ role, content }`), got `hello` (string)',
    ],
    [
      'messages',
      { messages: () => ['hello'] },
      'Expected `messages` to return an array of messages',
    ],
  ])('fails the step on its %s before any request', async (_, options, message) => {
    for (const durable of [false, true]) {
      const { runtime, requests } = setup(durable);
      const bad = chain('bad', { input }).step('a', llm(options as never));
      const error = await failure(runtime.run(bad, { q: 'x' }));
      expect(error.message).toContain(`Step \`a\` of chain \`bad\` failed: ${message}`);
      expect(error).toMatchObject({
        chain: 'bad',
        stepId: 'a',
        reason: 'function',
        model: undefined,
      });
      expect(requests()).toBe(0);
    }
  });

  it('names the map item whose prompt was wrong', async () => {
    const { runtime, requests } = setup();
    const bad = chain('bad', { input }).map(
      'm',
      () => [1, 2],
      llm({
        prompt: ((item: number) => (item === 2 ? undefined : `item ${item}`)) as () => string,
      }),
      { concurrency: 1 },
    );
    const error = await failure(runtime.run(bad, { q: 'x' }));
    expect(error).toMatchObject({ stepId: 'm', item: 1, reason: 'function' });
    expect(error.message).toContain('Expected `prompt` to return a string, got `undefined`');
    expect(requests()).toBe(1);
  });

  it('sends a prompt function that returns a string as before', async () => {
    const { runtime, requests } = setup();
    const good = chain('good', { input }).step('a', llm({ prompt: ({ input }) => input.q }));
    await runtime.run(good, { q: 'x' });
    expect(requests()).toBe(1);
  });
});
