import { ChainDefinitionError } from '../errors';
import type { OnItemError } from './chain';
import { type ChainDefinition, pipelineProducer, type StepNode } from './graph';
import type { StepDefinition } from './step';
import { validateStep, validateStepOptions } from './validate-step';

/**
 * The runtime side of the chain builder: each call checks its arguments (JavaScript callers get
 * the errors TypeScript would have given) and returns a new builder over a longer definition.
 * The `Chain` interface gives it its types.
 */
export function createBuilder(definition: ChainDefinition): any {
  const add = (...nodes: StepNode[]) =>
    createBuilder({
      name: definition.name,
      input: definition.input,
      ...(definition.regions !== undefined && { regions: definition.regions }),
      steps: [...definition.steps, ...nodes],
    });
  // A step without `needs` reads every earlier step, but only has to wait for the latest ones:
  // once the steps nothing depends on yet are done, everything before them is done too.
  const frontier = () => {
    const needed = new Set(definition.steps.flatMap((step) => step.needs));
    return definition.steps.filter((step) => !needed.has(step.id)).map((step) => step.id);
  };

  return {
    definition,
    step(name: string, ...rest: [StepDefinition] | [StepOptionsAny, StepDefinition]) {
      const [options, step] = rest.length === 1 ? [undefined, rest[0]] : rest;
      if (options !== undefined) validateStepOptions(definition.name, name, options, '.step');
      const needs = options ? resolveNeeds(definition, name, options.needs) : frontier();
      const node = checkedNode(definition, { id: name, kind: step?.kind, needs, definition: step });
      return add(options ? node : { ...node, readsAll: true });
    },
    parallel(steps: Record<string, StepDefinition>) {
      const needs = frontier();
      const nodes = Object.entries(steps ?? {}).map(([id, step]) => ({
        ...checkedNode(definition, { id, kind: step?.kind, needs, definition: step }),
        readsAll: true,
      }));
      return add(...nodes);
    },
    map(name: string, over: unknown, step: StepDefinition, options: MapOptionsAny = {}) {
      if (typeof over !== 'function') {
        throw new ChainDefinitionError({
          chain: definition.name,
          stepId: name,
          reason: 'invalid-option',
          message: 'Expected `over` to be a function that returns the items',
        });
      }
      validateStepOptions(definition.name, name, options, '.map');
      const { concurrency = 8, expect, onItemError = 'fail', pipeline = false } = options;
      if (!['fail', 'skip', 'collect'].includes(onItemError)) {
        throw new ChainDefinitionError({
          chain: definition.name,
          stepId: name,
          reason: 'invalid-option',
          message: `Expected \`onItemError\` to be 'fail', 'skip' or 'collect', got \`${String(onItemError)}\``,
        });
      }
      const needs = options.needs ? resolveNeeds(definition, name, options.needs) : frontier();
      const node = checkedNode(definition, { id: name, kind: 'map', needs, definition: step });
      if (pipeline !== false) checkPipeline(definition, name, needs, pipeline);
      return add({
        ...node,
        readsAll: options.needs === undefined,
        over: over as StepNode['over'],
        concurrency,
        expectItems: expect?.items,
        onItemError,
        ...(pipeline ? { pipeline: true } : {}),
      });
    },
    returns(select: unknown) {
      if (typeof select !== 'function') {
        throw new ChainDefinitionError({
          chain: definition.name,
          reason: 'invalid-option',
          message: 'Expected `.returns` to be given a function of the context',
        });
      }
      // The chain ends here: what comes back holds the definition only, so a step added after
      // `.returns` is a compile error in TypeScript and a TypeError (not a function) in JavaScript.
      return { definition: { ...definition, returns: select as ChainDefinition['returns'] } };
    },
  };
}

type StepOptionsAny = { needs?: readonly string[] };
type MapOptionsAny = StepOptionsAny & {
  concurrency?: number;
  expect?: { items?: number };
  onItemError?: OnItemError;
  pipeline?: boolean;
};

function checkPipeline(
  definition: ChainDefinition,
  stepId: string,
  needs: readonly string[],
  pipeline: unknown,
): void {
  const fail = (message: string) =>
    new ChainDefinitionError({ chain: definition.name, stepId, reason: 'invalid-option', message });
  if (pipeline !== true) {
    throw fail(
      `Expected \`pipeline\` to be a boolean, got \`${String(pipeline)}\` (${typeof pipeline})`,
    );
  }
  if (pipelineProducer(definition.steps, needs) === undefined) {
    const list = needs.map((need) => `\`${need}\``).join(', ') || 'none';
    throw fail(
      `Expected a \`pipeline\` map to need exactly one \`llm\` step with an \`output\` schema (the step whose stream it reads), got needs ${list}`,
    );
  }
}

function resolveNeeds(definition: ChainDefinition, stepId: string, needs: unknown): string[] {
  if (!Array.isArray(needs)) {
    throw new ChainDefinitionError({
      chain: definition.name,
      stepId,
      reason: 'invalid-option',
      message: 'Expected `needs` to be an array of step names',
    });
  }
  const known = new Set(definition.steps.map((step) => step.id));
  for (const need of needs) {
    if (!known.has(need)) {
      const list = [...known].map((id) => `\`${id}\``).join(', ') || 'none yet';
      throw new ChainDefinitionError({
        chain: definition.name,
        stepId,
        reason: 'unknown-dependency',
        message: `needs \`${String(need)}\`, which is not an earlier step (earlier steps: ${list})`,
      });
    }
  }
  return [...new Set(needs as string[])];
}

function checkedNode(
  definition: ChainDefinition,
  node: { id: string; kind: unknown; needs: string[]; definition: StepDefinition },
): StepNode {
  const { id } = node;
  const fail = (reason: 'invalid-step-name' | 'duplicate-step' | 'invalid-step', message: string) =>
    new ChainDefinitionError({ chain: definition.name, stepId: String(id), reason, message });
  if (typeof id !== 'string' || !/^[A-Za-z_$][\w$-]*$/.test(id)) {
    throw fail('invalid-step-name', 'Expected a step name of letters, digits, `_`, `$` or `-`');
  }
  if (id === 'input') throw fail('invalid-step-name', '`input` is reserved for the chain input');
  if (definition.steps.some((step) => step.id === id)) {
    throw fail('duplicate-step', 'a step with this name already exists');
  }
  const kind = node.definition?.kind;
  if (kind !== 'llm' && kind !== 'fn') {
    throw fail('invalid-step', 'Expected a step definition made with `llm(...)` or `fn(...)`');
  }
  if (
    kind === 'llm' &&
    node.definition.prompt === undefined &&
    node.definition.messages === undefined
  ) {
    throw fail('invalid-step', 'an `llm` step needs a `prompt` or `messages`');
  }
  validateStep(definition.name, id, node.definition);
  return {
    id,
    kind: node.kind === 'map' ? 'map' : kind,
    needs: node.needs,
    definition: node.definition,
  };
}
