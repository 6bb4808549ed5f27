/**
 * Tokens per cached block. DeepSeek's context caching stores prompts in 64-token units and
 * serves the longest cached prefix (api-docs.deepseek.com, "Context Caching" guide, as quoted in
 * the project's issue tracker, issue 13, not re-checked; the emulator counts 4 characters a token,
 * so a block is 256 characters).
 */
export const cacheBlockTokens = 64;
const blockChars = cacheBlockTokens * 4;
/** Past this many blocks kept, expired ones are swept. */
const sweepAbove = 200_000;

interface Block {
  seenAtMs: number;
  /** When the block can first be served: once the request that brought it has been read. */
  readyAtMs: number;
}

/** Prompt prefixes a model has seen, in 64-token blocks, for automatic prefix caching. */
export interface PrefixCache {
  /**
   * The tokens of `text` served from the cache at `nowMs` (whole blocks of the longest prefix
   * seen within `ttlMs`, at most `inputTokens`); then remembers the prompt's blocks, servable
   * from `readyAtMs`.
   */
  use(
    model: string,
    text: string,
    inputTokens: number,
    at: { nowMs: number; readyAtMs: number; ttlMs: number },
  ): number;
}

/** An empty prefix cache. */
export function createPrefixCache(): PrefixCache {
  const blocks = new Map<string, Block>();
  return {
    use(model, text, inputTokens, { nowMs, readyAtMs, ttlMs }) {
      const keys = blockKeys(model, text);
      let hits = 0;
      for (const key of keys) {
        const block = blocks.get(key);
        if (block === undefined || block.readyAtMs > nowMs || nowMs - block.seenAtMs > ttlMs) break;
        hits += 1;
      }
      for (const key of keys) {
        const block = blocks.get(key);
        if (block === undefined || nowMs - block.seenAtMs > ttlMs)
          blocks.set(key, { seenAtMs: nowMs, readyAtMs });
        else block.seenAtMs = nowMs;
      }
      if (blocks.size > sweepAbove) {
        for (const [key, block] of blocks) if (nowMs - block.seenAtMs > ttlMs) blocks.delete(key);
      }
      return Math.min(inputTokens, hits * cacheBlockTokens);
    },
  };
}

/** One key per whole block of `text`: the model and two running hashes of the prefix up to it. */
function blockKeys(model: string, text: string): string[] {
  const keys: string[] = [];
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 13);
    if ((index + 1) % blockChars === 0)
      keys.push(`${model}\u0000${index}\u0000${a >>> 0}:${b >>> 0}`);
  }
  return keys;
}
