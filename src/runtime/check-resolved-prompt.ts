import type { LlmStepDefinition } from '../chain';
import { describeValue } from '../errors/invalid-argument-error';

/**
 * Throws when a step's `prompt`, `system` or `messages` function returned something the model
 * cannot be sent (an arrow with a block body and no `return` gives `undefined`), before any
 * provider request. The runtime reports it as a `StepError` (`reason: 'function'`) naming the step.
 */
export function checkResolvedPrompt(
  definition: LlmStepDefinition,
  resolved: { prompt: unknown; messages: unknown; system: unknown },
): void {
  // Run for every call: plain tests, no list to walk.
  const { prompt, system, messages } = resolved;
  if (definition.prompt !== undefined && typeof prompt !== 'string') {
    fail('prompt', 'a string', prompt);
  }
  if (definition.system !== undefined && typeof system !== 'string') {
    fail('system', 'a string', system);
  }
  if (definition.messages === undefined) return;
  if (!Array.isArray(messages) || !messages.every(isMessage)) {
    fail('messages', 'an array of messages (`{ role, content }`)', messages);
  }
}

function isMessage(value: unknown): boolean {
  return typeof (value as { role?: unknown } | null)?.role === 'string';
}

function fail(key: string, expected: string, value: unknown): never {
  throw new TypeError(
    `Expected \`${key}\` to return ${expected}, got \`${describeValue(value)}\` (${typeof value})`,
  );
}
