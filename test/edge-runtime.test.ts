import { EdgeVM } from '@edge-runtime/vm';
import { describe, expect, it } from 'vitest';
import { bundleForEdge } from './helpers/edge-bundle';

// The core must run where there is no Node: bundling it for the browser platform fails on any
// `node:*` import, and the edge VM gives it only web-standard globals.
const entry = `
import { chain, createRuntime, createVirtualClock, fn, llm, models } from './src/index.ts';
import { z } from 'zod';

globalThis.runEdgeChain = async () => {
  const research = chain('edge', { input: z.object({ question: z.string() }) })
    .step('plan', llm({ prompt: ({ input }) => input.question, output: z.object({ queries: z.array(z.string()).min(2).max(3) }) }))
    .map('answers', ({ plan }) => plan.queries, llm({ prompt: (query) => 'Answer: ' + query }))
    .step('count', fn(({ answers }) => answers.length))
    .returns(({ count, plan }) => ({ count, queries: plan.queries.length }));
  const runtime = createRuntime({ models: models.emulated({ clock: createVirtualClock() }) });
  const { output, trace } = await runtime.run(research, { question: 'Is the edge fast?' });
  return JSON.stringify({ output, calls: trace.calls, models: trace.steps.map((step) => step.model ?? null) });
};
`;

describe('the core in an edge runtime', () => {
  it('bundles without Node built-ins and runs a chain on emulated models in an edge VM', async () => {
    const code = await bundleForEdge(entry);
    const vm = new EdgeVM();
    expect(vm.evaluate('typeof process')).toBe('undefined');
    vm.evaluate(code);
    const result = JSON.parse(await vm.evaluate('runEdgeChain()'));
    expect(result.output.count).toBe(result.output.queries);
    expect(result.output.count).toBeGreaterThanOrEqual(2);
    expect(result.calls).toBe(1 + result.output.count);
    expect(result.models).toEqual(['mercury-2', 'deepseek-flash', null]);
  }, 60_000);
});
