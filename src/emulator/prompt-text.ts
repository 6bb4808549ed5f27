import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { countTokens } from './tokens';

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI documents ~4. */
export const messageOverheadTokens = 4;

/** The text of every message in `prompt`, joined, and its size in tokens. */
export function readPrompt(prompt: LanguageModelV4Prompt): { text: string; tokens: number } {
  const parts: string[] = [];
  for (const message of prompt) {
    if (typeof message.content === 'string') {
      parts.push(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') parts.push(part.text);
      else if (part.type === 'tool-call') parts.push(JSON.stringify(part.input));
      else if (part.type === 'tool-result') parts.push(JSON.stringify(part.output));
    }
  }
  const text = parts.join('\n');
  return { text, tokens: countTokens(text) + prompt.length * messageOverheadTokens };
}
