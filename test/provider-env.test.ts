import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors';
import { fromEnv, providerKeys } from '../src/models/from-env';
import type { DeepSeekFactory } from '../src/models/providers';

// Construction only: no request leaves the process.
const keys = {
  INCEPTION_API_KEY: 'sk-inception-secret',
  DEEPSEEK_API_KEY: 'sk-deepseek-secret',
  OPENAI_API_KEY: 'sk-openai-secret',
} as const;

function build(env: Record<string, string>) {
  const lines: string[] = [];
  const pool = fromEnv({ env, log: (line) => lines.push(line) });
  expect(lines).toHaveLength(1);
  for (const key of Object.values(keys)) expect(lines[0]).not.toContain(key);
  return { ids: pool.models.map((entry) => entry.id), line: lines[0]!, pool };
}

const pick = (...names: (keyof typeof keys)[]) =>
  Object.fromEntries(names.map((name) => [name, keys[name]]));

describe('fromEnv with provider keys', () => {
  it.each([
    [
      ['INCEPTION_API_KEY'],
      ['mercury-2'],
      'hotpath: using mercury-2 (INCEPTION_API_KEY); one model for both lanes: mercury-2; set DEEPSEEK_API_KEY for a cheap lane on deepseek-flash',
    ],
    [
      ['DEEPSEEK_API_KEY'],
      ['deepseek-flash', 'deepseek-v4-pro'],
      'hotpath: using deepseek-flash, deepseek-v4-pro (DEEPSEEK_API_KEY); one model for both lanes: deepseek-flash; set INCEPTION_API_KEY for a fast lane on mercury-2',
    ],
    [
      ['OPENAI_API_KEY'],
      ['gpt-5-mini'],
      'hotpath: using gpt-5-mini (OPENAI_API_KEY); one model for both lanes: gpt-5-mini; set INCEPTION_API_KEY for a fast lane on mercury-2; set DEEPSEEK_API_KEY for a cheap lane on deepseek-flash',
    ],
    [
      ['INCEPTION_API_KEY', 'DEEPSEEK_API_KEY'],
      ['mercury-2', 'deepseek-flash', 'deepseek-v4-pro'],
      'hotpath: using mercury-2 (INCEPTION_API_KEY), deepseek-flash, deepseek-v4-pro (DEEPSEEK_API_KEY); fast lane: mercury-2; cheap lane: deepseek-flash',
    ],
    [
      ['INCEPTION_API_KEY', 'OPENAI_API_KEY'],
      ['mercury-2', 'gpt-5-mini'],
      // Mercury is also cheaper than GPT-5 mini for a typical step ($0.75 vs $2.00 per M out).
      'hotpath: using mercury-2 (INCEPTION_API_KEY), gpt-5-mini (OPENAI_API_KEY); one model for both lanes: mercury-2; set DEEPSEEK_API_KEY for a cheap lane on deepseek-flash',
    ],
    [
      ['DEEPSEEK_API_KEY', 'OPENAI_API_KEY'],
      ['deepseek-flash', 'deepseek-v4-pro', 'gpt-5-mini'],
      // For a 1,000-in/500-out step Flash (~7.3 s at 90 tok/s) beats GPT-5 mini (~8.2 s at 71).
      'hotpath: using deepseek-flash, deepseek-v4-pro (DEEPSEEK_API_KEY), gpt-5-mini (OPENAI_API_KEY); one model for both lanes: deepseek-flash; set INCEPTION_API_KEY for a fast lane on mercury-2',
    ],
    [
      ['INCEPTION_API_KEY', 'DEEPSEEK_API_KEY', 'OPENAI_API_KEY'],
      ['mercury-2', 'deepseek-flash', 'deepseek-v4-pro', 'gpt-5-mini'],
      'hotpath: using mercury-2 (INCEPTION_API_KEY), deepseek-flash, deepseek-v4-pro (DEEPSEEK_API_KEY), gpt-5-mini (OPENAI_API_KEY); fast lane: mercury-2; cheap lane: deepseek-flash',
    ],
  ] as const)('%j gives %j and says which lanes they cover', (names, expectedIds, expectedLine) => {
    const { ids, line } = build(pick(...names));
    expect(ids).toEqual(expectedIds);
    expect(line).toBe(expectedLine);
  });

  it('uses each provider through its own AI SDK provider', () => {
    const { pool } = build(pick('INCEPTION_API_KEY', 'DEEPSEEK_API_KEY', 'OPENAI_API_KEY'));
    expect(
      pool.models.map((entry) => [entry.id, entry.model.provider, entry.profile.provider]),
    ).toEqual([
      ['mercury-2', 'inception.chat', 'inception'],
      ['deepseek-flash', 'deepseek.chat', 'deepseek'],
      ['deepseek-v4-pro', 'deepseek.chat', 'deepseek'],
      ['gpt-5-mini', 'openai.chat', 'openai'],
    ]);
  });

  it('names the host of a moved provider, never credentials in its URL', () => {
    const { line } = build({
      ...pick('DEEPSEEK_API_KEY'),
      DEEPSEEK_BASE_URL: 'https://user:hunter2@proxy.example.com:8443/deepseek',
    });
    expect(line).toContain('deepseek-v4-pro (DEEPSEEK_API_KEY via proxy.example.com:8443)');
    expect(line).not.toContain('hunter2');
  });

  it('ignores empty keys, and uses the emulator when no key is left', () => {
    const { line } = build({ INCEPTION_API_KEY: '', OPENAI_API_KEY: '' });
    expect(line).toMatch(
      /^hotpath: no provider key set \(INCEPTION_API_KEY, DEEPSEEK_API_KEY, OPENAI_API_KEY\); using the built-in emulator/,
    );
    expect(providerKeys).toEqual(['INCEPTION_API_KEY', 'DEEPSEEK_API_KEY', 'OPENAI_API_KEY']);
  });

  it('lets HOTPATH_EMULATOR_URL win over every key', () => {
    const { ids, line } = build({ ...keys, HOTPATH_EMULATOR_URL: 'http://127.0.0.1:8787' });
    expect(ids).toContain('claude-haiku-4-5');
    expect(line).toMatch(/^hotpath: using the emulator at http:\/\/127\.0\.0\.1:8787\/v1: /);
  });

  it('refuses a HOTPATH_EMULATOR_TIME_SCALE that is not above 0 with an InvalidArgumentError', () => {
    for (const scale of ['0', '-2', 'fast']) {
      const env = {
        HOTPATH_EMULATOR_URL: 'http://127.0.0.1:8787',
        HOTPATH_EMULATOR_TIME_SCALE: scale,
      };
      let caught: unknown;
      try {
        fromEnv({ env, log: () => {} });
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught)).toBe(true);
      expect((caught as InvalidArgumentError).argument).toBe('HOTPATH_EMULATOR_TIME_SCALE');
      expect((caught as Error).message).toContain(`got \`${scale}\``);
    }
  });

  it('creates DeepSeek models with the given factory lazily, on their first call', async () => {
    const made: unknown[] = [];
    const createDeepSeek: DeepSeekFactory = (settings) => {
      made.push(settings);
      return {
        chat: () => {
          throw new Error('stop here');
        },
      };
    };
    const pool = fromEnv({ env: pick('DEEPSEEK_API_KEY'), log: false, createDeepSeek });
    expect(made).toEqual([]);
    const flash = pool.get('deepseek-flash');
    await expect(flash.model.doGenerate({ prompt: [] })).rejects.toThrow('stop here');
    expect(made).toEqual([
      { apiKey: keys.DEEPSEEK_API_KEY, baseURL: undefined, headers: undefined, fetch: undefined },
    ]);
  });
});
