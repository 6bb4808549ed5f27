import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import { mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createRuntime } from '../runtime';

const answer = chain('answer', { input: z.object({ question: z.string() }) })
  .step('report', llm({ prompt: 'Write the report.', maxOutputTokens: 200 }))
  .returns(({ report }) => report.text);

function start() {
  const models = createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() });
  return createRuntime({ models }).stream(answer, { question: 'q' });
}

function withoutMessageId<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/"messageId":"[^"]*"/, '"messageId":""') as T;
  const { messageId: _, ...rest } = value as { messageId?: string };
  return rest as T;
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of stream) values.push(value);
  return values;
}

describe('the streams of runtime.stream', () => {
  it('read the run from its start on every access, however often they are read', async () => {
    const result = start();
    // Two readers at once, then two more after the run ended.
    const [first, alongside] = await Promise.all([
      collect(result.textStream),
      collect(result.textStream),
    ]);
    const output = await result.output;
    expect(first.join('')).toBe(output);
    expect(alongside.join('')).toBe(output);
    expect((await collect(result.textStream)).join('')).toBe(output);
    const events = await collect(result.events);
    expect(events.at(-1)!.type).toBe('chain:end');
    expect(await collect(result.events)).toEqual(events);
    // Each UI stream is a new message: the AI SDK gives its `start` chunk a new id.
    const chunks = (await collect(result.toUIMessageStream())).map(withoutMessageId);
    const deltas = chunks.flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta] : []));
    expect(deltas.join('')).toBe(output);
    expect((await collect(result.toUIMessageStream())).map(withoutMessageId)).toEqual(chunks);
    expect(await result.toTextStreamResponse().text()).toBe(output);
    expect(await result.toTextStreamResponse().text()).toBe(output);
    const body = withoutMessageId(await result.toUIMessageStreamResponse().text());
    expect(body).toContain('"type":"data-run"');
    expect(withoutMessageId(await result.toUIMessageStreamResponse().text())).toBe(body);
  });

  it('hand out a new stream on each access', async () => {
    const result = start();
    expect(result.textStream).not.toBe(result.textStream);
    expect(result.events).not.toBe(result.events);
    await result.output;
  });
});
