import { InvalidArgumentError } from '../errors';
import { describeValue } from '../errors/invalid-argument-error';
import {
  assertKnownKeys,
  assertMethods,
  assertNumber,
  assertObject,
  assertOneOf,
  assertType,
  type OptionKeys,
} from '../errors/option-checks';
import { checkObjective } from './check-objective';
import type { EstimateStore } from './estimate-store';
import type { Objective } from './plan';
import type { PlanChainOptions } from './plan-chain';
import type { ReplanChainOptions } from './replan-chain';

const planKeys: OptionKeys<PlanChainOptions> = {
  chain: true,
  pool: true,
  objective: true,
  input: true,
  history: true,
  solver: true,
  startAt: true,
  answer: true,
  _internal: true,
};
const replanKeys: OptionKeys<ReplanChainOptions> = { ...planKeys, progress: true, previous: true };
const solvers = ['auto', 'exact', 'heuristic'];
const storeMethods = ['get', 'put'] satisfies (keyof EstimateStore)[];
const storeOptional = [
  'record',
  'recordCall',
  'modelStats',
  'version',
  'endpointStats',
] satisfies (keyof EstimateStore)[];

/**
 * Throws an `InvalidArgumentError` naming the option when `planChain`'s (or, with `progress` and
 * `previous`, `replanChain`'s) options are not what they say: before they reach the solver as
 * an internal `TypeError`, or (a bogus `solver`, a misspelt key) as a silently other plan.
 */
export function checkPlanOptions(options: PlanChainOptions, owner: 'planChain' | 'replanChain') {
  const o = assertObject('options', options);
  assertKnownKeys(o, Object.keys(owner === 'planChain' ? planKeys : replanKeys), owner);
  checkChain(o.chain);
  checkPool(o.pool);
  if (o.objective !== undefined) checkObjective(o.objective as Objective, owner);
  if (o.history !== undefined) checkHistory(o.history);
  if (o.solver !== undefined) assertOneOf('solver', o.solver, solvers);
  if (o.startAt !== undefined) checkStartAt(o.startAt);
  if (o.answer !== undefined) checkAnswer(o.answer, owner);
  if (o._internal !== undefined) assertObject('_internal', o._internal);
  if (owner === 'replanChain') {
    const previous = o.previous as { steps?: unknown } | undefined;
    if (typeof previous !== 'object' || previous === null || !Array.isArray(previous.steps)) {
      throw new InvalidArgumentError({
        argument: 'previous',
        expected: 'the plan the run follows (a `Plan` from `planChain`)',
        value: previous,
      });
    }
    checkProgress(o.progress);
  }
}

function checkChain(chain: unknown): void {
  const c = chain as { name?: unknown; steps?: unknown; definition?: unknown } | null | undefined;
  if (typeof c === 'object' && c !== null && typeof c.name === 'string' && Array.isArray(c.steps))
    return;
  const definition = c?.definition as { name?: unknown } | undefined;
  if (typeof definition?.name === 'string') {
    throw new InvalidArgumentError({
      argument: 'chain',
      message: `Expected \`chain\` to be a chain definition, got the chain \`${definition.name}\` itself: pass its \`.definition\``,
    });
  }
  throw new InvalidArgumentError({
    argument: 'chain',
    expected: "a chain definition (`chain(...)`'s `.definition`)",
    value: chain,
  });
}

function checkPool(pool: unknown): void {
  const p = pool as { models?: unknown; get?: unknown } | null | undefined;
  if (Array.isArray(p?.models) && typeof p?.get === 'function') return;
  const hint = Array.isArray(pool) ? ': make one with `createModelPool(models)`' : '';
  throw new InvalidArgumentError({
    argument: 'pool',
    message: `Expected \`pool\` to be a model pool (such as \`models.fromEnv()\`), with \`models\` and \`get\`, got \`${describe(pool)}\` (${Array.isArray(pool) ? 'array' : typeof pool})${hint}`,
  });
}

function checkHistory(history: unknown): void {
  assertMethods(
    'history',
    history,
    'an estimate store (such as `createMemoryEstimateStore()`)',
    storeMethods,
    storeOptional,
  );
}

function checkStartAt(startAt: unknown): void {
  if (typeof startAt === 'number' && Number.isFinite(startAt)) return;
  const hint =
    startAt instanceof Date
      ? ': pass `date.getTime()`'
      : typeof startAt === 'string'
        ? ': pass `Date.parse(startAt)`'
        : '';
  throw new InvalidArgumentError({
    argument: 'startAt',
    message: `Expected \`startAt\` to be a calendar instant in Unix ms, got \`${describe(startAt)}\` (${typeof startAt})${hint}`,
  });
}

function checkAnswer(answer: unknown, owner: string): void {
  const a = assertObject('answer', answer);
  assertKnownKeys(a, ['stepId', 'readingTokensPerSecond'], owner, 'answer.');
  assertType('answer.stepId', a.stepId, 'string');
  if (a.readingTokensPerSecond !== undefined)
    assertNumber('answer.readingTokensPerSecond', a.readingTokensPerSecond, { above: true });
}

/** `progress`: `nowMs`, and `done` and `running` as Maps of steps with finite times. */
function checkProgress(progress: unknown): void {
  const p = assertObject('progress', progress);
  if (typeof p.nowMs !== 'number' || !Number.isFinite(p.nowMs) || p.nowMs < 0) {
    throw new InvalidArgumentError({
      argument: 'progress.nowMs',
      expected: 'a time from 0 up',
      value: p.nowMs,
    });
  }
  for (const field of ['done', 'running'] as const) {
    const steps = p[field];
    if (!(steps instanceof Map)) {
      const kind = field === 'done' ? 'DoneStep' : 'RunningStep';
      throw new InvalidArgumentError({
        argument: `progress.${field}`,
        message: `Expected \`progress.${field}\` to be a Map of step id to ${kind}, got \`${describe(steps)}\` (${typeof steps})${steps !== null && typeof steps === 'object' ? `: pass \`new Map(Object.entries(${field}))\`` : ''}`,
      });
    }
    for (const [id, step] of steps) checkStep(`progress.${field}.get('${id}')`, step, field);
  }
}

function checkStep(at: string, step: unknown, field: 'done' | 'running'): void {
  const s = assertObject(at, step);
  assertNumber(`${at}.startMs`, s.startMs);
  if (s.model !== undefined) assertType(`${at}.model`, s.model, 'string');
  if (field === 'running') return;
  assertNumber(`${at}.endMs`, s.endMs, { min: s.startMs as number });
  assertNumber(`${at}.costUsd`, s.costUsd);
}

/** A value as the messages show it, cut short: a pool or a chain can print long. */
function describe(value: unknown): string {
  const text = Array.isArray(value) ? `[${value.length} items]` : describeValue(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
