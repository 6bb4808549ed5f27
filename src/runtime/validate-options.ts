import type { StepNode } from '../chain';
import { checkTimeouts } from '../chain/validate-step';
import { InvalidArgumentError, ModelConfigError } from '../errors';
import { assertWholeNumber } from '../errors/invalid-argument-error';
import { nearestName } from '../errors/nearest-name';
import {
  assertKnownKeys,
  assertNumber,
  assertObject,
  assertOneOf,
  assertType,
  type OptionKeys,
} from '../errors/option-checks';
import type { ModelPool } from '../models/pool';
import { checkRateLimits } from '../models/rate-limits';
import { checkObjective } from '../scheduler/check-objective';
import type { Objective } from '../scheduler/plan';
import type { RetryOptions } from './backoff';
import { checkCache, checkExecutor, checkSharedLimits, checkStore } from './check-plug-ins';
import type { CircuitBreakerOptions } from './circuit-breaker';
import type { HedgeOptions } from './resilience';

const retryKeys: OptionKeys<RetryOptions> = {
  maxAttempts: true,
  baseDelayMs: true,
  maxDelayMs: true,
};
const hedgeKeys: OptionKeys<HedgeOptions> = { enabled: true, afterMs: true, maxShare: true };
const breakerKeys: OptionKeys<CircuitBreakerOptions> = { failureThreshold: true, cooldownMs: true };

/** What {@link validateRuntimeOptions} checks against. */
export interface RuntimeOptionsShape {
  /** Every key `createRuntime` takes. */
  readonly keys: readonly string[];
  readonly pool: ModelPool;
}

/**
 * Checks `createRuntime`'s options once, when the runtime is made: unknown keys (with the nearest
 * known one), and every value the runtime reads, in p-queue's voice. Throws an
 * `InvalidArgumentError` naming the option.
 */
export function validateRuntimeOptions(options: object, shape: RuntimeOptionsShape): void {
  assertKnownKeys(options, shape.keys, 'createRuntime');
  const o = options as Record<string, unknown>;
  if (o.objective !== undefined) checkObjective(o.objective as Objective, 'createRuntime');
  if (o.maxCostUsd !== undefined) assertNumber('maxCostUsd', o.maxCostUsd);
  if (o.replan !== undefined) assertOneOf('replan', o.replan, ['auto', 'always', 'never']);
  if (o.exporters !== undefined) checkExporters(o.exporters);
  if (o.clock !== undefined) checkClock(o.clock);
  if (o.history !== undefined) assertObject('history', o.history);
  if (o.store !== undefined) checkStore(o.store);
  if (o.cache !== undefined) checkCache(o.cache, o.store !== undefined);
  if (o.sharedLimits !== undefined) checkSharedLimits(o.sharedLimits);
  if (o.executor !== undefined) checkExecutor(o.executor);
  if (o.readingTokensPerSecond !== undefined)
    assertNumber('readingTokensPerSecond', o.readingTokensPerSecond, { above: true });
  if (o._internal !== undefined) assertObject('_internal', o._internal);
  for (const key of shape.keys) {
    if (/^on[A-Z]/.test(key) && o[key] !== undefined) assertType(key, o[key], 'function');
  }
  if (o.retry !== undefined) checkRetry(o.retry);
  if (o.timeouts !== undefined && o.timeouts !== false)
    checkTimeouts('timeouts', o.timeouts, 'createRuntime');
  if (o.hedge !== undefined && o.hedge !== false) checkHedge(o.hedge);
  if (o.limits !== undefined) checkLimits(o.limits, shape.pool);
  if (o.circuitBreaker !== undefined) {
    const breaker = assertObject('circuitBreaker', o.circuitBreaker);
    assertKnownKeys(breaker, Object.keys(breakerKeys), 'createRuntime', 'circuitBreaker.');
    if (breaker.failureThreshold !== undefined)
      assertWholeNumber('circuitBreaker.failureThreshold', breaker.failureThreshold);
    if (breaker.cooldownMs !== undefined)
      assertNumber('circuitBreaker.cooldownMs', breaker.cooldownMs);
  }
  if (o.defaultMaxOutputTokens !== undefined)
    assertWholeNumber('defaultMaxOutputTokens', o.defaultMaxOutputTokens);
}

/** Checks the options of one `runtime.run` (or `stream`) call, before anything starts. */
export function validateRunOptions(
  options: unknown,
  keys: readonly string[],
  owner = 'runtime.run',
): void {
  const o = assertObject('options', options);
  assertKnownKeys(o, keys, owner);
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw new InvalidArgumentError({
      argument: 'signal',
      expected: 'an `AbortSignal` (for example `AbortSignal.timeout(5000)`)',
      value: o.signal,
    });
  }
  if (o.objective !== undefined) checkObjective(o.objective as Objective, owner);
  if (o.maxCostUsd !== undefined) assertNumber('maxCostUsd', o.maxCostUsd);
  if (o.answer !== undefined) assertType('answer', o.answer, 'string');
  if (o.runId !== undefined) assertType('runId', o.runId, 'string');
}

/**
 * Checks that every model a step is restricted to (`models: [...]`) is in the pool, naming the
 * step and the nearest pool id. Throws a `ModelConfigError`.
 */
export function validateStepModels(steps: readonly StepNode[], pool: ModelPool): void {
  const ids = [...new Set(pool.models.map((entry) => entry.id))];
  for (const step of steps) {
    const models = step.definition.kind === 'llm' ? step.definition.models : undefined;
    for (const id of models ?? []) {
      if (ids.includes(id)) continue;
      const near = nearestName(id, ids);
      throw new ModelConfigError({
        reason: 'unknown-model',
        model: id,
        stepId: step.id,
        message: `Step \`${step.id}\`: unknown model \`${id}\` in \`models\`${near ? `; did you mean \`${near}\`?` : ''} (the pool has ${ids.map((known) => `\`${known}\``).join(', ')})`,
      });
    }
  }
}

function checkRetry(value: unknown): void {
  const retry = assertObject('retry', value);
  assertKnownKeys(retry, Object.keys(retryKeys), 'createRuntime', 'retry.');
  if (retry.maxAttempts !== undefined) assertWholeNumber('retry.maxAttempts', retry.maxAttempts);
  if (retry.baseDelayMs !== undefined) assertNumber('retry.baseDelayMs', retry.baseDelayMs);
  if (retry.maxDelayMs !== undefined) assertNumber('retry.maxDelayMs', retry.maxDelayMs);
}

function checkHedge(value: unknown): void {
  const hedge = assertObject('hedge', value);
  assertKnownKeys(hedge, Object.keys(hedgeKeys), 'createRuntime', 'hedge.');
  if (hedge.enabled !== undefined) assertType('hedge.enabled', hedge.enabled, 'boolean');
  if (hedge.afterMs !== undefined) assertNumber('hedge.afterMs', hedge.afterMs);
  if (hedge.maxShare !== undefined) assertNumber('hedge.maxShare', hedge.maxShare, { max: 1 });
}

function checkLimits(value: unknown, pool: ModelPool): void {
  const limits = assertObject('limits', value);
  const ids = [...new Set(pool.models.map((entry) => entry.id))];
  assertKnownKeys(limits, ids, 'createRuntime', 'limits.');
  for (const [model, entry] of Object.entries(limits)) {
    checkRateLimits(`limits.${model}`, entry, 'createRuntime');
  }
}

function checkExporters(value: unknown): void {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: 'exporters', expected: 'an array', value });
  }
  value.forEach((exporter, index) => {
    if (typeof (exporter as { attach?: unknown } | null)?.attach !== 'function') {
      throw new InvalidArgumentError({
        argument: `exporters[${index}]`,
        expected: 'an exporter (an object with `attach(events)`, e.g. `consoleExporter()`)',
        value: exporter,
      });
    }
  });
}

function checkClock(value: unknown): void {
  const clock = value as { now?: unknown; sleep?: unknown } | null;
  if (typeof clock?.now !== 'function' || typeof clock?.sleep !== 'function') {
    throw new InvalidArgumentError({
      argument: 'clock',
      expected: 'a clock (an object with `now()` and `sleep(ms, signal)`)',
      value,
    });
  }
}

function isAbortSignal(value: unknown): boolean {
  const Signal = (globalThis as { AbortSignal?: abstract new () => AbortSignal }).AbortSignal;
  if (Signal !== undefined && value instanceof Signal) return true;
  // A signal from another realm (a test environment's own AbortController).
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === 'object' &&
    signal !== null &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function'
  );
}
