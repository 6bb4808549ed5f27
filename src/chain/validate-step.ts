import { ChainDefinitionError, InvalidArgumentError } from '../errors';
import { assertWholeNumber } from '../errors/invalid-argument-error';
import {
  assertKnownKeys,
  assertNumber,
  assertObject,
  assertOneOf,
  assertType,
  type OptionKeys,
} from '../errors/option-checks';
import { checkRegions } from '../models/regions';
import type { MapOptions } from './chain';
import { checkOutputSchema } from './check-output-schema';
import {
  type CallTimeouts,
  fnStepKeys,
  llmStepKeys,
  type StepDefinition,
  type StepRequirements,
  stepExpectationKeys,
} from './step';

/** Every key of `MapOptions` (kept here, not beside the type, to keep `chain.ts` free of cycles). */
export const mapOptionKeys: OptionKeys<MapOptions<string>> = {
  concurrency: true,
  needs: true,
  expect: true,
  onItemError: true,
  pipeline: true,
};
const timeoutKeys: OptionKeys<CallTimeouts> = { firstTokenMs: true, totalMs: true, idleMs: true };
const requirementKeys: OptionKeys<StepRequirements> = { tools: true };

/**
 * Checks a step's definition once, when the step is added to a chain: unknown option keys (with
 * the nearest known one) and every value, in p-queue's voice. Throws a `ChainDefinitionError`
 * naming the chain and the step.
 */
export function validateStep(chain: string, stepId: string, step: StepDefinition): void {
  atStep(chain, stepId, () => {
    if (step.kind === 'fn') checkFnStep(step as unknown as Record<string, unknown>);
    else checkLlmStep(step as unknown as Record<string, unknown>);
  });
}

/** Checks the options of `.step(name, options, step)` and `.map(name, over, step, options)`. */
export function validateStepOptions(
  chain: string,
  stepId: string,
  options: unknown,
  method: '.step' | '.map',
): void {
  atStep(chain, stepId, () => {
    const o = assertObject('options', options);
    assertKnownKeys(o, method === '.map' ? Object.keys(mapOptionKeys) : ['needs'], method);
    if (method === '.map' && o.expect !== undefined) {
      assertKnownKeys(assertObject('expect', o.expect), ['items'], method, 'expect.');
    }
    if (method !== '.map') return;
    if (o.concurrency !== undefined) assertWholeNumber('concurrency', o.concurrency);
    const items = (o.expect as { items?: unknown } | undefined)?.items;
    if (items !== undefined) assertWholeNumber('expect.items', items, 0);
  });
}

/** Checks `timeouts` (runtime) or `timeout` (step): each limit milliseconds above 0, or `false`. */
export function checkTimeouts(argument: string, value: unknown, owner: string): void {
  const timeouts = assertObject(argument, value);
  assertKnownKeys(timeouts, Object.keys(timeoutKeys), owner, `${argument}.`);
  for (const key of Object.keys(timeoutKeys)) {
    if (timeouts[key] !== undefined && timeouts[key] !== false)
      assertNumber(`${argument}.${key}`, timeouts[key], { above: true, infinite: true });
  }
}

function checkLlmStep(step: Record<string, unknown>): void {
  const owner = step.tools === undefined ? 'llm' : 'agent';
  assertKnownKeys(step, Object.keys(llmStepKeys), owner);
  for (const key of ['prompt', 'system'] as const) {
    const value = step[key];
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'function') {
      throw new InvalidArgumentError({
        argument: key,
        expected: 'a string or a function of the context',
        value,
      });
    }
  }
  if (
    step.messages !== undefined &&
    !Array.isArray(step.messages) &&
    typeof step.messages !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument: 'messages',
      expected: 'an array of messages or a function of the context',
      value: step.messages,
    });
  }
  checkNotBoth(step, owner);
  if (step.output !== undefined) checkOutputSchema(step.output);
  if (step.lane !== undefined) assertOneOf('lane', step.lane, ['fast', 'cheap']);
  if (step.callPath !== undefined) assertOneOf('callPath', step.callPath, ['auto', 'streamText']);
  if (step.models !== undefined) checkModelList(step.models);
  checkRegions('regions', step.regions);
  if (step.expect !== undefined) {
    const expect = assertObject('expect', step.expect);
    assertKnownKeys(expect, Object.keys(stepExpectationKeys), owner, 'expect.');
    for (const [key, value] of Object.entries(expect)) {
      if (value !== undefined) assertNumber(`expect.${key}`, value);
    }
  }
  if (step.requires !== undefined) {
    const requires = assertObject('requires', step.requires);
    assertKnownKeys(requires, Object.keys(requirementKeys), owner, 'requires.');
    if (requires.tools !== undefined) assertType('requires.tools', requires.tools, 'boolean');
  }
  if (step.maxOutputTokens !== undefined)
    assertWholeNumber('maxOutputTokens', step.maxOutputTokens);
  if (step.temperature !== undefined) assertNumber('temperature', step.temperature);
  if (step.timeout !== undefined) checkTimeouts('timeout', step.timeout, owner);
  if (step.hedge !== undefined) assertType('hedge', step.hedge, 'boolean');
  if (step.repair !== undefined) assertType('repair', step.repair, 'boolean');
  if (step.cache !== undefined) assertType('cache', step.cache, 'boolean');
  if (step.tools !== undefined) assertObject('tools', step.tools);
  if (step.maxSteps !== undefined) assertWholeNumber('maxSteps', step.maxSteps);
  if (step.emulatedTools !== undefined) checkEmulatedTools(step.emulatedTools, step.tools);
}

/** A step sends a `prompt` or `messages`; with both, the prompt would never be sent. */
function checkNotBoth(step: Record<string, unknown>, owner: string): void {
  if (step.prompt === undefined || step.messages === undefined) return;
  throw new InvalidArgumentError({
    argument: 'prompt',
    message: `Expected \`prompt\` or \`messages\` of \`${owner}\`, got both (only \`messages\` would be sent): put the prompt in the last user message`,
  });
}

function checkEmulatedTools(value: unknown, tools: unknown): void {
  if (value === 'run' || value === 'skip') return;
  const names = Object.keys((tools as object | undefined) ?? {});
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string')) {
    throw new InvalidArgumentError({
      argument: 'emulatedTools',
      expected: "'run', 'skip' or an array of tool names",
      value,
    });
  }
  for (const name of value as string[]) {
    if (!names.includes(name)) {
      throw new InvalidArgumentError({
        argument: 'emulatedTools',
        message: `Unknown tool \`${name}\` in \`emulatedTools\`; the tools are ${names.map((tool) => `\`${tool}\``).join(', ')}`,
      });
    }
  }
}

function checkFnStep(step: Record<string, unknown>): void {
  assertKnownKeys(step, Object.keys(fnStepKeys), 'fn');
  assertType('run', step.run, 'function');
  if (step.expect !== undefined) {
    const expect = assertObject('expect', step.expect);
    assertKnownKeys(expect, ['durationMs'], 'fn', 'expect.');
    if (expect.durationMs !== undefined) assertNumber('expect.durationMs', expect.durationMs);
  }
}

function checkModelList(value: unknown): void {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((id) => typeof id !== 'string' || id === '')
  ) {
    throw new InvalidArgumentError({
      argument: 'models',
      expected: 'a non-empty array of model ids',
      value,
    });
  }
}

/** Runs `check`, turning an `InvalidArgumentError` into a `ChainDefinitionError` naming the step. */
function atStep(chain: string, stepId: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw new ChainDefinitionError({
      chain,
      stepId,
      reason: 'invalid-option',
      message: error.message,
    });
  }
}
