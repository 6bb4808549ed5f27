import type { ChainDefinition } from '../chain';
import type { Clock } from '../clock';
import { BudgetExceededError, RunAbortedError, StepError } from '../errors';
import type { ModelPool } from '../models/pool';
import type { EstimateStore } from '../scheduler/estimate-store';
import type { Plan } from '../scheduler/plan';
import type { EventHub } from '../tracing/event-hub';
import type { RunFailure, RunTrace, TraceWarning } from '../tracing/records';
import { Budget } from './budget';
import type { Journal } from './journal';
import type { MapExecutor } from './map-executor';
import { pipelineReady } from './pipeline';
import type { ReplanMode } from './replan';
import type { ModelGuards, Resilience } from './resilience';
import { type CallBinder, type RunState, traceOf } from './run-state';
import { runStep } from './run-step';
import type { SharedBudget } from './shared-limits';
import { createStepStreams, type StepStreams } from './step-streams';

/** What {@link runChain} needs: a validated input and the plan to follow. */
export interface RunChainOptions {
  readonly runId: string;
  readonly chain: ChainDefinition;
  readonly input: unknown;
  readonly plan: Plan;
  readonly pool: ModelPool;
  readonly clock: Clock;
  readonly hub: EventHub;
  readonly warnings: TraceWarning[];
  readonly signal?: AbortSignal;
  readonly resilience: Resilience;
  readonly guards: ModelGuards;
  /** A hard limit on the run's spending. */
  readonly maxCostUsd?: number;
  /** The same limit shared with other processes, under the run's `budgetKey`. */
  readonly sharedBudget?: SharedBudget;
  readonly budgetKey?: string;
  /** Where map items run, when not in this process. */
  readonly executor?: MapExecutor;
  readonly random: () => number;
  readonly bindCall: CallBinder;
  readonly history: EstimateStore;
  readonly replan: ReplanMode;
  /** Listeners of steps' text while it streams (`runtime.stream`, pipelined maps). */
  readonly streams?: StepStreams;
  /** The step whose text a streamed run streams: the trace measures its first token. */
  readonly answerStep?: string;
  /** The run's journal, when the runtime has a store. */
  readonly journal?: Journal;
}

/** A run's output and trace. */
export interface RunResult<TOutput> {
  readonly output: TOutput;
  readonly trace: RunTrace;
}

/**
 * Runs a planned chain: each step starts as soon as the steps it needs are done. The first
 * failure aborts everything still running, waits for it to stop, and rejects with that failure.
 */
export async function runChain(options: RunChainOptions): Promise<RunResult<unknown>> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Hedges get a share of the budget; a run without a budget does not limit what hedges spend.
  const hedgeAllowance =
    options.maxCostUsd === undefined
      ? undefined
      : options.resilience.hedge.maxShare * options.maxCostUsd;
  const state: RunState = {
    ...options,
    limits: options.guards.limits,
    limitsFor: options.guards.limitsFor,
    breakerFor: options.guards.breakerFor,
    budget: new Budget(options.maxCostUsd, options.sharedBudget),
    hedgeBudget: new Budget(hedgeAllowance),
    controller,
    originMs: options.clock.now(),
    startedAt: Date.now(),
    outputs: new Map(),
    context: { input: options.input },
    progress: { done: new Map(), running: new Map() },
    speed: new Map(),
    plannedSpeed: new Map(),
    fallbackOrders: new Map(),
    records: [],
    items: new Map(),
    // A pipelined map listens to its producer's stream, in `run` as in `stream`.
    streams:
      options.streams ??
      (options.chain.steps.some((step) => step.pipeline) ? createStepStreams() : undefined),
  };
  state.journal?.attach(state);
  const { hub, runId } = state;
  hub.emit('chain:start', { runId, chain: state.chain.name, startedAt: state.startedAt });
  hub.emit('plan', { runId, plan: state.plan });

  try {
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    await waitForPrices(state);
    await runAllSteps(state);
    const output = await selectOutput(state);
    const trace = traceOf(state, 'ok');
    state.journal?.ended(trace);
    hub.emit('chain:end', trace);
    return { output, trace };
  } catch (error) {
    const trace = traceOf(state, 'error');
    const failure = options.signal?.aborted
      ? new RunAbortedError({ chain: state.chain.name, trace, cause: options.signal.reason })
      : error;
    if (StepError.isInstance(failure)) failure.trace = trace;
    if (BudgetExceededError.isInstance(failure)) {
      failure.trace = trace;
      failure.spentUsd = state.budget.spentUsd;
    }
    // Set before anyone sees the trace: the journal, the listeners, the caller.
    (trace as { error?: RunFailure }).error = runFailure(failure);
    state.journal?.ended(trace);
    hub.emit('chain:end', trace);
    throw failure;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A deferred plan starts the chain in a cheaper price window: wait until then on the runtime's
 * clock, cancellably (an abort ends the wait and the run).
 */
async function waitForPrices(state: RunState): Promise<void> {
  const delayMs = state.plan.deferred?.delayMs;
  if (delayMs === undefined) return;
  const from = state.clock.now();
  try {
    await state.clock.sleep(delayMs, state.controller.signal);
  } finally {
    state.deferredMs = state.clock.now() - from;
  }
}

async function runAllSteps(state: RunState): Promise<void> {
  const done = new Map<string, Promise<void>>();
  let firstError: { error: unknown } | undefined;
  for (const step of state.chain.steps) {
    // One need (a sequential chain) waits on that step directly, without a Promise.all.
    const ready = step.pipeline
      ? pipelineReady(state, step, done)
      : step.needs.length === 1
        ? done.get(step.needs[0]!)!
        : Promise.all(step.needs.map((need) => done.get(need)!));
    const promise = ready
      .then(() => runStep(state, step))
      .catch((error: unknown) => {
        // Keep the root cause: the aborts it causes in other steps are not news.
        firstError ??= { error };
        state.controller.abort(error);
        throw error;
      });
    done.set(step.id, promise);
  }
  await Promise.allSettled(done.values());
  if (state.controller.signal.aborted) {
    throw firstError?.error ?? state.controller.signal.reason;
  }
}

/**
 * The chain's output: what `.returns` picks, or every step's output by name. A selector that
 * throws fails the run with a `StepError` (step `.returns`) that carries what the steps spent.
 */
async function selectOutput(state: RunState): Promise<unknown> {
  const { returns } = state.chain;
  if (returns === undefined) return Object.fromEntries(state.outputs);
  try {
    return await returns(state.context);
  } catch (error) {
    throw new StepError({
      chain: state.chain.name,
      stepId: '.returns',
      reason: 'function',
      message: `the chain's \`.returns\` selector threw: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
}

/** What a trace says of the error a run rejects with. */
function runFailure(error: unknown): RunFailure {
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: '_OTHER', message: String(error) };
}
