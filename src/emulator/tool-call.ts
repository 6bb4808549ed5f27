import { generateJsonInstance } from './json-instance';
import { createRandom, deriveSeed, hashString } from './random';

/** A tool the caller offers: its name and the JSON schema of its input. */
export interface EmulatedTool {
  readonly name: string;
  readonly inputSchema: unknown;
}

/** Which tool calls the caller allows, as in the AI SDK (`{ toolName }` forces one tool). */
export type EmulatedToolChoice = 'auto' | 'none' | 'required' | { readonly toolName: string };

/** A tool call the emulator answers with; `input` is the JSON text of the arguments. */
export interface EmulatedToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: string;
}

/** What {@link planToolCall} reads of a request. */
export interface ToolCallContext {
  readonly tools?: readonly EmulatedTool[];
  readonly toolChoice?: EmulatedToolChoice;
  /** Role of the last message: a model calls a tool for a user, and answers a tool result. */
  readonly lastRole?: 'system' | 'user' | 'assistant' | 'tool';
  readonly promptText: string;
}

/**
 * The tool call a model makes for this conversation, if it makes one: always when the choice is
 * `required` or names a tool (as the real APIs do), on `auto` when the last message is the
 * user's, never after a tool result on `auto` or with `none`. It calls a tool the prompt names,
 * else a seeded pick; the arguments are a valid instance of the tool's input schema.
 */
export function planToolCall(
  context: ToolCallContext,
  seed: number,
  modelId: string,
): EmulatedToolCall | undefined {
  const tools = context.tools ?? [];
  const choice = context.toolChoice ?? 'auto';
  if (tools.length === 0 || choice === 'none') return undefined;
  if (choice === 'auto' && context.lastRole !== 'user') return undefined;
  const random = createRandom(deriveSeed(seed, modelId, context.promptText, 'tool-call'));
  const tool =
    typeof choice === 'object'
      ? tools.find((candidate) => candidate.name === choice.toolName)
      : (tools.find((candidate) => context.promptText.includes(candidate.name)) ??
        random.pick(tools));
  if (tool === undefined) return undefined;
  const value = generateJsonInstance(tool.inputSchema ?? { type: 'object' }, random);
  // Tool arguments are always an object on the wire, whatever a loose schema allows.
  const input = JSON.stringify(typeof value === 'object' && value !== null ? value : {});
  const id = `call_${hashString(`${seed}\u001f${context.promptText}\u001f${tool.name}`).toString(36)}`;
  return { id, name: tool.name, input };
}
