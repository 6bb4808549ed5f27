import type { ServerResponse } from 'node:http';
import type { Clock } from '../../clock';
import type { EmulatedResponse } from '../engine';
import { badChunkText } from '../fault-errors';
import type { EmulatedCut } from '../outcome';
import { planOutcome } from '../outcome';
import { billedTokens, playDurationMs, playResponse, sentTokens } from '../play';
import type { EmulatorCall } from '../session';
import { type EmulatedWorld, prepareCall } from '../world';
import {
  type CompletionHeader,
  completionBody,
  deltaChunk,
  finishChunk,
  usageChunk,
} from './chat-response';
import { sendError, sendJson } from './http-io';
import type { ChatRequest } from './parse-chat-request';

/** What answering one chat request needs. */
export interface AnswerContext {
  readonly clock: Clock;
  readonly seed: number;
  readonly call: EmulatorCall;
  /** Aborts when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  /** The world the models live in, when it differs from the catalog. */
  readonly world?: EmulatedWorld;
}

/**
 * Answers a chat request on `response` by playing its planned outcome: an error or a reset after
 * the round trip, or the answer as JSON or SSE chunks, cut mid-way by a `cut` fault. Only an
 * answer that went out whole is marked complete (an error, a reset or a cut is not), as the
 * in-process model marks it.
 */
export async function answerChat(
  chat: ChatRequest,
  response: ServerResponse,
  context: AnswerContext,
): Promise<void> {
  const { clock, call, signal } = context;
  const prepared = prepareCall(context.world, chat.profile, chat.request, call.fault);
  const outcome = planOutcome(
    chat.profile,
    prepared.request,
    context.seed,
    call.fault,
    prepared.timing,
  );
  const header: CompletionHeader = {
    id: `chatcmpl-emulated-${chat.profile.id}-${call.number}`,
    created: Math.floor(Date.now() / 1000),
    model: chat.profile.id,
  };
  if (outcome.type !== 'answer') {
    await clock.sleep(outcome.delayMs, signal);
    if (outcome.type === 'reset') response.socket?.resetAndDestroy();
    else sendError(response, outcome.error);
    return call.end();
  }
  const { response: planned, cut } = outcome;
  if (chat.stream) return stream(chat, planned, cut, header, response, context);

  await clock.sleep(playDurationMs(planned, cut), signal);
  if (cut?.frame?.type === 'error-frame') {
    call.end(billedTokens(planned, 0));
    return sendError(response, cut.frame.error);
  }
  if (cut) {
    // The headers and the start of the body go out, then the connection drops.
    call.end(billedTokens(planned, 0));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write(JSON.stringify(completionBody(header, planned)).slice(0, 32));
    return dropConnection(response);
  }
  call.complete();
  call.end(billedTokens(planned, planned.outputTokens));
  sendJson(response, 200, completionBody(header, planned));
}

async function stream(
  chat: ChatRequest,
  planned: EmulatedResponse,
  cut: EmulatedCut | undefined,
  header: CompletionHeader,
  response: ServerResponse,
  { clock, call, signal }: AnswerContext,
): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.flushHeaders();
  call.streamOpened();
  const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  let sent = 0;
  try {
    const ended = await playResponse(planned, cut, clock, signal, (chunk, index) => {
      send(deltaChunk(header, planned, chunk, index));
      sent = index + 1;
    });
    if (ended === 'cut' && cut?.frame) {
      // The provider reports the failure in the stream it had started, and ends it.
      const data =
        cut.frame.type === 'error-frame' ? JSON.stringify(cut.frame.error.body) : badChunkText;
      response.end(`data: ${data}\n\n`);
      return;
    }
    if (ended === 'cut') return dropConnection(response);
    send(finishChunk(header, planned));
    if (chat.includeUsage) send(usageChunk(header, planned));
    response.end('data: [DONE]\n\n');
    call.complete();
  } finally {
    call.end(billedTokens(planned, sentTokens(planned, sent)));
  }
}

/** Closes the connection once what was written has gone out, as a dropped link would. */
function dropConnection(response: ServerResponse): void {
  // end() sends what is buffered and then a FIN, mid-body: the client reads `terminated`.
  response.socket?.end();
}
