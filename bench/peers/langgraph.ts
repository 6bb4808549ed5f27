/**
 * The peer shapes as LangGraph.js state graphs (`@langchain/langgraph`): each model call is a
 * node that awaits `generateText` on the shared mock; sequences are edges, the diamond fans out
 * and joins on edges, fan-outs are `Send`s run `maxConcurrency` at once.
 */
import { Annotation, END, Send, START, StateGraph } from '@langchain/langgraph';
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

const State = Annotation.Root({
  outputs: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  index: Annotation<number>(),
});

export function build(shape: PeerShape, call: Call): () => Promise<unknown> {
  const graph: any = new StateGraph(State);
  const node = (prompt: string) => async () => ({ outputs: [await call(prompt)] });
  if (shape.kind === 'sequential') {
    for (let index = 0; index < shape.calls; index++) graph.addNode(`s${index}`, node(stepPrompt(index)));
    graph.addEdge(START, 's0');
    for (let index = 1; index < shape.calls; index++) graph.addEdge(`s${index - 1}`, `s${index}`);
    graph.addEdge(`s${shape.calls - 1}`, END);
  } else if (shape.kind === 'fanout') {
    graph.addNode('item', async (state: { index: number }) => ({
      outputs: [await call(itemPrompt(state.index))],
    }));
    graph.addConditionalEdges(START, () =>
      Array.from({ length: shape.calls }, (_, item) => new Send('item', { index: item })),
    );
    graph.addEdge('item', END);
  } else {
    graph.addNode('plan', node(planPrompt));
    graph.addNode('join', node(joinPrompt));
    graph.addEdge(START, 'plan');
    const ends: string[] = [];
    for (let branch = 0; branch < diamondBranches; branch++) {
      graph.addNode(`b${branch}a`, node(branchPrompt(branch, 'a')));
      graph.addNode(`b${branch}b`, node(branchPrompt(branch, 'b')));
      graph.addEdge('plan', `b${branch}a`);
      graph.addEdge(`b${branch}a`, `b${branch}b`);
      ends.push(`b${branch}b`);
    }
    graph.addEdge(ends, 'join');
    graph.addEdge('join', END);
  }
  const app = graph.compile();
  const config = {
    recursionLimit: shape.calls + 10,
    ...(shape.kind === 'fanout' ? { maxConcurrency: shape.concurrency } : {}),
  };
  return () => app.invoke({ outputs: [] }, config);
}
