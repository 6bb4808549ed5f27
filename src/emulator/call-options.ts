import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { EmulatedRequest } from './engine';
import { readPrompt } from './prompt-text';
import type { EmulatedToolChoice } from './tool-call';

/** Reads AI SDK call options the way the HTTP server reads a chat completions body. */
export function toEmulatedRequest(options: LanguageModelV4CallOptions): EmulatedRequest {
  const prompt = readPrompt(options.prompt);
  const format = options.responseFormat;
  const tools = (options.tools ?? []).flatMap((tool) =>
    tool.type === 'function' ? [{ name: tool.name, inputSchema: tool.inputSchema }] : [],
  );
  return {
    promptText: prompt.text,
    inputTokens: prompt.tokens,
    lastRole: prompt.lastRole,
    maxOutputTokens: options.maxOutputTokens,
    json: format?.type === 'json',
    jsonSchema: format?.type === 'json' ? format.schema : undefined,
    ...(tools.length > 0 && { tools, toolChoice: toToolChoice(options.toolChoice) }),
  };
}

function toToolChoice(choice: LanguageModelV4CallOptions['toolChoice']): EmulatedToolChoice {
  if (choice === undefined) return 'auto';
  return choice.type === 'tool' ? { toolName: choice.toolName } : choice.type;
}
