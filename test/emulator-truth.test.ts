import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { startEmulator } from 'hotpath/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emulate } from '../src/cli/commands/emulate';

afterEach(() => vi.restoreAllMocks());

describe('startEmulator({ truth }) over HTTP', () => {
  it('serves the true profiles and reports cached input through @ai-sdk/openai', async () => {
    const emulator = await startEmulator({
      timeScale: 1000,
      truth: {
        'deepseek-flash': { outputTokensPerSecond: 60, pricing: { cachedInputPerMTok: 0.01 } },
      },
    });
    try {
      const flash = emulator.models.find((profile) => profile.id === 'deepseek-flash')!;
      expect(flash.outputTokensPerSecond).toBe(60);
      const model = createOpenAI({ baseURL: emulator.baseURL, apiKey: 'any' }).chat(
        'deepseek-flash',
      );
      const shared = 'z'.repeat(1100);
      const ask = (question: string) =>
        generateText({ model, prompt: `${shared} ${question}`, maxOutputTokens: 20 });
      const first = await ask('one');
      const second = await ask('two');
      expect(first.usage.inputTokenDetails?.cacheReadTokens ?? 0).toBe(0);
      expect(second.usage.inputTokenDetails?.cacheReadTokens).toBe(256);
      expect(emulator.stats().cachedInputTokens).toBe(256);
    } finally {
      await emulator.close();
    }
  });
});

describe('hotpath emulate --truth', () => {
  async function cli(args: string[]) {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((text = '') => err.push(String(text)));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await emulate.run(args);
    vi.restoreAllMocks();
    return { code, err: err.join('\n') };
  }

  it('says what is wrong with the truth file before it starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-truth-'));
    const missing = join(dir, 'missing.json');
    expect(await cli(['--truth', missing])).toEqual({
      code: 2,
      err: `hotpath emulate: cannot read the truth file \`${missing}\`: no such file`,
    });
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{ "mercury-2": ');
    const bad = await cli(['--truth', notJson]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`hotpath emulate: the truth file \`${notJson}\` is not JSON:`);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ 'deepseek-flash': { spread: { firstToken: 'big' } } }));
    expect(await cli(['--truth', wrong])).toEqual({
      code: 2,
      err: `hotpath emulate: the truth file \`${wrong}\`: Expected \`truth.deepseek-flash.spread.firstToken\` to be a number from 0 to 3 (the σ of a log-normal spread), got \`big\` (string)`,
    });
  });
});
