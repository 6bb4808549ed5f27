import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSystemClock } from '../../clock';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { assertKnownKeys, assertObject, type OptionKeys } from '../../errors/option-checks';
import { type CatalogModelId, catalog } from '../../models/catalog';
import type { ModelProfile } from '../../models/profile';
import type { EmulatorFaults } from '../faults';
import { openAIError } from '../openai-error';
import { assertSeed, createEmulatorSession } from '../session';
import type { EmulatorStats } from '../stats';
import type { EmulatedTruth } from '../truth';
import { createEmulatedWorld } from '../world';
import { sendError } from './http-io';
import { createRouter } from './router';
import { resolveServedModels } from './served-models';

const internalError = openAIError(500, 'The emulator failed to answer this request.', {
  type: 'server_error',
});

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /**
   * Models to serve: catalog ids (aliases work too, as `'deepseek-v4-flash'`) or profiles, for
   * models the catalog lacks. @default every catalog model
   *
   * @example
   * ```ts
   * await startEmulator({ models: ['mercury-2', { ...gpt5Mini, id: 'my-model' }] });
   * ```
   */
  models?: readonly (ModelProfile | CatalogModelId | (string & {}))[];
  /** Runs every delay this many times faster, with the same ratios. @default 1 */
  timeScale?: number;
  /** Seed (a whole number) of the text, timing jitter and fault draws. @default 1 */
  seed?: number;
  /**
   * Plays a place at this distance: every response waits this long (on the emulator's clock)
   * before its headers, in place of the profiles' own `roundTripMs`. Two emulators with
   * different round trips stand in for two endpoints of one model. @default the profiles'
   */
  roundTripMs?: number;
  /** Faults to inject; see `EmulatorFault` for what each looks like to the AI SDK. @default none */
  faults?: EmulatorFaults;
  /** When set, requests must send `Authorization: Bearer <apiKey>` or get a 401. */
  apiKey?: string;
  /** Larger request bodies get a 413. @default 32 MiB */
  maxBodyBytes?: number;
  /** A client that takes longer to send its body gets a 408. @default 10000 */
  bodyTimeoutMs?: number;
  /**
   * Keeps every chat request in `stats().requestLog`, in arrival order (model, prompt, start on
   * the emulator's scaled clock and wall clock, end, whether it completed, billed tokens): for
   * tests that count who asked what, or check limits per window. @default false
   */
  requestLog?: boolean;
  /**
   * Models that differ from the catalog, per model id (as `models.emulated({ truth })`): the
   * server answers, times and bills by the truth, while clients plan with the catalog.
   * @default none
   */
  truth?: EmulatedTruth;
}

const optionKeys: OptionKeys<EmulatorOptions> = {
  port: true,
  host: true,
  models: true,
  timeScale: true,
  seed: true,
  roundTripMs: true,
  faults: true,
  apiKey: true,
  maxBodyBytes: true,
  bodyTimeoutMs: true,
  requestLog: true,
  truth: true,
};

/** A running emulator. */
export interface Emulator {
  /** The server's origin, `http://127.0.0.1:PORT`; OpenAI clients take `${url}/v1`. */
  readonly url: string;
  /** The base URL for OpenAI-compatible clients: `${url}/v1`. */
  readonly baseURL: string;
  readonly port: number;
  readonly models: readonly ModelProfile[];
  /** Requests, tokens and faults per model, open streams and the concurrency peak so far. */
  stats(): EmulatorStats;
  /** Stops listening and ends every open request and stream at once. */
  close(): Promise<void>;
}

/**
 * Starts an OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`) whose models
 * behave like the catalog's in timing, usage, tool calls and failures: the same engine as the
 * in-process emulated model, over real HTTP.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ timeScale: 100 });
 * const model = createOpenAI({ baseURL: emulator.baseURL, apiKey: 'any' }).chat('mercury-2');
 * await generateText({ model, prompt: 'Hello' });
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  assertKnownKeys(assertObject('options', options), Object.keys(optionKeys), 'startEmulator');
  const { port = 0, host = '127.0.0.1', seed = 1 } = options;
  assertSeed(seed);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError({
      argument: 'port',
      expected: 'a port from 0 to 65535',
      value: port,
    });
  }
  const models = resolveServedModels(options.models ?? Object.values(catalog));
  const { roundTripMs } = options;
  if (roundTripMs !== undefined && !(roundTripMs >= 0 && Number.isFinite(roundTripMs))) {
    throw new InvalidArgumentError({
      argument: 'roundTripMs',
      expected: 'a number of milliseconds from 0 up',
      value: roundTripMs,
    });
  }
  for (const [argument, value] of [
    ['maxBodyBytes', options.maxBodyBytes],
    ['bodyTimeoutMs', options.bodyTimeoutMs],
  ] as const) {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value)))
      throw new InvalidArgumentError({ argument, expected: 'a number above 0', value });
  }
  const clock = createSystemClock({ timeScale: options.timeScale ?? 1 });
  const world =
    options.truth === undefined
      ? undefined
      : createEmulatedWorld({ truth: options.truth, profiles: models, clock, seed });
  const served = world ? models.map((profile) => world.profileOf(profile)) : models;
  const session = createEmulatorSession({
    seed,
    faults: options.faults,
    models: served.map((profile) => profile.id),
    requestLog: options.requestLog ? clock : undefined,
  });
  const active = new Set<AbortController>();
  const route = createRouter({
    timeScale: options.timeScale ?? 1,
    // The place's distance replaces the profiles' round trip: it is played before the headers.
    models: roundTripMs === undefined ? served : served.map((m) => ({ ...m, roundTripMs: 0 })),
    clock,
    world,
    seed,
    session,
    apiKey: options.apiKey,
    bodyLimits: { maxBytes: options.maxBodyBytes, timeoutMs: options.bodyTimeoutMs },
  });

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const controller = new AbortController();
    active.add(controller);
    // The response closes when it ends or when the client goes away: stop playing either way.
    response.on('close', () => {
      controller.abort();
      active.delete(controller);
    });
    const answer =
      roundTripMs === undefined || roundTripMs === 0
        ? route(request, response, controller.signal)
        : clock
            .sleep(roundTripMs, controller.signal)
            .then(() => route(request, response, controller.signal));
    answer.catch(() => {
      // Aborted plays, broken sockets and bugs end here; the server itself carries on.
      if (!response.headersSent && !controller.signal.aborted) sendError(response, internalError);
      else if (!response.writableEnded) response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | undefined;

  return {
    url: origin,
    baseURL: `${origin}/v1`,
    port: address.port,
    models: served,
    stats: session.stats,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const controller of active) controller.abort();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
