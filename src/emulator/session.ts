import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { findProfile } from '../models/catalog';
import { computeCost } from '../models/cost';
import type { ModelPricing } from '../models/profile';
import type { EmulatorFault, EmulatorFaultRule, EmulatorFaults } from './faults';
import { createRandom, deriveSeed } from './random';
import { createStatsRecorder, type EmulatorStats } from './stats';
import { validateFaults } from './validate-faults';

/** Options of {@link createEmulatorSession}. */
export interface EmulatorSessionOptions {
  /** Seed (a whole number) of the fault draws. @default 1 */
  seed?: number;
  /** Faults to inject. @default none */
  faults?: EmulatorFaults;
  /** The ids of the models served: a fault rule for any other model is refused. @default any */
  models?: readonly string[];
  /** Keeps a log of every request, timed on this clock (`EmulatorStats.requestLog`). */
  requestLog?: { now(): number };
}

/** One request as the session tracks it. */
export interface EmulatorCall {
  /** The request's number on its model, from 1. */
  readonly number: number;
  /** The fault drawn for it, if any. */
  readonly fault: EmulatorFault | undefined;
  /** Marks the start of a streamed body (counts it in `openStreams` until `end`). */
  streamOpened(): void;
  /** Marks the whole answer as sent (for the request log). */
  complete(): void;
  /** Records the tokens it used and ends it; later calls do nothing. */
  end(tokens?: { input: number; output: number; cachedInput?: number }): void;
}

/** What a request is billed at: the model's price sheet, at the instant the request started. */
export interface EmulatorBilling {
  readonly pricing: ModelPricing;
  /** Unix ms of the request's start, for price windows; without it, the base prices. */
  readonly atEpochMs?: number;
}

/**
 * The state both transports share across requests: request numbering, the seeded fault draws and
 * the stats. A pool's models share one session, so a rule for all models counts all requests.
 */
export interface EmulatorSession {
  /**
   * Starts a request; with `billing`, its tokens are also billed into the stats' `costUsd`;
   * `detail.prompt` (its text) goes into the request log when there is one.
   */
  begin(modelId: string, billing?: EmulatorBilling, detail?: { prompt: string }): EmulatorCall;
  /** Counts a request refused before it reached a model. */
  reject(): void;
  stats(): EmulatorStats;
}

/** Creates a session; throws an `InvalidArgumentError` naming the field of a malformed rule. */
export function createEmulatorSession(options: EmulatorSessionOptions = {}): EmulatorSession {
  const { seed = 1, faults = [] } = options;
  assertSeed(seed);
  validateFaults(faults, options.models);
  const rules = faults.map((rule) => ({
    ...rule,
    model: rule.model === undefined ? undefined : (findProfile(rule.model)?.id ?? rule.model),
  }));
  const recorder = createStatsRecorder(options.requestLog !== undefined);
  const now = options.requestLog?.now;
  const counts = new Map<string, number>();
  let total = 0;

  const draw = (modelId: string, number: number): EmulatorFault | undefined => {
    for (const [index, rule] of rules.entries()) {
      if (rule.model !== undefined && rule.model !== modelId) continue;
      const scoped = rule.model === undefined ? total : number;
      if (fires(rule, scoped, deriveSeed(seed, 'fault', index, rule.model ?? '*', scoped))) {
        return rule.fault;
      }
    }
    return undefined;
  };

  return {
    begin(modelId, billing, detail) {
      total++;
      const number = (counts.get(modelId) ?? 0) + 1;
      counts.set(modelId, number);
      const fault = draw(modelId, number);
      recorder.request(modelId, fault?.kind);
      const prompt = detail?.prompt ?? '';
      const entry = now && recorder.log({ number: total, model: modelId, prompt, atMs: now() });
      recorder.inFlight(1);
      let streaming = false;
      let ended = false;
      return {
        number,
        fault,
        streamOpened() {
          if (streaming || ended) return;
          streaming = true;
          recorder.openStreams(1);
        },
        complete() {
          if (entry) entry.completed = true;
        },
        end(tokens) {
          if (ended) return;
          ended = true;
          if (entry) entry.endedAt = Date.now();
          recorder.inFlight(-1);
          if (streaming) recorder.openStreams(-1);
          // Billing as providers do it: a request is paid for once it has produced output; one
          // refused, failed or abandoned before its first token costs nothing.
          if (tokens && tokens.output > 0) {
            const usage = {
              inputTokens: tokens.input,
              cachedInputTokens: tokens.cachedInput ?? 0,
              outputTokens: tokens.output,
              reasoningTokens: 0,
            };
            const cost = billing ? computeCost(billing.pricing, usage, billing.atEpochMs) : 0;
            recorder.tokens(modelId, tokens.input, tokens.output, cost, usage.cachedInputTokens);
            if (entry) {
              entry.inputTokens = tokens.input;
              entry.cachedInputTokens = usage.cachedInputTokens;
              entry.outputTokens = tokens.output;
            }
          }
        },
      };
    },
    reject: () => recorder.rejected(),
    stats: () => recorder.snapshot(),
  };
}

function fires(rule: EmulatorFaultRule, number: number, seed: number): boolean {
  if (rule.requests?.includes(number)) return true;
  const rate = rule.rate ?? (rule.requests === undefined ? 1 : 0);
  return rate > 0 && createRandom(seed).next() < rate;
}

/** Throws unless `seed` is a whole number, as `hotpath emulate --seed` takes it. */
export function assertSeed(seed: unknown): void {
  if (typeof seed === 'number' && Number.isInteger(seed)) return;
  throw new InvalidArgumentError({ argument: 'seed', expected: 'a whole number', value: seed });
}
