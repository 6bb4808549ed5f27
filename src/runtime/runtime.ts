import type { AnyChain, InferInput, InferOutput } from '../chain';
import { type Clock, clockEpochMs, systemClock } from '../clock';
import { InvalidArgumentError } from '../errors';
import type { OptionKeys } from '../errors/option-checks';
import type { ModelPool } from '../models/pool';
import { checkRegions, restrictRegions } from '../models/regions';
import { createMemoryEstimateStore, type EstimateStore } from '../scheduler/estimate-store';
import type { Objective, Plan } from '../scheduler/plan';
import { createPlanCache } from '../scheduler/plan-cache';
import type { RunStore } from '../stores/run-store';
import { createEventHub, type EventSource } from '../tracing/event-hub';
import type { HotpathEventName } from '../tracing/events';
import type { TraceExporter } from '../tracing/exporters/console';
import { attachHooks, type TraceHooks, traceHookNames } from '../tracing/hooks';
import { maskError } from '../tracing/log/redact';
import type { TraceWarning } from '../tracing/records';
import { feedHistory } from './feed-history';
import { type CacheSetting, defaultLeaseMs, type Journal, openJournal } from './journal';
import type { MapExecutor } from './map-executor';
import { createRuntimeMasker, maskingHub } from './mask-secrets';
import { withRuntimeLimits } from './plan-pool';
import type { ReplanMode } from './replan';
import {
  createModelGuards,
  type ResilienceOptions,
  resilienceOptionKeys,
  resolveResilience,
} from './resilience';
import { type RunResult, runChain } from './run-chain';
import type { CallBinder } from './run-state';
import type { SharedLimits } from './shared-limits';
import type { StepStreams } from './step-streams';
import { findAnswerStep } from './stream/answer-step';
import type { StreamOptions, StreamResult } from './stream/stream-result';
import { streamRun } from './stream/stream-run';
import { validateInput } from './validate-input';
import { validateRunOptions, validateRuntimeOptions, validateStepModels } from './validate-options';

/** Options of {@link createRuntime}; `onStepEnd` and the other hooks listen to every run. */
export interface RuntimeOptions extends TraceHooks, ResilienceOptions {
  /** The models steps may run on, for example `models.fromEnv()`. */
  models: ModelPool;
  /** How the scheduler trades time for money. @default 'balanced' */
  objective?: Objective;
  /**
   * Residency: calls go only to endpoints in these regions (`['eu']` allows `eu` and `eu-*`),
   * also on fallback and hedging; an endpoint without a `region` is in none. A step that no
   * allowed endpoint can serve fails before the run starts, naming the step and the regions.
   * @default anywhere
   */
  regions?: readonly string[];
  /** Exporters that report every run (for example `consoleExporter()`). @default [] */
  exporters?: readonly TraceExporter[];
  /** Where time is read. @default the pool's clock, else the wall clock */
  clock?: Clock;
  /**
   * A hard limit on each run's spending, in US dollars; a run's own `maxCostUsd` replaces it.
   * @default none
   */
  maxCostUsd?: number;
  /**
   * Moving estimates of each step's tokens and time, fed after every step and read by every plan;
   * pass a shared store to learn across runtimes. @default a new in-memory store
   */
  history?: EstimateStore;
  /** When to re-plan while a chain runs (see `ReplanMode`). @default 'auto' */
  replan?: ReplanMode;
  /**
   * Where runs are journaled: every finished step and map item is written before anything that
   * needs it starts, so `run(chain, input, { runId })` resumes a crashed run without paying again
   * for what it finished. Entries are written in batches (group commit); a map item does not wait
   * for its write unless more than `concurrency` entries are queued, so a crash re-runs at most
   * 4 x `concurrency` items of a map (those in flight and those not yet written).
   * @default none (nothing is kept)
   */
  store?: RunStore;
  /**
   * The development cache (needs a `store`): an LLM step (or map item) whose chain, definition,
   * resolved prompt and model match a stored result reuses it at no cost. `true`, or
   * `{ ttlMs }` to ignore results older than that; a step's own `cache` option overrides it.
   * @default false
   */
  cache?: boolean | CacheSetting;
  /**
   * How long a durable run's lease lasts, in ms: the process running it renews it every third of
   * that, and another process may resume the run once it lapses (after a crash, at most this
   * long). @default 15000
   */
  leaseMs?: number;
  /**
   * Where calls wait under each model's limits: pass `createRedisLimits({ url })` from
   * `hotpath/redis` to make the limits hold across processes. @default limits kept in this process
   */
  sharedLimits?: SharedLimits;
  /**
   * Where map items run: `createBullmqExecutor(...)` from `hotpath/bullmq` runs them as jobs on
   * worker processes, and this process runs none itself. The workers' own `concurrency` then
   * bounds them (a map's `concurrency` is not read), and pipelined maps (`pipeline: true`) still
   * run their items here. @default in this process
   */
  executor?: MapExecutor;
  /**
   * For streamed runs: the decoding speed, in output tokens a second, that the answer step's
   * model must reach so that the text comes faster than people read it. The objective then
   * applies to the time to the answer's first token.
   * @default 15
   */
  readingTokensPerSecond?: number;
  /** Test seams. */
  _internal?: { generateRunId?: () => string; random?: () => number; now?: () => number };
}

/**
 * Every key of {@link RuntimeOptions} beyond the hooks and resilience options, for the
 * unknown-option check: a new option goes in the type and here (the compiler insists).
 */
const runtimeOwnKeys: OptionKeys<Omit<RuntimeOptions, keyof TraceHooks | keyof ResilienceOptions>> =
  {
    models: true,
    objective: true,
    regions: true,
    exporters: true,
    clock: true,
    maxCostUsd: true,
    history: true,
    replan: true,
    store: true,
    cache: true,
    leaseMs: true,
    sharedLimits: true,
    executor: true,
    readingTokensPerSecond: true,
    _internal: true,
  };
const runtimeOptionKeys = [
  ...Object.keys(runtimeOwnKeys),
  ...Object.keys(resilienceOptionKeys),
  ...traceHookNames,
];

/** Options of one run. */
export interface RunOptions {
  /** Aborts every call in flight and every pending step. */
  signal?: AbortSignal;
  /** Overrides the runtime's objective for this run. @default the runtime's */
  objective?: Objective;
  /**
   * Residency for this run's calls, within the runtime's `regions` (an endpoint must be in
   * both). @default the runtime's
   */
  regions?: readonly string[];
  /**
   * A hard limit on this run's spending, in US dollars: each call reserves its worst-case cost
   * before it starts, and a call that would cross the limit does not start. @default the runtime's
   */
  maxCostUsd?: number;
  /**
   * The run's id. With a `store`, the id of an unfinished run resumes it: what it finished is read
   * back, not called again. @default a new random id
   */
  runId?: string;
  /**
   * Shares `maxCostUsd` with every run, in any process, that passes the same key to a runtime
   * on the same `sharedLimits` (for example `createRedisLimits`): together they spend at most
   * the limit. @default the run spends its own limit alone
   */
  budgetKey?: string;
  /**
   * Integration seams. `models`: steps whose model was chosen elsewhere, by step id, kept by
   * this run's plan (`hotpath/bullmq` workers run a coordinator's map items on its model).
   */
  _internal?: { models?: Readonly<Record<string, string>> };
}

/** Every key of {@link RunOptions}, for the unknown-option check. */
const runOptionKeys: OptionKeys<RunOptions> = {
  signal: true,
  objective: true,
  regions: true,
  maxCostUsd: true,
  runId: true,
  budgetKey: true,
  _internal: true,
};
const runOptionNames = Object.keys(runOptionKeys);
const streamOptionKeys: OptionKeys<Omit<StreamOptions, keyof RunOptions>> = { answer: true };
const streamOptionNames = [...runOptionNames, ...Object.keys(streamOptionKeys)];

/** Options of `runtime.plan`. */
export interface PlanOptions {
  /** Overrides the runtime's objective for this plan, as `run`'s does. */
  objective?: Objective;
  /** Plan as `runtime.stream` does: for the first token of the answer step. @default false */
  stream?: boolean;
  /** The answer step of a streamed plan (see `StreamOptions.answer`). */
  answer?: string;
}
const planOptionNames = ['objective', 'stream', 'answer'];

/** Plans and runs chains on a pool of models, and reports what happened through its events. */
export interface Runtime extends EventSource {
  readonly models: ModelPool;
  /**
   * The plan for a chain (no model calls): a model per step, predictions, `explain()`. With the
   * input, a map whose `over` reads only the input is planned for its real item count.
   * With `{ stream: true }`, the plan `runtime.stream` makes: for the first answer token.
   */
  plan<TChain extends AnyChain>(
    chain: TChain,
    input?: InferInput<TChain>,
    options?: PlanOptions,
  ): Plan;
  /** Validates the input, plans, runs, and resolves to the chain's output and the run's trace. */
  run<TChain extends AnyChain>(
    chain: TChain,
    input: InferInput<TChain>,
    options?: RunOptions,
  ): Promise<RunResult<InferOutput<TChain>>>;
  /**
   * Runs the chain like `run` and returns at once with its answer's text as it is generated,
   * its events, its output and trace, and AI SDK UI message streams for a route to return.
   * Throws when no step can be the answer (name one with `{ answer }`).
   *
   * @example
   * ```ts
   * return runtime.stream(research, { question }).toUIMessageStreamResponse();
   * ```
   */
  stream<TChain extends AnyChain>(
    chain: TChain,
    input: InferInput<TChain>,
    options?: StreamOptions,
  ): StreamResult<InferOutput<TChain>>;
}

/**
 * Creates a runtime over a pool of models.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv(), objective: 'balanced' });
 * const { output, trace } = await runtime.run(research, { question: 'Why are diffusion LLMs fast?' });
 * ```
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  const given = options.models;
  if (given == null || !Array.isArray(given.models)) {
    throw new InvalidArgumentError({
      argument: 'models',
      message: `Expected \`models\` to be a model pool (for example \`models.fromEnv()\`), got \`${String(given)}\``,
    });
  }
  validateRuntimeOptions(options, { keys: runtimeOptionKeys, pool: given });
  checkRegions('regions', options.regions);
  // Residency is a view of the pool: what is outside the regions is never planned or called.
  // Plans see the limits the runtime enforces (its `limits` on the profiles'), as calls do.
  const pool = restrictRegions(withRuntimeLimits(given, options.limits), options.regions);
  const clock = options.clock ?? pool.clock ?? systemClock;
  const generateRunId = options._internal?.generateRunId ?? (() => crypto.randomUUID());
  const warningsByRun = new Map<string, TraceWarning[]>();
  const resilience = resolveResilience(options);
  const guards = createModelGuards(
    options,
    clock,
    (id) => given.get(id).profile.rateLimits,
    options.sharedLimits,
  );
  const random = options._internal?.random ?? Math.random;
  const mask = createRuntimeMasker(given);
  const events = createEventHub((event: HotpathEventName, error: unknown, payload: unknown) => {
    const runId = (payload as { runId?: string } | undefined)?.runId;
    const message = mask(
      `a \`${event}\` listener threw: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (runId !== undefined) warningsByRun.get(runId)?.push({ source: 'listener', message });
  });
  // Every error message is masked before a listener, an exporter or the caller sees it.
  const hub = maskingHub(events, mask);
  attachHooks(hub, options);
  for (const exporter of options.exporters ?? []) exporter.attach(hub);
  const binders = (options.exporters ?? []).filter((exporter) => exporter.bindCall !== undefined);
  const bindCall: CallBinder =
    binders.length === 0
      ? (_step, call) => call()
      : (step, call) =>
          binders.reduceRight((inner, exporter) => () => exporter.bindCall!(step, inner), call)();

  const history = options.history ?? createMemoryEstimateStore();
  // Every call of every run teaches the history each model's first token and speed.
  feedHistory(hub, history);
  const store = options.store;
  const cache = resolveCache(options);
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  if (!Number.isInteger(leaseMs) || leaseMs < 1) {
    throw new InvalidArgumentError({
      argument: 'leaseMs',
      expected: 'a whole number of ms from 1 up',
      value: leaseMs,
    });
  }
  const now = options._internal?.now ?? Date.now;
  const readingTokensPerSecond = options.readingTokensPerSecond;
  // Each chain's `models: [...]` lists are checked against the pool once, on first use.
  const checked = new WeakSet<object>();
  /** The ids of the runs under way, without a store (see `claimRunId`). */
  const running = new Set<string>();
  const plans = createPlanCache();
  const plan = (
    chain: AnyChain,
    input?: unknown,
    objective = options.objective,
    answerStep?: string,
    // The chain's own residency narrows the runtime's (a run's too, when it gives the view).
    where: ModelPool = restrictRegions(pool, chain.definition.regions),
    models?: Readonly<Record<string, string>>,
  ) => {
    if (!checked.has(chain.definition)) {
      validateStepModels(chain.definition.steps, given);
      checked.add(chain.definition);
    }
    // Priced at the clock's date: DeepSeek's peak hours change which lane is cheap.
    const startAt = clockEpochMs(clock);
    const answer =
      answerStep === undefined ? undefined : { stepId: answerStep, readingTokensPerSecond };
    const _internal = models && { models };
    return plans.plan({
      chain: chain.definition,
      pool: where,
      objective,
      input,
      history,
      startAt,
      answer,
      _internal,
    });
  };

  return {
    models: given,
    on: hub.on,
    off: hub.off,
    plan: (chain, input, planOptions = {}) => {
      validateRunOptions(planOptions, planOptionNames, 'runtime.plan');
      const streamed = planOptions.stream === true || planOptions.answer !== undefined;
      const answer = streamed ? findAnswerStep(chain.definition, planOptions.answer).id : undefined;
      return plan(chain, input, planOptions.objective ?? options.objective, answer);
    },
    run: async (chain, input, runOptions = {}) => {
      validateRunOptions(runOptions, runOptionNames, 'runtime.run');
      const runId = runOptions.runId ?? generateRunId();
      const release = claimRunId(runId);
      return execute(chain, input, runOptions, runId).finally(release) as Promise<
        RunResult<InferOutput<typeof chain>>
      >;
    },
    stream(chain, input, streamOptions = {}) {
      validateRunOptions(streamOptions, streamOptionNames, 'runtime.stream');
      const answer = findAnswerStep(chain.definition, streamOptions.answer);
      const runId = streamOptions.runId ?? generateRunId();
      const release = claimRunId(runId);
      return streamRun({
        hub,
        chain: chain.definition.name,
        runId,
        answerStep: answer.id,
        signal: streamOptions.signal,
        start: (streams, signal) =>
          execute(chain, input, { ...streamOptions, signal }, runId, streams, answer.id).finally(
            release,
          ),
      }) as StreamResult<InferOutput<typeof chain>>;
    },
  };

  /**
   * Without a store, refuses an id of a run under way in this runtime (with one, its lease
   * does): a run's events, streams and trace lines are told apart by its id, so two runs
   * sharing one would read each other's. Returns what gives the id up.
   */
  function claimRunId(runId: string): () => void {
    if (store !== undefined || typeof runId !== 'string') return () => {};
    if (running.has(runId)) {
      throw new InvalidArgumentError({
        argument: 'runId',
        message: `Expected \`runId\` to be the id of no run under way in this runtime, got \`${runId}\`, whose run has not ended (without a \`store\`, two runs may not share an id while both go on)`,
      });
    }
    running.add(runId);
    return () => running.delete(runId);
  }

  function sharedBudget(runOptions: RunOptions, maxCostUsd: number | undefined) {
    if (runOptions.budgetKey === undefined || maxCostUsd === undefined) return undefined;
    if (options.sharedLimits?.budget === undefined) {
      throw new InvalidArgumentError({
        argument: 'budgetKey',
        expected: 'used with `sharedLimits` that share budgets (for example `createRedisLimits`)',
        value: runOptions.budgetKey,
      });
    }
    return options.sharedLimits.budget(runOptions.budgetKey, maxCostUsd);
  }

  async function execute(
    chain: AnyChain,
    input: unknown,
    runOptions: RunOptions,
    runId: string,
    streams?: StepStreams,
    answerStep?: string,
  ): Promise<RunResult<unknown>> {
    const definition = chain.definition;
    if (pool.ready !== undefined) await pool.ready();
    checkRegions('regions', runOptions.regions);
    const runPool = restrictRegions(restrictRegions(pool, definition.regions), runOptions.regions);
    const validated = await validateInput(definition.name, definition.input, input);
    if (typeof runId !== 'string' || runId.length === 0) {
      throw new InvalidArgumentError({
        argument: 'runId',
        expected: 'a non-empty string',
        value: runId,
      });
    }
    // Planned, and a shared budget looked up, before the journal opens: a run that fails its
    // checks (an unknown model, no region, a \`budgetKey\` without shared limits) leaves no run
    // in the store that would read as interrupted.
    const planned = plan(
      chain,
      validated,
      runOptions.objective ?? options.objective,
      answerStep,
      runPool,
      runOptions._internal?.models,
    );
    const maxCostUsd = runOptions.maxCostUsd ?? options.maxCostUsd;
    const budget = sharedBudget(runOptions, maxCostUsd);
    const journal: Journal | undefined =
      store === undefined
        ? undefined
        : await openJournal({
            store,
            runId,
            chain: definition,
            input: validated,
            leaseMs,
            owner: generateRunId(),
            cache,
            now,
          });
    const warnings: TraceWarning[] = [];
    warningsByRun.set(runId, warnings);
    try {
      const result = await runChain({
        journal,
        runId,
        chain: definition,
        input: validated,
        plan: planned,
        pool: runPool,
        clock,
        hub,
        warnings,
        signal: runOptions.signal,
        resilience,
        guards,
        random,
        bindCall,
        history,
        replan: options.replan ?? 'auto',
        maxCostUsd,
        budgetKey: runOptions.budgetKey,
        executor: options.executor,
        sharedBudget: budget,
        streams,
        answerStep,
      });
      await journal?.end('ok');
      return result;
    } catch (error) {
      // Masked before the journal keeps it or the caller sees it.
      maskError(error, mask);
      if (journal === undefined) throw error;
      await journal.end('error', error).catch(() => {});
      throw maskError(journal.lost ?? error, mask);
    } finally {
      warningsByRun.delete(runId);
    }
  }
}

/** The cache setting of a runtime whose options were checked: `undefined` for no cache. */
function resolveCache(options: RuntimeOptions): CacheSetting | undefined {
  const { cache } = options;
  if (cache === undefined || cache === false) return undefined;
  return cache === true ? {} : cache;
}
