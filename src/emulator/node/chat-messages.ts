import { type EmulatedHttpError, openAIError } from '../openai-error';
import { measurePrompt, type PromptText } from '../prompt-text';

const roles = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
type Role = (typeof roles)[number];

/**
 * Reads the `messages` of a chat completions body into the prompt text the engine uses, counted
 * as the in-process model counts an AI SDK prompt; or the 400 the OpenAI API gives for them.
 */
export function readChatMessages(
  messages: unknown,
  developerRole: boolean,
  modelId: string,
): PromptText | EmulatedHttpError {
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid(
      messages === undefined
        ? "Missing required parameter: 'messages'."
        : "Invalid 'messages': expected a non-empty array of messages.",
      'messages',
      messages === undefined ? 'missing_required_parameter' : 'invalid_type',
    );
  }
  const parts: string[] = [];
  let lastRole: Role | undefined;
  for (const [index, message] of messages.entries()) {
    const role = (message as { role?: unknown } | null)?.role;
    if (!roles.includes(role as Role)) {
      return invalid(
        `Invalid value for 'messages[${index}].role': expected one of ${roles.join(', ')}, got ${JSON.stringify(role)}.`,
        `messages[${index}].role`,
        'invalid_value',
      );
    }
    if (role === 'developer' && !developerRole) {
      // Inception's API, for one, refuses the role that OpenAI's reasoning models expect.
      return invalid(
        `The model \`${modelId}\` does not support the 'developer' role in 'messages[${index}]'; use 'system'.`,
        `messages[${index}].role`,
        'unsupported_value',
      );
    }
    lastRole = role as Role;
    parts.push(...messageTexts(message as Record<string, unknown>));
  }
  const last = lastRole === 'developer' ? 'system' : lastRole;
  return measurePrompt(parts, messages.length, last);
}

function messageTexts(message: Record<string, unknown>): string[] {
  const texts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) {
      const text = (part as { text?: unknown } | null)?.text;
      if (typeof text === 'string') texts.push(text);
    }
  }
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      const args = (call as { function?: { arguments?: unknown } } | null)?.function?.arguments;
      if (typeof args === 'string') texts.push(args);
    }
  }
  return texts;
}

function invalid(message: string, param: string, code: string): EmulatedHttpError {
  return openAIError(400, message, { type: 'invalid_request_error', param, code });
}
