import type { LanguageModelV4Prompt, LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { countTokens } from './tokens';

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI documents ~4. */
export const messageOverheadTokens = 4;

/** A prompt as the engine reads it: its text, its size and who spoke last. */
export interface PromptText {
  readonly text: string;
  readonly tokens: number;
  readonly lastRole?: 'system' | 'user' | 'assistant' | 'tool';
}

/**
 * Joins message texts and counts them the way usage reports them: the text's tokens plus
 * {@link messageOverheadTokens} per message. Both transports count with this.
 */
export function measurePrompt(
  parts: readonly string[],
  messageCount: number,
  lastRole?: PromptText['lastRole'],
): PromptText {
  const text = parts.join('\n');
  return { text, tokens: countTokens(text) + messageCount * messageOverheadTokens, lastRole };
}

/** The text of every message in `prompt`, joined, its size in tokens and the last role. */
export function readPrompt(prompt: LanguageModelV4Prompt): PromptText {
  const parts: string[] = [];
  for (const message of prompt) {
    if (typeof message.content === 'string') {
      parts.push(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') parts.push(part.text);
      else if (part.type === 'tool-call') parts.push(JSON.stringify(part.input));
      else if (part.type === 'tool-result') parts.push(toolOutputText(part.output));
    }
  }
  return measurePrompt(parts, prompt.length, prompt.at(-1)?.role);
}

/** A tool result's text as `@ai-sdk/openai` sends it, so both transports count it alike. */
function toolOutputText(output: LanguageModelV4ToolResultOutput): string {
  switch (output.type) {
    case 'text':
      return output.value;
    case 'error-text':
    case 'error-json':
      return JSON.stringify({ error: output.value });
    case 'execution-denied':
      return output.reason ?? 'Tool call execution denied.';
    default:
      return JSON.stringify(output.value);
  }
}
