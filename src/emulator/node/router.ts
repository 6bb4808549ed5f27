import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, clockEpochMs } from '../../clock';
import { catalogAliases } from '../../models/catalog';
import type { ModelProfile } from '../../models/profile';
import { type EmulatedHttpError, openAIError } from '../openai-error';
import type { EmulatorSession } from '../session';
import type { EmulatedWorld } from '../world';
import { answerChat } from './answer-chat';
import { type BodyLimits, isHttpError, readBody, sendError, sendJson } from './http-io';
import { parseChatRequest } from './parse-chat-request';

/** What the router serves. */
export interface RouterOptions {
  readonly models: readonly ModelProfile[];
  readonly clock: Clock;
  readonly seed: number;
  readonly session: EmulatorSession;
  readonly apiKey?: string;
  readonly bodyLimits?: BodyLimits;
  /** Sent with `GET /v1/models` (`hotpath.time_scale`), so a client's clock can match it. */
  readonly timeScale?: number;
  /** The world the models live in, when it differs from the catalog (`truth`). */
  readonly world?: EmulatedWorld;
}

/** Handles one HTTP request; the promise settles when its answer has ended. */
export type Route = (
  request: IncomingMessage,
  response: ServerResponse,
  signal: AbortSignal,
) => Promise<void>;

/** The emulator's routes: `GET /v1/models[/id]` and `POST /v1/chat/completions`. */
export function createRouter(options: RouterOptions): Route {
  const { models, session, apiKey } = options;
  const byId = new Map(models.map((profile) => [profile.id, profile]));
  for (const [alias, id] of Object.entries(catalogAliases)) {
    const profile = byId.get(id);
    if (profile && !byId.has(alias)) byId.set(alias, profile);
  }
  const reject = (response: ServerResponse, error: Parameters<typeof sendError>[1]) => {
    session.reject();
    sendError(response, error);
  };

  return async (request, response, signal) => {
    const path = new URL(request.url ?? '/', 'http://emulator').pathname.replace(/\/+$/, '');
    if (apiKey !== undefined && request.headers.authorization !== `Bearer ${apiKey}`) {
      return reject(response, unauthorized(request.headers.authorization));
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (request.method !== 'GET') return reject(response, notAllowed(request.method, 'GET'));
      if (path === '/v1/models') {
        return sendJson(response, 200, {
          object: 'list',
          data: models.map(modelObject),
          hotpath: { time_scale: options.timeScale ?? 1 },
        });
      }
      const profile = byId.get(decodeURIComponent(path.slice('/v1/models/'.length)));
      return profile
        ? sendJson(response, 200, modelObject(profile))
        : reject(
            response,
            openAIError(404, `The model \`${path.slice(11)}\` does not exist.`, notFound),
          );
    }
    if (path !== '/v1/chat/completions') {
      return reject(
        response,
        openAIError(
          404,
          `Unknown path \`${path}\`; the emulator serves /v1/chat/completions and /v1/models.`,
          notFound,
        ),
      );
    }
    if (request.method !== 'POST') return reject(response, notAllowed(request.method, 'POST'));
    const body = await readJson(request, options.bodyLimits);
    const chat = body.ok ? parseChatRequest(body.value, (id) => byId.get(id)) : body.error;
    if (isHttpError(chat)) return reject(response, chat);
    const began = session.begin(
      chat.profile.id,
      { pricing: chat.profile.pricing, atEpochMs: clockEpochMs(options.clock) },
      { prompt: chat.request.promptText },
    );
    try {
      await answerChat(chat, response, { ...options, call: began, signal });
    } finally {
      began.end();
    }
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: EmulatedHttpError };

async function readJson(request: IncomingMessage, limits?: BodyLimits): Promise<Parsed> {
  let text: string;
  try {
    text = await readBody(request, limits);
  } catch (error) {
    if (isHttpError(error)) return { ok: false, error };
    throw error;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const error = openAIError(
      400,
      'We could not parse the JSON body of your request: expected a JSON object (the emulator speaks the OpenAI API).',
      { type: 'invalid_request_error', code: 'invalid_json' },
    );
    return { ok: false, error };
  }
}

const notFound = { type: 'invalid_request_error', code: 'not_found' };

function modelObject(profile: ModelProfile) {
  return { id: profile.id, object: 'model', created: 0, owned_by: profile.provider };
}

function notAllowed(method: string | undefined, allowed: string) {
  return openAIError(405, `Method \`${method}\` is not allowed here; use ${allowed}.`, {
    type: 'invalid_request_error',
    code: 'method_not_allowed',
  });
}

function unauthorized(header: string | undefined) {
  return openAIError(
    401,
    header === undefined
      ? "You didn't provide an API key. Send it as `Authorization: Bearer KEY`."
      : 'Incorrect API key provided.',
    { type: 'invalid_request_error', code: 'invalid_api_key' },
  );
}
