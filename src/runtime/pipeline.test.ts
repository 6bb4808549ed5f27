import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import type { Clock } from '../clock';
import { createVirtualClock } from '../clock';
import type { EmulatorFaults } from '../emulator/faults';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createModelPool, defineModel } from '../models/pool';
import { planChain } from '../scheduler/plan-chain';
import { createPaint } from '../tracing/format/ansi';
import { LiveRun } from '../tracing/format/live-view';
import { formatWaterfall } from '../tracing/format/waterfall';
import type { StepRecord } from '../tracing/records';
import { createRuntime } from './runtime';

const input = z.object({ topic: z.string() });
const plan = llm({
  prompt: ({ input }: { input: { topic: string } }) => `List queries about ${input.topic}`,
  output: z.object({ queries: z.array(z.string().min(8)).min(12).max(12) }),
  lane: 'cheap',
});
const answer = llm({ prompt: (query: string) => `Answer: ${query}`, maxOutputTokens: 40 });

function chains(concurrency: number) {
  const base = chain('pipe', { input }).step('plan', plan);
  return {
    plain: base
      .map('answers', ({ plan }) => plan.queries, answer, { concurrency })
      .returns(({ answers }) => answers.map((a) => a.text)),
    piped: base
      .map('answers', ({ plan }) => plan?.queries ?? [], answer, { concurrency, pipeline: true })
      .returns(({ answers }) => answers.map((a) => a.text)),
  };
}

function runtimeFor(seed: number, faults?: EmulatorFaults) {
  const clock = createVirtualClock();
  const models = createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock, seed, faults });
  return createRuntime({ models });
}

/**
 * A model whose producer calls stream the given JSON texts (one per attempt, 4 characters every
 * 20 ms, cut after `cutAt` characters) and whose other calls answer `A(prompt)` after 300 ms.
 */
function mindChanger(clock: Clock, attempts: { json: string; cutAt?: number }[]): LanguageModelV4 {
  let producerCalls = 0;
  const finish: LanguageModelV4StreamPart = {
    type: 'finish',
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: 4, text: 4, reasoning: 0 },
    },
  };
  return {
    specificationVersion: 'v4',
    provider: 'test',
    modelId: 'mind',
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('streams only')),
    async doStream(options) {
      const prompt = JSON.stringify(options.prompt);
      const signal = options.abortSignal;
      const producing = prompt.includes('List');
      const script = producing
        ? attempts[Math.min(producerCalls++, attempts.length - 1)]!
        : undefined;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          try {
            await clock.sleep(50, signal);
            controller.enqueue({ type: 'text-start', id: '0' });
            if (script) {
              const end = script.cutAt ?? script.json.length;
              for (let at = 0; at < end; at += 4) {
                controller.enqueue({
                  type: 'text-delta',
                  id: '0',
                  delta: script.json.slice(at, Math.min(at + 4, end)),
                });
                await clock.sleep(20, signal);
              }
              if (script.cutAt !== undefined) throw new TypeError('terminated');
            } else {
              await clock.sleep(300, signal);
              const query = /Answer: ([\w-]+)/.exec(prompt)?.[1];
              controller.enqueue({ type: 'text-delta', id: '0', delta: `A(${query})` });
            }
            controller.enqueue({ type: 'text-end', id: '0' });
            controller.enqueue(finish);
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream };
    },
  };
}

describe('a pipelined map', () => {
  it('keeps items a retry agrees with, stops the ones it changes or drops, and runs none twice', async () => {
    const clock = createVirtualClock();
    const models = createModelPool(
      [
        defineModel(
          mindChanger(clock, [
            { json: '{"queries":["q0","q1","q2","q3","q4","q5"]}', cutAt: 34 },
            { json: '{"queries":["q0","CHANGED","q2"]}' },
          ]),
          { ...deepseekFlash, id: 'mind' },
        ),
      ],
      { clock },
    );
    const runtime = createRuntime({ models, retry: { baseDelayMs: 10 } });
    const piped = chain('pipe', { input })
      .step(
        'plan',
        llm({ prompt: 'List queries', output: z.object({ queries: z.array(z.string()) }) }),
      )
      .map('answers', ({ plan }) => plan?.queries ?? [], answer, { concurrency: 8, pipeline: true })
      .returns(({ answers }) => answers.map((a) => a.text));
    const { output, trace } = await runtime.run(piped, { topic: 't' });
    expect(output).toEqual(['A(q0)', 'A(CHANGED)', 'A(q2)']);
    const records = trace.items.answers!;
    const byIndex = (index: number) => records.filter((record) => record.item === index);
    // q0 started from the failed attempt and was kept: it ran once.
    expect(byIndex(0).map((record) => record.status)).toEqual(['ok']);
    // q1..q4 started from the failed attempt; the retry changed q1 and dropped q3 and q4.
    expect(byIndex(1).map((record) => record.status)).toEqual(['error', 'ok']);
    expect(byIndex(1)[0]!.error).toBe(
      "item 1 of `answers` was stopped: its producer's output changed it",
    );
    expect(byIndex(3).map((record) => record.status)).toEqual(['error']);
    expect(records.filter((record) => record.status === 'ok')).toHaveLength(3);
    expect(trace.steps.find((step) => step.stepId === 'plan')!.retries).toBe(1);
  });

  it('starts items while its producer streams, in order, and outputs what the plain map does', async () => {
    const { plain, piped } = chains(3);
    const a = await runtimeFor(1).run(plain, { topic: 'diffusion' });
    const runtime = runtimeFor(1);
    // The live view, as the console exporter feeds it: when the producer ends, the map's row
    // is there already, with items running.
    const live = new LiveRun('pipe');
    runtime.on('step:start', (event) => live.start(event));
    let rowAtProducerEnd: string | undefined;
    let itemsAtProducerEnd = 0;
    runtime.on('step:end', (record) => {
      live.end(record);
      if (record.stepId === 'plan') {
        itemsAtProducerEnd = live.steps.get('answers')?.units.size ?? 0;
        rowAtProducerEnd = live
          .render(record.endMs, 80, createPaint(false))
          .find((row) => row.includes('answers'));
      }
    });
    const b = await runtime.run(piped, { topic: 'diffusion' });
    expect(rowAtProducerEnd).toMatch(/answers \d+\/\?/);
    expect(itemsAtProducerEnd).toBeGreaterThanOrEqual(3);
    expect(b.output).toEqual(a.output);
    expect(b.output).toHaveLength(12);
    const producer = b.trace.steps.find((step) => step.stepId === 'plan')!;
    const items = [...b.trace.items.answers!].sort((x, y) => x.startMs - y.startMs);
    expect(items.map((item) => item.item)).toEqual([...Array(12).keys()]);
    expect(items.every((item) => item.status === 'ok')).toBe(true);
    const early = items.filter((item) => item.startMs < producer.endMs);
    expect(early.length).toBeGreaterThanOrEqual(3);
    expect(items[0]!.startMs).toBeGreaterThan(producer.startMs + producer.timeToFirstTokenMs!);
    const map = b.trace.steps.find((step) => step.stepId === 'answers')!;
    expect(map.startMs).toBe(items[0]!.startMs);
    expect(b.trace.durationMs).toBeLessThan(a.trace.durationMs);
    // The waterfall draws the map's bar from before its producer's bar ends.
    const rows = formatWaterfall(b.trace).split('\n');
    const bar = (label: string) => rows.find((row) => row.startsWith(`● ${label}`))!.slice(16, 74);
    const planEnd = bar('plan').trimEnd().length;
    const mapStart = bar('answers').length - bar('answers').trimStart().length;
    expect(mapStart).toBeLessThan(planEnd);
  });

  it('is planned to overlap its producer: items from its first token plus each element', () => {
    const { plain, piped } = chains(3);
    // A clock without a date: the runtime plans at the base prices, as planChain without
    // `startAt` does (on the system clock, DeepSeek's peak hours changed the plan).
    const pool = createEmulatedPool({
      profiles: [mercury2, deepseekFlash],
      clock: createVirtualClock(),
    });
    const runtime = createRuntime({ models: pool });
    const a = runtime.plan(plain);
    const b = runtime.plan(piped);
    const producer = b.step('plan')!;
    const map = b.step('answers')!;
    // Without hints the plan expects 4 items: the first is complete a quarter into the decode.
    const pm = planChain({ chain: piped.definition, pool }).step('plan')!;
    expect(pm.predicted.endMs).toBe(producer.predicted.endMs);
    expect(map.predicted.startMs).toBeLessThan(producer.predicted.endMs);
    expect(map.predicted.startMs).toBeGreaterThan(producer.predicted.startMs);
    expect(b.durationMs).toBeLessThan(a.durationMs);
    expect(a.step('answers')!.predicted.startMs).toBe(a.step('plan')!.predicted.endMs);
  });

  it('needs one structured llm step to read', () => {
    const base = chain('pipe', { input }).step('text', llm({ prompt: 'Write.' }));
    expect(() => base.map('answers', () => ['a'], answer, { pipeline: true } as never)).toThrow(
      'Chain `pipe`, step `answers`: Expected a `pipeline` map to need exactly one `llm` step with an `output` schema (the step whose stream it reads), got needs `text`',
    );
  });

  it('is identical to the plain map over many seeds, with faults on the producer', async () => {
    const fault = fc.constantFrom<EmulatorFaults[number]['fault'] | undefined>(
      undefined,
      { kind: 'cut', after: 0.5 },
      { kind: 'cut', after: 0.8 },
      { kind: 'server-error' },
      { kind: 'stall', ms: 3000 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 5 }),
        fault,
        fc.boolean(),
        async (seed, concurrency, kind, twice) => {
          const faults: EmulatorFaults | undefined = kind && [
            { fault: kind, model: 'deepseek-flash', requests: twice ? [1, 2] : [1] },
          ];
          const { plain, piped } = chains(concurrency);
          const a = await runtimeFor(seed, faults).run(plain, { topic: `t${seed}` });
          const b = await runtimeFor(seed, faults).run(piped, { topic: `t${seed}` });
          expect(b.output).toEqual(a.output);
          // No orphans: every item that ran for a final index ran it with the final content once.
          const ok = b.trace.items.answers!.filter((item: StepRecord) => item.status === 'ok');
          expect(ok.map((item) => item.item).sort((x, y) => x! - y!)).toEqual([
            ...Array(12).keys(),
          ]);
        },
      ),
      { numRuns: 25, seed: 14 },
    );
  }, 300_000);
});
