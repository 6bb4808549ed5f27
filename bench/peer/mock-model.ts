import type {
  LanguageModelV4,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';

/** The answer every call gets: 16 tokens in 4 deltas, a short answer. */
const deltas = ['one two three four ', 'five six seven eight ', 'nine ten eleven twelve ', 'end.'];
const answer = deltas.join('');

const usage = (): LanguageModelV4Usage => ({
  inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 16, text: 16, reasoning: 0 },
});

/**
 * The one model every framework in the peer benchmark calls: a `LanguageModelV4` that answers at
 * once, from memory, with no timers, so what a run costs beyond plain calls is the orchestrator's.
 * `doGenerate` serves `generateText`, `doStream` serves `streamText` and hotpath.
 */
export function createMockModel(): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'bench',
    modelId: 'zero',
    supportedUrls: {},
    async doGenerate(): Promise<LanguageModelV4GenerateResult> {
      return {
        content: [{ type: 'text', text: answer }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(),
        warnings: [],
      };
    },
    async doStream() {
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
          for (const delta of deltas) controller.enqueue({ type: 'text-delta', id: 't', delta });
          controller.enqueue({ type: 'text-end', id: 't' });
          controller.enqueue({
            type: 'finish',
            usage: usage(),
            finishReason: { unified: 'stop', raw: 'stop' },
          });
          controller.close();
        },
      });
      return { stream };
    },
  };
}

/** The text every call answers with. */
export const mockAnswer = answer;
