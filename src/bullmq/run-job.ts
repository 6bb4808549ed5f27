import type { AnyChain, StandardSchemaV1, StepNode } from '../chain';
import { chain } from '../chain';
import { BudgetExceededError, HotpathError, InvalidArgumentError, StepError } from '../errors';
import type { ItemOutcome, RemoteError } from '../runtime/map-executor';
import type { Runtime } from '../runtime/runtime';
import type { ItemJobData } from './job-data';

/** Any input, as it comes: the coordinator already validated the chain's input. */
const anyInput: StandardSchemaV1<{ item: unknown }> = {
  '~standard': { version: 1, vendor: 'hotpath', validate: (value) => ({ value: value as never }) },
};

/** Chains by name, and the one-item chain of each map step, made once. */
export function createItemRunner(chains: readonly AnyChain[]) {
  const byName = new Map(chains.map((entry) => [entry.definition.name, entry]));
  const itemChains = new Map<string, AnyChain>();

  const itemChain = (data: ItemJobData): AnyChain => {
    const key = `${data.chain}\u0000${data.stepId}`;
    let made = itemChains.get(key);
    if (made === undefined) {
      const source = byName.get(data.chain);
      const step: StepNode | undefined = source?.definition.steps.find(
        (node) => node.id === data.stepId && node.kind === 'map',
      );
      if (source === undefined || step === undefined) {
        throw new HotpathError({
          name: 'HotpathInvalidArgumentError',
          message: `Expected \`chains\` to hold chain \`${data.chain}\` with map step \`${data.stepId}\`, got ${[...byName.keys()].map((name) => `\`${name}\``).join(', ') || 'none'}`,
        });
      }
      // The map step alone, over the one item: the worker's runtime plans, limits, retries and
      // traces it as it would any map item.
      made = chain(data.chain, { input: anyInput }).map(
        data.stepId,
        ({ input }: { input: { item: unknown } }) => [input.item],
        step.definition as never,
        { concurrency: 1, onItemError: 'collect' },
      ) as unknown as AnyChain;
      itemChains.set(key, made);
    }
    return made;
  };

  /** Runs one job's item on `runtime` and says how it ended; never throws for the item itself. */
  return async function runItemJob(
    runtime: Runtime,
    data: ItemJobData,
    signal: AbortSignal | undefined,
  ): Promise<ItemOutcome> {
    const target = itemChain(data);
    const options = {
      signal,
      // On the coordinator's model, as a local item would run: not the worker's own choice.
      ...(data.model !== undefined && { _internal: { models: { [data.stepId]: data.model } } }),
      ...(data.maxCostUsd !== undefined && {
        maxCostUsd: data.maxCostUsd,
        budgetKey: data.budgetKey,
      }),
    };
    try {
      const { output, trace } = await runtime.run(target, { item: data.item } as never, options);
      const [result] = (output as Record<string, unknown[]>)[data.stepId] as [
        { ok: true; value: unknown } | { ok: false; error: unknown },
      ];
      const record = trace.items[data.stepId]?.[0];
      return result.ok
        ? { index: data.index, ok: true, value: result.value, record }
        : { index: data.index, ok: false, error: toRemote(result.error), record };
    } catch (error) {
      const trace = (error as { trace?: { items: Record<string, unknown[]> } }).trace;
      const record = trace?.items[data.stepId]?.[0] as ItemOutcome['record'];
      return { index: data.index, ok: false, error: toRemote(budgetless(error, data)), record };
    }
  };
}

/**
 * The worker's runtime refused the run's budget key because it shares no budgets: say what the
 * worker needs, not which key it refused (the executor's, often the run id the user never saw).
 */
function budgetless(error: unknown, data: ItemJobData): unknown {
  if (data.maxCostUsd === undefined) return error;
  if (!InvalidArgumentError.isInstance(error) || error.argument !== 'budgetKey') return error;
  return new InvalidArgumentError({
    argument: 'runtime',
    message: `Expected the worker's \`runtime\` to have \`sharedLimits\` that share budgets (for example \`createRedisLimits\`) to run items of a run with \`maxCostUsd\` (${data.maxCostUsd}), got a runtime without them: the workers of a run share its budget through them`,
  });
}

const stepPrefix = /^Step `[^`]*`(?: \(item \d+\))? of chain `[^`]*` failed(?: on [^:]+)?: /;

function toRemote(error: unknown): RemoteError {
  if (StepError.isInstance(error)) {
    return {
      name: error.name,
      message: error.message.replace(stepPrefix, ''),
      reason: error.reason,
      model: error.model,
      attempt: error.attempt,
    };
  }
  if (BudgetExceededError.isInstance(error)) {
    const { maxCostUsd, spentUsd, reservedUsd, requiredUsd } = error;
    return {
      name: error.name,
      message: error.message,
      model: error.model,
      budget: { maxCostUsd, spentUsd, reservedUsd, requiredUsd },
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
