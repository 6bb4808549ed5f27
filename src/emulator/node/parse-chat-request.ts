import type { ModelProfile } from '../../models/profile';
import type { EmulatedRequest } from '../engine';
import { type EmulatedHttpError, openAIError } from '../openai-error';
import type { EmulatedTool, EmulatedToolChoice } from '../tool-call';
import { readChatMessages } from './chat-messages';

/** A chat completions request the emulator can answer. */
export interface ChatRequest {
  readonly profile: ModelProfile;
  readonly request: EmulatedRequest;
  readonly stream: boolean;
  /** `stream_options.include_usage`: send a last chunk with the usage. */
  readonly includeUsage: boolean;
}

type Body = Record<string, unknown>;

/**
 * Validates a parsed `POST /v1/chat/completions` body the way the OpenAI API does, naming the
 * parameter at fault: a request to answer, or the 4xx error to send.
 */
export function parseChatRequest(
  body: unknown,
  findModel: (id: string) => ModelProfile | undefined,
): ChatRequest | EmulatedHttpError {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('The request body must be a JSON object.', null, 'invalid_type');
  }
  const fields = body as Body;
  if (typeof fields.model !== 'string' || fields.model === '') {
    return invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  const profile = findModel(fields.model);
  if (profile === undefined) {
    return openAIError(
      404,
      `The model \`${fields.model}\` does not exist or you do not have access to it.`,
      { type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
    );
  }
  const prompt = readChatMessages(fields.messages, profile.capabilities.developerRole, profile.id);
  if ('status' in prompt) return prompt;
  const maxOutputTokens = readMaxTokens(fields);
  if (typeof maxOutputTokens === 'object') return maxOutputTokens;
  // As the providers do: the prompt and the longest answer asked for must fit the context window.
  if (maxOutputTokens !== undefined && prompt.tokens + maxOutputTokens > profile.contextWindow) {
    return invalid(
      `This model's maximum context length is ${profile.contextWindow} tokens. However, you requested ${prompt.tokens + maxOutputTokens} tokens (${prompt.tokens} in the messages, ${maxOutputTokens} in the completion). Please reduce the length of the messages or completion.`,
      'messages',
      'context_length_exceeded',
    );
  }
  const format = readResponseFormat(fields.response_format);
  if ('status' in format) return format;
  const tools = readTools(fields.tools, fields.tool_choice);
  if ('status' in tools) return tools;
  const unsupported = checkCapabilities(profile, format, tools);
  if (unsupported) return unsupported;
  if (fields.stream != null && typeof fields.stream !== 'boolean') {
    return invalid("Invalid type for 'stream': expected a boolean.", 'stream', 'invalid_type');
  }
  const options = fields.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    profile,
    stream: fields.stream === true,
    includeUsage: options?.include_usage === true,
    request: {
      promptText: prompt.text,
      inputTokens: prompt.tokens,
      lastRole: prompt.lastRole,
      maxOutputTokens,
      ...format,
      ...(format.json && format.jsonSchema === undefined ? schemaInPrompt(prompt.text) : {}),
      ...tools,
    },
  };
}

const schemaIntro = 'conforms to the following schema:';

/**
 * A `json_object` request may carry its schema in the prompt instead (`@ai-sdk/deepseek` writes
 * "Return JSON that conforms to the following schema: {...}" into a system message, as
 * DeepSeek's JSON mode asks); answering with an instance of it keeps such steps working offline.
 */
function schemaInPrompt(text: string): { jsonSchema?: unknown } {
  const at = text.indexOf(schemaIntro);
  const start = at < 0 ? -1 : text.indexOf('{', at);
  if (start < 0) return {};
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) {
      try {
        return { jsonSchema: JSON.parse(text.slice(start, index + 1)) };
      } catch {
        return {};
      }
    }
  }
  return {};
}

/** A profile without tools or structured output refuses them, as such an API would. */
function checkCapabilities(
  profile: ModelProfile,
  format: { jsonSchema?: unknown },
  tools: { tools?: readonly EmulatedTool[] },
): EmulatedHttpError | undefined {
  if (format.jsonSchema !== undefined && !profile.capabilities.structuredOutput) {
    return invalid(
      `The model \`${profile.id}\` does not support 'json_schema' response formats.`,
      'response_format',
      'unsupported_value',
    );
  }
  if ((tools.tools?.length ?? 0) > 0 && !profile.capabilities.tools) {
    return invalid(
      `The model \`${profile.id}\` does not support tools.`,
      'tools',
      'unsupported_value',
    );
  }
  return undefined;
}

function readMaxTokens(fields: Body): number | undefined | EmulatedHttpError {
  for (const name of ['max_completion_tokens', 'max_tokens'] as const) {
    const value = fields[name];
    if (value == null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      return invalid(
        `Invalid '${name}': expected a whole number from 1 up.`,
        name,
        'invalid_value',
      );
    }
    return value;
  }
  return undefined;
}

function readResponseFormat(
  format: unknown,
): { json?: boolean; jsonSchema?: unknown } | EmulatedHttpError {
  const type = (format as { type?: unknown } | null | undefined)?.type;
  if (format == null || type === 'text') return {};
  if (type === 'json_object') return { json: true };
  if (type === 'json_schema') {
    const schema = (format as { json_schema?: { schema?: unknown } }).json_schema?.schema;
    return { json: true, jsonSchema: schema ?? { type: 'object' } };
  }
  return invalid(
    "Invalid 'response_format.type': expected 'text', 'json_object' or 'json_schema'.",
    'response_format.type',
    'invalid_value',
  );
}

function readTools(
  tools: unknown,
  choice: unknown,
): { tools?: EmulatedTool[]; toolChoice?: EmulatedToolChoice } | EmulatedHttpError {
  if (tools == null) return {};
  if (!Array.isArray(tools))
    return invalid("Invalid 'tools': expected an array.", 'tools', 'invalid_type');
  const read: EmulatedTool[] = [];
  for (const [index, tool] of tools.entries()) {
    const fn = (tool as { type?: unknown; function?: { name?: unknown; parameters?: unknown } })
      ?.function;
    if ((tool as { type?: unknown })?.type !== 'function' || typeof fn?.name !== 'string') {
      return invalid(
        `Invalid 'tools[${index}]': expected { type: 'function', function: { name, parameters } }.`,
        `tools[${index}]`,
        'invalid_value',
      );
    }
    read.push({ name: fn.name, inputSchema: fn.parameters ?? { type: 'object', properties: {} } });
  }
  const toolChoice = readToolChoice(choice, read);
  return 'status' in toolChoice ? toolChoice : { tools: read, toolChoice: toolChoice.value };
}

function readToolChoice(
  choice: unknown,
  tools: readonly EmulatedTool[],
): { value: EmulatedToolChoice } | EmulatedHttpError {
  if (choice == null) return { value: 'auto' };
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { value: choice };
  const name = (choice as { function?: { name?: unknown } }).function?.name;
  if (typeof name === 'string' && tools.some((tool) => tool.name === name)) {
    return { value: { toolName: name } };
  }
  return invalid(
    `Invalid 'tool_choice': expected 'auto', 'none', 'required' or a function among 'tools', got ${JSON.stringify(choice)}.`,
    'tool_choice',
    'invalid_value',
  );
}

function invalid(message: string, param: string | null, code: string): EmulatedHttpError {
  return openAIError(400, message, { type: 'invalid_request_error', param, code });
}
