import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, type LanguageModelV4 } from '@ai-sdk/provider';
import { generateText, streamText } from 'ai';
import { type EmulatorFault, startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../src/clock';
import { createEmulatedModel } from '../src/emulator/emulated-model';
import { deepseekFlash } from '../src/models/catalog';
import { createEmulatedPool } from '../src/models/emulated-pool';

const profile = deepseekFlash;
const prompt = 'Summarise the incident report.';
const timeScale = 100;

/** Runs `use` against an emulator whose every request gets `fault`, then closes it. */
async function overHttp<T>(fault: EmulatorFault, use: (model: LanguageModelV4) => Promise<T>) {
  const emulator = await startEmulator({ timeScale, faults: [{ fault }] });
  try {
    const model = createOpenAI({ baseURL: `${emulator.url}/v1`, apiKey: 'k' }).chat(profile.id);
    const result = await use(model);
    return { result, stats: emulator.stats() };
  } finally {
    await emulator.close();
  }
}

const inProcess = (fault: EmulatorFault) =>
  createEmulatedModel({ profile, clock: createVirtualClock(), faults: [{ fault }] });

async function generateError(model: LanguageModelV4) {
  try {
    await generateText({ model, prompt, maxOutputTokens: 60, maxRetries: 0 });
  } catch (error) {
    return error;
  }
  throw new Error('expected generateText to fail');
}

/** The error a stream ends with (an `error` part or a thrown error) and the text before it. */
async function streamError(model: LanguageModelV4) {
  const result = streamText({ model, prompt, maxOutputTokens: 60, maxRetries: 0, onError() {} });
  let text = '';
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'error') return { error: part.error, text, thrown: false };
    }
  } catch (error) {
    return { error, text, thrown: true };
  }
  throw new Error('expected the stream to fail');
}

/** What a retry policy reads of an error; equal across transports, whatever the URL. */
function shape(error: unknown) {
  expect(APICallError.isInstance(error)).toBe(true);
  const apiError = error as APICallError;
  const codes: unknown[] = [];
  for (let cause = apiError.cause; cause instanceof Error; cause = cause.cause) {
    codes.push((cause as { code?: unknown }).code ?? cause.message);
  }
  return {
    message: apiError.message,
    statusCode: apiError.statusCode,
    isRetryable: apiError.isRetryable,
    retryAfter: apiError.responseHeaders?.['retry-after'],
    data: apiError.data,
    codes,
  };
}

const httpFaults: Array<[EmulatorFault, number, string | undefined]> = [
  [{ kind: 'rate-limit', retryAfterSeconds: 7 }, 429, '7'],
  [{ kind: 'rate-limit' }, 429, '1'],
  [{ kind: 'server-error' }, 500, undefined],
  [{ kind: 'unavailable', retryAfterSeconds: 3 }, 503, '3'],
];

describe('faults: HTTP errors', () => {
  it.each(httpFaults)(
    '%o surfaces as APICallError %i, the same in process',
    async (fault, status, retryAfter) => {
      const { result, stats } = await overHttp(fault, async (model) => ({
        generate: await generateError(model),
        stream: await streamError(model),
      }));
      const http = shape(result.generate);
      expect(http).toMatchObject({ statusCode: status, isRetryable: true, retryAfter });
      expect(http.data).toMatchObject({
        error: { message: http.message, type: expect.any(String) },
      });
      expect(shape(result.stream.error)).toEqual(http);
      // Thrown from doStream before any output, so streamText reports it as an error part.
      expect(result.stream).toMatchObject({ thrown: false, text: '' });
      expect(stats.faults[fault.kind]).toBe(2);

      expect(shape(await generateError(inProcess(fault)))).toEqual(http);
      const local = await streamError(inProcess(fault));
      expect(shape(local.error)).toEqual(http);
      expect(local).toMatchObject({ thrown: false, text: '' });
    },
  );

  it('lets the AI SDK retry a 429 and succeed once the fault has passed', async () => {
    const emulator = await startEmulator({
      timeScale,
      faults: [{ fault: { kind: 'rate-limit', retryAfterSeconds: 0 }, requests: [1] }],
    });
    try {
      const model = createOpenAI({ baseURL: `${emulator.url}/v1`, apiKey: 'k' }).chat(profile.id);
      const { text } = await generateText({ model, prompt, maxOutputTokens: 20, maxRetries: 1 });
      expect(text.length).toBeGreaterThan(0);
      expect(emulator.stats()).toMatchObject({ requests: 2, faults: { 'rate-limit': 1 } });
    } finally {
      await emulator.close();
    }
  });
});

describe('faults: broken connections', () => {
  it('a reset is a retryable network error without a status, the same in process', async () => {
    const { result } = await overHttp({ kind: 'reset' }, async (model) => ({
      generate: await generateError(model),
      stream: await streamError(model),
    }));
    const http = shape(result.generate);
    expect(http).toMatchObject({
      message: 'Cannot connect to API: read ECONNRESET',
      statusCode: undefined,
      isRetryable: true,
      codes: ['ECONNRESET'],
    });
    expect(shape(result.stream.error)).toEqual(http);
    expect(shape(await generateError(inProcess({ kind: 'reset' })))).toEqual(http);
    expect(shape((await streamError(inProcess({ kind: 'reset' }))).error)).toEqual(http);
  });

  it('a cut stream errors mid-way after the same text, the same in process', async () => {
    const fault: EmulatorFault = { kind: 'cut', after: 0.5 };
    const { result, stats } = await overHttp(fault, streamError);
    const local = await streamError(inProcess(fault));
    const http = shape(result.error);
    expect(http).toMatchObject({
      message: 'Failed to process successful response',
      statusCode: 200,
      isRetryable: true,
      codes: ['terminated', 'UND_ERR_SOCKET'],
    });
    expect(result.thrown).toBe(true);
    expect(result.text.length).toBeGreaterThan(20);
    expect(shape(local.error)).toEqual(http);
    expect(local).toMatchObject({ thrown: true, text: result.text });
    expect(stats).toMatchObject({ faults: { cut: 1 }, openStreams: 0, inFlight: 0 });
  });

  it('a cut non-streaming answer throws the same error', async () => {
    const { result } = await overHttp({ kind: 'cut' }, generateError);
    const http = shape(result);
    expect(http).toMatchObject({
      statusCode: 200,
      isRetryable: true,
      codes: ['terminated', 'UND_ERR_SOCKET'],
    });
    expect(shape(await generateError(inProcess({ kind: 'cut' })))).toEqual(http);
  });
});

/** Times of the first and last text delta, on the wall clock or a virtual one. */
async function timeStream(model: LanguageModelV4, now: () => number) {
  const start = now();
  const result = streamText({ model, prompt, maxOutputTokens: 120, maxRetries: 0 });
  const times: number[] = [];
  for await (const delta of result.textStream) if (delta.length > 0) times.push(now() - start);
  return { first: times[0]!, decode: times.at(-1)! - times[0]!, usage: await result.usage };
}

describe('faults: slow answers', () => {
  it('a stall delays the first token by its time and then streams normally', async () => {
    const ms = 30_000;
    const virtual = async (faults: EmulatorFault[]) => {
      const clock = createVirtualClock();
      const model = createEmulatedModel({
        profile,
        clock,
        faults: faults.map((fault) => ({ fault })),
      });
      return timeStream(model, clock.now);
    };
    const [plain, stalled] = [await virtual([]), await virtual([{ kind: 'stall', ms }])];
    expect(stalled.first - plain.first).toBeCloseTo(ms, 6);
    expect(stalled.decode).toBeCloseTo(plain.decode, 6);
    // Over HTTP: timers never fire early, so the stall is a safe lower bound on a busy machine.
    const { result } = await overHttp({ kind: 'stall', ms }, (model) =>
      timeStream(model, () => performance.now()),
    );
    expect(result.first).toBeGreaterThanOrEqual((plain.first + ms) / timeScale - 5);
    expect(result.usage.outputTokens).toBe(plain.usage.outputTokens);
  });

  it('slow decoding stretches the stream by its factor', async () => {
    const factor = 4;
    const clock = createVirtualClock();
    const plain = await timeStream(createEmulatedModel({ profile, clock }), clock.now);
    const slowClock = createVirtualClock();
    const slowModel = createEmulatedModel({
      profile,
      clock: slowClock,
      faults: [{ fault: { kind: 'slow', factor } }],
    });
    const slow = await timeStream(slowModel, slowClock.now);
    expect(slow.decode / plain.decode).toBeCloseTo(factor, 6);
    expect(slow.first).toBeCloseTo(plain.first, 6);
    const { result } = await overHttp({ kind: 'slow', factor }, (model) =>
      timeStream(model, () => performance.now()),
    );
    // Client-side times blur a few milliseconds either way: a wide lower bound, still 2.4x.
    expect(result.decode).toBeGreaterThanOrEqual((0.6 * factor * plain.decode) / timeScale);
  });
});

describe('fault rules', () => {
  it('fire at exact request numbers per model, and share counts across a pool', async () => {
    const pool = createEmulatedPool({
      clock: createVirtualClock(),
      faults: [
        { fault: { kind: 'server-error' }, model: 'deepseek-flash', requests: [2] },
        { fault: { kind: 'reset' }, requests: [1] },
      ],
    });
    const outcome = (id: string) =>
      generateText({ model: pool.get(id).model, prompt, maxOutputTokens: 5, maxRetries: 0 }).then(
        () => 'ok',
        (error: APICallError) => error.statusCode ?? 'reset',
      );
    // Request 1 of the pool resets; request 2 of DeepSeek is a 500; the rest succeed.
    expect(await outcome('mercury-2')).toBe('reset');
    expect(await outcome('deepseek-flash')).toBe('ok');
    expect(await outcome('deepseek-flash')).toBe(500);
    expect(await outcome('deepseek-flash')).toBe('ok');
    expect(pool.stats()).toMatchObject({
      requests: 4,
      faults: { reset: 1, 'server-error': 1 },
      models: {
        'mercury-2': { requests: 1, faults: 1 },
        'deepseek-flash': { requests: 3, faults: 1 },
      },
    });
  });
});

/** What a retry policy reads of an `error` part's error, whatever its class. */
function partShape(error: unknown) {
  const { name, message, statusCode, isRetryable } = error as Record<string, unknown>;
  return { name, message, statusCode, isRetryable };
}

describe('faults: streams that break in the provider’s own words', () => {
  it.each([
    [{ kind: 'error-frame' } as EmulatorFault, 500],
    [{ kind: 'error-frame', status: 503, after: 0.25 } as EmulatorFault, 503],
    [{ kind: 'error-frame', status: 429 } as EmulatorFault, 429],
  ])(
    '%o ends a 200 stream with an error frame after some text, the same in process',
    async (fault, status) => {
      const { result, stats } = await overHttp(fault, streamError);
      expect(result.thrown).toBe(false);
      expect(result.text.length).toBeGreaterThan(5);
      const http = partShape(result.error);
      expect(http).toEqual({
        name: 'AI_StreamProviderError',
        message: `${profile.id} failed mid-stream (emulated ${status}).`,
        statusCode: status,
        isRetryable: true,
      });
      expect(stats).toMatchObject({ faults: { 'error-frame': 1 }, openStreams: 0, inFlight: 0 });
      const local = await streamError(inProcess(fault));
      expect(partShape(local.error)).toEqual(http);
      expect(local).toMatchObject({ thrown: false, text: result.text });
    },
  );

  it('an error frame on a non-streaming answer is that status as an HTTP error', async () => {
    const fault: EmulatorFault = { kind: 'error-frame', status: 502 };
    const { result } = await overHttp(fault, generateError);
    const http = shape(result);
    expect(http).toMatchObject({ statusCode: 502, isRetryable: true });
    expect(shape(await generateError(inProcess(fault)))).toEqual(http);
  });

  it('a bad chunk is a JSONParseError part after some text, the same in process', async () => {
    const fault: EmulatorFault = { kind: 'bad-chunk', after: 0.5 };
    const { result, stats } = await overHttp(fault, streamError);
    expect(result.thrown).toBe(false);
    expect(result.text.length).toBeGreaterThan(20);
    expect((result.error as Error).name).toBe('AI_JSONParseError');
    expect(stats).toMatchObject({ faults: { 'bad-chunk': 1 }, openStreams: 0, inFlight: 0 });
    const local = await streamError(inProcess(fault));
    expect((local.error as Error).name).toBe('AI_JSONParseError');
    expect((local.error as { text?: string }).text).toBe((result.error as { text?: string }).text);
    expect(local).toMatchObject({ thrown: false, text: result.text });
  });

  it('a stall after a chunk stops the stream mid-way, open, and then resumes', async () => {
    const ms = 30_000;
    const virtual = async (faults: EmulatorFault[]) => {
      const clock = createVirtualClock();
      const model = createEmulatedModel({
        profile,
        clock,
        faults: faults.map((fault) => ({ fault })),
      });
      const start = clock.now();
      const result = streamText({ model, prompt, maxOutputTokens: 120, maxRetries: 0 });
      const times: number[] = [];
      for await (const delta of result.textStream)
        if (delta.length > 0) times.push(clock.now() - start);
      return times;
    };
    const plain = await virtual([]);
    const stalled = await virtual([{ kind: 'stall', ms, afterChunks: 2 }]);
    expect(stalled.slice(0, 2)).toEqual(plain.slice(0, 2));
    expect(stalled[2]! - stalled[1]!).toBeCloseTo(plain[2]! - plain[1]! + ms, 6);
    expect(stalled.at(-1)! - plain.at(-1)!).toBeCloseTo(ms, 6);
    // Over HTTP: two chunks come, then nothing for the stall (at least) while the stream is open.
    const { result } = await overHttp({ kind: 'stall', ms, afterChunks: 2 }, async (model) => {
      const stream = streamText({ model, prompt, maxOutputTokens: 120, maxRetries: 0 });
      const times: number[] = [];
      for await (const delta of stream.textStream)
        if (delta.length > 0) times.push(performance.now());
      return times;
    });
    expect(result.length).toBe(plain.length);
    expect(result[2]! - result[1]!).toBeGreaterThanOrEqual(ms / timeScale - 5);
  });
});
