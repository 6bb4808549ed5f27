import { asSchema } from 'ai';
import type { ChainDefinition, StepDefinition, StepNode } from '../chain';
import { type HashPrefix, hashPrefix, hashText, stableText } from '../stores/hash';

/** Per step: its own definition's hash and its key (the hash with its upstream steps' keys). */
export interface StepKeys {
  /** The step's own definition, prompt functions by their source. */
  readonly own: ReadonlyMap<string, string>;
  /** The own hash and the keys of every step it reads: a change upstream changes it. */
  readonly key: ReadonlyMap<string, string>;
  /** Hash of every step's key: the chain's definition hash. */
  readonly definitionHash: string;
  /** Each step's key and `|` mixed into a hash: the start of its units' keys. */
  readonly unitPrefix: ReadonlyMap<string, HashPrefix>;
}

/** Keys by chain definition: a definition never changes (each builder call makes a new one). */
const computed = new WeakMap<ChainDefinition, Promise<StepKeys>>();

/**
 * Hashes a chain's steps, once per chain definition. A step's key covers its own definition
 * (kind, needs, options, prompt and `over` functions by their source text, output schema as JSON
 * Schema) and the keys of the steps it reads, so editing a step changes its key and the keys of
 * everything downstream.
 */
export function computeStepKeys(chain: ChainDefinition): Promise<StepKeys> {
  let keys = computed.get(chain);
  if (keys === undefined) {
    keys = hashSteps(chain);
    computed.set(chain, keys);
    // A definition that could not be described is tried again by the next run.
    keys.catch(() => computed.delete(chain));
  }
  return keys;
}

async function hashSteps(chain: ChainDefinition): Promise<StepKeys> {
  const own = new Map<string, string>();
  const key = new Map<string, string>();
  const earlier: string[] = [];
  for (const step of chain.steps) {
    const description = await describeStep(step);
    const ownHash = hashText(stableText(description));
    own.set(step.id, ownHash);
    const upstream = (step.readsAll ? earlier : step.needs).map((id) => key.get(id) ?? id);
    key.set(step.id, hashText(`${ownHash}|${upstream.join(',')}`));
    earlier.push(step.id);
  }
  const unitPrefix = new Map([...key].map(([id, stepKey]) => [id, hashPrefix(`${stepKey}|`)]));
  return { own, key, definitionHash: hashText([...key.values()].join(',')), unitPrefix };
}

async function describeStep(step: StepNode): Promise<unknown> {
  return {
    id: step.id,
    kind: step.kind,
    needs: step.needs,
    readsAll: step.readsAll ?? false,
    over: step.over,
    concurrency: step.concurrency,
    onItemError: step.onItemError,
    definition: await describeDefinition(step.definition),
  };
}

async function describeDefinition(definition: StepDefinition): Promise<unknown> {
  if (definition.kind === 'fn') return { kind: 'fn', run: definition.run };
  const { output, tools, cache: _cache, ...rest } = definition;
  return {
    ...rest,
    output: output === undefined ? undefined : await schemaOf(output),
    tools:
      tools === undefined
        ? undefined
        : Object.fromEntries(
            await Promise.all(
              Object.entries(tools).map(async ([name, tool]) => [
                name,
                {
                  description: tool.description,
                  execute: tool.execute,
                  input:
                    tool.inputSchema === undefined ? undefined : await schemaOf(tool.inputSchema),
                },
              ]),
            ),
          ),
  };
}

/** A schema as JSON Schema; a schema that has none is described by its own fields. */
async function schemaOf(schema: unknown): Promise<unknown> {
  try {
    return await asSchema(schema as Parameters<typeof asSchema>[0]).jsonSchema;
  } catch {
    return schema;
  }
}
