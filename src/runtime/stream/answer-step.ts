import type { ChainDefinition, StepNode } from '../../chain';
import { InvalidArgumentError } from '../../errors';

/**
 * The step whose text is a streamed run's answer: the one named, else the `llm` text step whose
 * `text` the chain's `.returns` gives back as it is. `.returns` is called once on a recording
 * context (no model is called): each text step's `text` is a marker, and every other value a
 * stand-in that tolerates any use. A `.returns` that computes its answer, awaits, or returns an
 * object selects no step: name the step then.
 */
export function findAnswerStep(chain: ChainDefinition, named?: string): StepNode {
  const candidates = chain.steps.filter(isTextStep);
  if (named !== undefined) {
    const step = candidates.find((candidate) => candidate.id === named);
    if (step) return step;
    throw new InvalidArgumentError({
      argument: 'answer',
      expected: `the name of an \`llm\` step without an \`output\` schema in chain \`${chain.name}\` (${list(candidates)})`,
      value: named,
    });
  }
  const selected = chain.returns === undefined ? undefined : selectedStep(chain, candidates);
  if (selected) return selected;
  throw new InvalidArgumentError({
    argument: 'answer',
    expected: `given: the \`.returns\` of chain \`${chain.name}\` returns no text step's \`text\` as it is, so name the answer step (${list(candidates)})`,
    value: undefined,
  });
}

function isTextStep(step: StepNode): boolean {
  return (
    step.kind === 'llm' && step.definition.kind === 'llm' && step.definition.output === undefined
  );
}

function list(steps: readonly StepNode[]): string {
  return steps.length === 0
    ? 'the chain has none'
    : `one of ${steps.map((step) => `\`${step.id}\``).join(', ')}`;
}

function markerOf(stepId: string): string {
  return `\u0000hotpath-answer:${stepId}\u0000`;
}

function selectedStep(
  chain: ChainDefinition,
  candidates: readonly StepNode[],
): StepNode | undefined {
  const context: Record<string, unknown> = { input: standIn() };
  for (const step of chain.steps) context[step.id] = standIn();
  for (const step of candidates) {
    context[step.id] = new Proxy(
      { text: markerOf(step.id) },
      {
        get: (target, key) => (key === 'text' ? target.text : standIn()),
      },
    );
  }
  let result: unknown;
  try {
    result = chain.returns!(context);
  } catch {
    return undefined;
  }
  return candidates.find((step) => result === markerOf(step.id));
}

/** A value that any property access, call or iteration accepts. */
function standIn(): unknown {
  const target = () => {};
  return new Proxy(target, {
    get: (_, key) => {
      if (key === Symbol.iterator) return [][Symbol.iterator];
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'then') return undefined;
      return standIn();
    },
    apply: () => standIn(),
  });
}
