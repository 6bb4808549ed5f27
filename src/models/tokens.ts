/**
 * Token counting shared by the runtime (budgets, limits, the bill of a call cut short) and the
 * emulator (the usage it reports): one count, so what a run records matches what it was served.
 */

/**
 * Approximates how many tokens a text costs: `Math.ceil(text.length / 4)`, 0 for empty text.
 *
 * BPE tokenizers average about 4 characters per token on English text (OpenAI's published rule
 * of thumb). The emulator reports usage and derives its timing from this same count, so the
 * numbers a run records stay consistent with each other and stable across versions.
 *
 * @example
 * countTokens('hello world'); // 3
 */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI documents ~4. */
export const messageOverheadTokens = 4;

/** A message as far as counting goes: an AI SDK `ModelMessage` or a provider prompt message. */
export interface CountedMessage {
  readonly role: string;
  readonly content: string | readonly CountedPart[];
}

/** A message part as far as counting goes. */
export interface CountedPart {
  readonly type: string;
  readonly text?: string;
  readonly input?: unknown;
  readonly output?: unknown;
}

/**
 * The texts of a prompt's messages that count as tokens: text and reasoning, tool-call inputs as
 * JSON, tool results as `@ai-sdk/openai` sends them. Pushed onto `into`.
 */
export function messageTexts(messages: readonly CountedMessage[], into: string[] = []): string[] {
  for (const message of messages) {
    if (typeof message.content === 'string') {
      into.push(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') into.push(part.text ?? '');
      else if (part.type === 'tool-call') into.push(JSON.stringify(part.input));
      else if (part.type === 'tool-result') into.push(toolOutputText(part.output));
    }
  }
  return into;
}

/** A prompt's tokens: its texts joined by newlines, plus {@link messageOverheadTokens} a message. */
export function countPromptTokens(texts: readonly string[], messageCount: number): number {
  // The length of `texts.join('\n')`, without making the joined string (this runs every call).
  let length = Math.max(0, texts.length - 1);
  for (const text of texts) length += text.length;
  return Math.ceil(length / 4) + messageCount * messageOverheadTokens;
}

/**
 * The tokens of a call's prompt, counted as the emulator counts what the AI SDK sends for it: a
 * `system` text is one message, a `prompt` one user message, `messages` as they are.
 */
export function countCallTokens(call: {
  readonly system?: string;
  readonly prompt?: string;
  readonly messages?: readonly CountedMessage[];
}): number {
  const texts: string[] = [];
  if (call.system !== undefined) texts.push(call.system);
  if (call.messages === undefined) texts.push(call.prompt ?? '');
  else messageTexts(call.messages, texts);
  const count = (call.system === undefined ? 0 : 1) + (call.messages?.length ?? 1);
  return countPromptTokens(texts, count);
}

/** A tool result's text as `@ai-sdk/openai` sends it, so both transports count it alike. */
function toolOutputText(output: unknown): string {
  const result = output as { type?: string; value?: unknown; reason?: string } | undefined;
  switch (result?.type) {
    case 'text':
      return String(result.value);
    case 'error-text':
    case 'error-json':
      return JSON.stringify({ error: result.value });
    case 'execution-denied':
      return result.reason ?? 'Tool call execution denied.';
    default:
      return JSON.stringify(result?.value);
  }
}
