import type { UIMessage, UIMessageChunk } from 'ai';
import type { HotpathEventName, HotpathEvents } from '../../tracing/events';
import type { RunTrace } from '../../tracing/records';
import type { RunOptions } from '../runtime';
import type { AsyncIterableStream } from './replay';

/** Options of `runtime.stream`: those of `run`, and which step's text is the answer. */
export interface StreamOptions extends RunOptions {
  /**
   * The `llm` step (without an `output` schema) whose text is streamed as the answer.
   * @default the text step whose `text` the chain's `.returns` gives back as it is
   */
  answer?: string;
}

/** One event of a streamed run: its name and its payload. */
export type HotpathStreamEvent = {
  [E in HotpathEventName]: { readonly type: E; readonly payload: HotpathEvents[E][0] };
}[HotpathEventName];

/** The progress of one step, as a `data-step` part of the UI message stream. */
export interface StepProgress {
  readonly stepId: string;
  readonly kind: string;
  readonly status: 'running' | 'ok' | 'error';
  readonly model?: string;
  readonly lane?: string;
  /** For a map: how many items it runs and how many have ended. */
  readonly items?: number;
  readonly itemsDone?: number;
  readonly durationMs?: number;
  readonly costUsd?: number;
  readonly error?: string;
}

/** The run's outcome, as the `data-run` part at the end of the UI message stream. */
export interface RunOutcome {
  readonly status: 'ok' | 'error';
  readonly durationMs: number;
  readonly costUsd: number;
  /**
   * The step streamed as the answer, and when the first token of the call that answered came,
   * from the run's start: the trace's `answer`, not the first token of a call cut before it.
   */
  readonly answer?: { readonly stepId: string; readonly firstTokenMs?: number };
}

/** The UI message type a hotpath UI message stream builds: text, and step and run data parts. */
export type HotpathUIMessage = UIMessage<unknown, { step: StepProgress; run: RunOutcome }>;

/** Options of the UI message stream. */
export interface UIMessageStreamOptions {
  /**
   * The text a failure shows the user.
   * @default the error's message
   */
  onError?: (error: unknown) => string;
}

/**
 * A run in progress (see `runtime.stream`): its answer as text while it is generated, its
 * events, and its output and trace when it ends. Every stream reads from the run's start, so
 * they can be read in any order and as often as needed: each read of `textStream` or `events`,
 * and each call of the others, is a new stream. Cancelling any of them aborts the run.
 */
export interface StreamResult<TOutput> {
  /** The step whose text is the answer. */
  readonly answerStep: string;
  /**
   * The answer step's text as it is generated; it closes when that step ends well. When the
   * answer's call fails after it began and is tried again, the stream goes on after the
   * characters it already delivered while the new attempt agrees with them; when it writes
   * another text (a fallback to another model), a read that handed out any of the old text
   * errors with an `AnswerRestartedError`, and a read from then on gives the new text.
   * When the run fails or is aborted before the answer ended well, the stream errors with the
   * error `output` rejects with, so a cut-off answer never reads as a whole one.
   */
  readonly textStream: AsyncIterableStream<string>;
  /** Every event of the run, in order; it closes after `chain:end`. */
  readonly events: AsyncIterableStream<HotpathStreamEvent>;
  /** Resolves or rejects as `runtime.run(...)`'s output would. */
  readonly output: Promise<TOutput>;
  /** Resolves to the run's trace, or rejects as `runtime.run` would. */
  readonly trace: Promise<RunTrace>;
  /**
   * The run as an AI SDK UI message stream (what `useChat` and `readUIMessageStream` read): the
   * answer as a text part, each step's progress as a `data-step` part (one per step, updated in
   * place), and the outcome as a `data-run` part. An answer started again with another text
   * sends `reset-step` and the new text from its start.
   */
  toUIMessageStream(options?: UIMessageStreamOptions): AsyncIterableStream<UIMessageChunk>;
  /** {@link toUIMessageStream} as a server-sent events `Response`, to return from a route. */
  toUIMessageStreamResponse(init?: ResponseInit & UIMessageStreamOptions): Response;
  /** The answer text as a plain-text `Response`; its body errors as {@link textStream} does. */
  toTextStreamResponse(init?: ResponseInit): Response;
}
