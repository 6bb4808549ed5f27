import { describe, expect, it } from 'vitest';

// The values each entry point exports, pinned: a helper that leaks out of `src/index.ts` (as
// `assertWholeNumber` and `percentile` once did) fails here. Adding a public name is a deliberate
// edit of this list, next to the TSDoc and README section that document it.
const exported = async (entry: string) => Object.keys(await import(`../src/${entry}.ts`)).sort();

// Importing every entry point loads the whole package: allow for a loaded machine.
describe('the public API', { timeout: 60_000 }, () => {
  it('hotpath exports its public values and nothing else', async () => {
    expect(await exported('index')).toEqual([
      'AnswerRestartedError',
      'BudgetExceededError',
      'ChainDefinitionError',
      'HotpathError',
      'InvalidArgumentError',
      'InvalidInputError',
      'ModelConfigError',
      'RunAbortedError',
      'RunStoreError',
      'StepError',
      'agent',
      'catalog',
      'chain',
      'claudeHaiku45',
      'consoleExporter',
      'createDeepSeekModel',
      'createEmulatedModel',
      'createEmulatedPool',
      'createInceptionModel',
      'createMemoryEstimateStore',
      'createMemoryRunStore',
      'createModelPool',
      'createOpenAIModel',
      'createRuntime',
      'createSystemClock',
      'createVirtualClock',
      'deepseekFlash',
      'deepseekV4Flash',
      'deepseekV4Pro',
      'defaultLeaseMs',
      'defineModel',
      'fn',
      'formatWaterfall',
      'fromEnv',
      'gpt5Mini',
      'hotpathEventNames',
      'llm',
      'mercury2',
      'mergeProfile',
      'models',
      'planChain',
      'pricesAt',
      'providerKeys',
      'recordStep',
      'renderHtmlReport',
      'replanChain',
      'systemClock',
    ]);
  });

  it('hotpath/node and hotpath/otel export their integrations only', async () => {
    expect(await exported('node')).toEqual([
      'createFileEstimateStore',
      'createFileRunStore',
      'jsonlExporter',
      'readTraceLog',
      'startEmulator',
    ]);
    expect(await exported('otel')).toEqual(['otelExporter']);
    expect(await exported('postgres')).toEqual(['createPostgresRunStore']);
  });

  it('keeps internals out of the root', async () => {
    const root = await exported('index');
    for (const internal of ['assertWholeNumber', 'percentile', 'buildTrace', 'createEventHub']) {
      expect(root).not.toContain(internal);
    }
  });
});
