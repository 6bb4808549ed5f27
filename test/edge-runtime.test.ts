import { EdgeVM } from '@edge-runtime/vm';
import { describe, expect, it } from 'vitest';
import { bundleForEdge } from './helpers/edge-bundle';

// The core must run where there is no Node: bundling it for the browser platform fails on any
// `node:*` import, and the edge VM gives it only web-standard globals.
const entry = `
import { chain, createEmulatedModel, createModelPool, createRuntime, createVirtualClock, defineModel, fn, llm, mercury2, models } from './src/index.ts';
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

// mercury-2 at two places in process: 250 ms and 30 ms away, the near one in the EU.
globalThis.runEdgeEndpoints = async () => {
  const clock = createVirtualClock();
  const at = (endpoint, region, roundTripMs) => {
    const profile = { ...mercury2, roundTripMs };
    return defineModel(createEmulatedModel({ profile, clock }), mercury2, { endpoint, region });
  };
  const pool = createModelPool([at('far', 'us-east', 250), at('near', 'eu-west', 30)], { clock });
  let steps = chain('places', { input: z.object({}) });
  for (let i = 0; i < 5; i++) steps = steps.step('s' + i, llm({ prompt: 'step ' + i, lane: 'fast', maxOutputTokens: 20 }));
  const runtime = createRuntime({ models: pool, hedge: false });
  const { trace } = await runtime.run(steps, {});
  const eu = await runtime.run(steps, {}, { regions: ['eu'] });
  const closed = await runtime.run(steps, {}, { regions: ['ap'] }).then(() => 'ran', (error) => error.message);
  return JSON.stringify({
    endpoints: trace.steps.map((step) => step.endpoint),
    eu: eu.trace.steps.map((step) => step.endpoint),
    explain: runtime.plan(steps, {}).explain(),
    closed,
  });
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
    // Endpoints: each place tried once, then the near one; residency holds; explain() names it.
    const places = JSON.parse(await vm.evaluate('runEdgeEndpoints()'));
    expect(places.endpoints).toEqual(['far', 'near', 'near', 'near', 'near']);
    expect(places.eu).toEqual(Array(5).fill('near'));
    expect(places.explain).toMatch(/endpoints: mercury-2 @ near, \d+ ms round trip/);
    expect(places.closed).toContain('may run only in the regions `ap`');
  }, 60_000);
});
