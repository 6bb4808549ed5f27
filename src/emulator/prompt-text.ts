import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { countPromptTokens, messageOverheadTokens, messageTexts } from '../models/tokens';

export { messageOverheadTokens };

/** A prompt as the engine reads it: its text, its size and who spoke last. */
export interface PromptText {
  readonly text: string;
  readonly tokens: number;
  readonly lastRole?: 'system' | 'user' | 'assistant' | 'tool';
}

/**
 * Joins message texts and counts them the way usage reports them: the text's tokens plus
 * {@link messageOverheadTokens} per message. Both transports count with this, and so does the
 * runtime when it bills a call that was cut before its usage arrived.
 */
export function measurePrompt(
  parts: readonly string[],
  messageCount: number,
  lastRole?: PromptText['lastRole'],
): PromptText {
  return { text: parts.join('\n'), tokens: countPromptTokens(parts, messageCount), lastRole };
}

/** The text of every message in `prompt`, joined, its size in tokens and the last role. */
export function readPrompt(prompt: LanguageModelV4Prompt): PromptText {
  return measurePrompt(messageTexts(prompt), prompt.length, prompt.at(-1)?.role);
}
