import type { UIMessageChunk } from 'ai';
import { createTextStreamResponse, createUIMessageStream, createUIMessageStreamResponse } from 'ai';
import { AnswerRestartedError } from '../../errors';
import type { EventSource } from '../../tracing/event-hub';
import { hotpathEventNames } from '../../tracing/events';
import type { RunTrace, StepRecord } from '../../tracing/records';
import type { RunResult } from '../run-chain';
import { createStepStreams, type StepStreams } from '../step-streams';
import { createAnswerText } from './answer-text';
import { asIterable, createReplay } from './replay';
import type { HotpathStreamEvent, HotpathUIMessage, StreamResult } from './stream-result';
import { createUIChunks } from './ui-chunks';

/** What {@link streamRun} needs: how to start the run, and where its events come from. */
export interface StreamRunOptions {
  readonly hub: EventSource;
  readonly chain: string;
  readonly runId: string;
  readonly answerStep: string;
  readonly signal?: AbortSignal;
  /** Starts the run with the step streams to fill and the signal that stops it. */
  readonly start: (streams: StepStreams, signal: AbortSignal) => Promise<RunResult<unknown>>;
}

/**
 * Starts a run and returns at once: its answer text, events and UI chunks are logged as they
 * come, and every stream handed out reads that log from the start.
 */
export function streamRun(options: StreamRunOptions): StreamResult<unknown> {
  const { hub, chain, runId, answerStep } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const cancel = (reason: unknown) => {
    if (!controller.signal.aborted)
      controller.abort(reason ?? new Error('the consumer cancelled the stream'));
  };

  const text = createReplay<string>();
  const events = createReplay<HotpathStreamEvent>();
  const chunks = createReplay<UIMessageChunk>();
  const ui = createUIChunks(answerStep, (chunk) => chunks.push(chunk));
  const streams = createStepStreams();
  let deliveredChars = 0;
  streams.listen(
    answerStep,
    createAnswerText({
      deliver(delta) {
        deliveredChars += delta.length;
        text.push(delta);
        ui.text(delta);
      },
      restart(whole) {
        text.restart(new AnswerRestartedError({ chain, stepId: answerStep, deliveredChars }));
        deliveredChars = whole.length;
        text.push(whole);
        ui.restart(whole);
      },
    }),
  );

  const unsubscribe = hotpathEventNames.map((name) =>
    hub.on(name, (payload: unknown) => {
      if ((payload as { runId?: string }).runId !== runId) return;
      const event = { type: name, payload } as HotpathStreamEvent;
      events.push(event);
      ui.event(event);
      // The text ends well only with an answer that ended well (or a run that did without one):
      // else the run's error fails it below, so a cut-off answer never reads as a whole one.
      if (name === 'step:end' && isAnswerDone(payload, answerStep)) text.close();
      if (name === 'chain:end') {
        if ((payload as RunTrace).status === 'ok') text.close();
        events.close();
      }
    }),
  );
  const result = options.start(streams, controller.signal).finally(() => {
    for (const off of unsubscribe) off();
    options.signal?.removeEventListener('abort', onAbort);
  });
  result.then(
    () => chunks.close(),
    (error: unknown) => {
      text.fail(error);
      events.fail(error);
      chunks.fail(error);
    },
  );
  const output = result.then((done) => done.output);
  const trace = result.then((done) => done.trace);
  // Nobody has to read every promise: a failure is reported where it is read.
  output.catch(() => {});
  trace.catch(() => {});

  const toUIMessageStream: StreamResult<unknown>['toUIMessageStream'] = (streamOptions = {}) =>
    asIterable(
      createUIMessageStream<HotpathUIMessage>({
        execute: ({ writer }) => writer.merge(chunks.read(cancel) as never),
        onError: streamOptions.onError ?? messageOf,
      }) as ReadableStream<UIMessageChunk>,
    );
  return {
    answerStep,
    // Each read is a new reader from the start; the logs hold what they hand out only once.
    get textStream() {
      return text.read(cancel);
    },
    get events() {
      return events.read(cancel);
    },
    output,
    trace,
    toUIMessageStream,
    toUIMessageStreamResponse: ({ onError, ...init } = {}) =>
      createUIMessageStreamResponse({ ...init, stream: toUIMessageStream({ onError }) }),
    toTextStreamResponse: (init = {}) =>
      createTextStreamResponse({ ...init, stream: text.read(cancel) }),
  };
}

function isAnswerDone(payload: unknown, answerStep: string): boolean {
  const record = payload as StepRecord;
  return record.stepId === answerStep && record.item === undefined && record.status === 'ok';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
