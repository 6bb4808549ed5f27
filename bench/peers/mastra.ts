/**
 * The peer shapes as Mastra workflows (`@mastra/core/workflows`): each model call is a step that
 * awaits `generateText` on the shared mock; sequences are `.then`, the diamond's branches nested
 * workflows in `.parallel`, fan-outs `.foreach` with a concurrency.
 */
import { createStep, createWorkflow } from '@mastra/core/workflows';
import { z } from 'zod';
import {
  branchPrompt,
  diamondBranches,
  itemPrompt,
  joinPrompt,
  type PeerShape,
  planPrompt,
  stepPrompt,
} from '../peer/shapes';

type Call = (prompt: string) => Promise<string>;
const text = z.object({ text: z.string() });

const callStep = (id: string, prompt: string, call: Call) =>
  createStep({
    id,
    inputSchema: z.any(),
    outputSchema: text,
    execute: async () => ({ text: await call(prompt) }),
  });

export function build(shape: PeerShape, call: Call): () => Promise<unknown> {
  let workflow: any;
  if (shape.kind === 'sequential') {
    workflow = createWorkflow({ id: shape.id, inputSchema: z.any(), outputSchema: text });
    for (let index = 0; index < shape.calls; index++)
      workflow = workflow.then(callStep(`s${index}`, stepPrompt(index), call));
  } else if (shape.kind === 'fanout') {
    const list = createStep({
      id: 'list',
      inputSchema: z.any(),
      outputSchema: z.array(z.number()),
      execute: async () => Array.from({ length: shape.calls }, (_, index) => index),
    });
    const item = createStep({
      id: 'item',
      inputSchema: z.number(),
      outputSchema: text,
      execute: async ({ inputData }) => ({ text: await call(itemPrompt(inputData)) }),
    });
    workflow = createWorkflow({ id: shape.id, inputSchema: z.any(), outputSchema: z.any() })
      .then(list)
      .foreach(item, { concurrency: shape.concurrency });
  } else {
    const branches = Array.from({ length: diamondBranches }, (_, branch) =>
      createWorkflow({ id: `b${branch}`, inputSchema: z.any(), outputSchema: text })
        .then(callStep(`b${branch}a`, branchPrompt(branch, 'a'), call))
        .then(callStep(`b${branch}b`, branchPrompt(branch, 'b'), call))
        .commit(),
    );
    workflow = createWorkflow({ id: shape.id, inputSchema: z.any(), outputSchema: text })
      .then(callStep('plan', planPrompt, call))
      .parallel(branches)
      .then(callStep('join', joinPrompt, call));
  }
  const committed = workflow.commit();
  return async () => {
    const run = await committed.createRun();
    const result = await run.start({ inputData: {} });
    if (result.status !== 'success') throw result.error ?? new Error(`Mastra run ${result.status}`);
    return result.result;
  };
}
