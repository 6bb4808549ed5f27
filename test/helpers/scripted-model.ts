import {
  APICallError,
  type LanguageModelV4,
  type LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import type { Clock } from 'hotpath';

/** What one call to a scripted model does. */
export type Script =
  | { type: 'ok'; ttftMs?: number; text?: string; durationMs?: number }
  | { type: 'http'; status: number; retryAfter?: string }
  | { type: 'stall' }
  | { type: 'cut'; afterMs?: number };

/**
 * A language model that does what it is told, call by call (the last script repeats), on a
 * clock: for testing retries, fallbacks, hedges and timeouts without a server.
 */
export function scriptedModel(
  id: string,
  clock: Clock,
  scripts: readonly Script[],
): LanguageModelV4 & { calls: number; open: number; prompts: string[] } {
  const model = {
    specificationVersion: 'v4' as const,
    provider: 'test',
    modelId: id,
    supportedUrls: {},
    calls: 0,
    open: 0,
    /** Each call's prompt, as JSON. */
    prompts: [] as string[],
    doGenerate: () => Promise.reject(new Error('scripted models only stream')),
    async doStream(options: { abortSignal?: AbortSignal; prompt?: unknown }) {
      const script = scripts[Math.min(model.calls, scripts.length - 1)]!;
      model.calls += 1;
      model.prompts.push(JSON.stringify(options.prompt));
      const signal = options.abortSignal;
      if (script.type === 'http') {
        throw new APICallError({
          message: `HTTP ${script.status}`,
          url: `http://test/${id}`,
          requestBodyValues: {},
          statusCode: script.status,
          responseHeaders: script.retryAfter ? { 'retry-after': script.retryAfter } : {},
          isRetryable: script.status === 429 || script.status >= 500,
        });
      }
      model.open += 1;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          try {
            if (script.type === 'stall') await clock.sleep(3_600_000, signal);
            await clock.sleep(script.type === 'ok' ? (script.ttftMs ?? 100) : 100, signal);
            controller.enqueue({ type: 'text-start', id: '0' });
            controller.enqueue({
              type: 'text-delta',
              id: '0',
              delta: script.type === 'ok' ? (script.text ?? `hello from ${id}`) : 'partial answer',
            });
            if (script.type === 'cut') {
              await clock.sleep(script.afterMs ?? 50, signal);
              throw Object.assign(new TypeError('terminated'), {
                cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
              });
            }
            await clock.sleep(script.type === 'ok' ? (script.durationMs ?? 100) : 100, signal);
            controller.enqueue({ type: 'text-end', id: '0' });
            controller.enqueue({
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: {
                inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
                outputTokens: { total: 50, text: 50, reasoning: 0 },
              },
            });
            controller.close();
          } catch (error) {
            controller.error(error);
          } finally {
            model.open -= 1;
          }
        },
      });
      return { stream };
    },
  };
  return model;
}
