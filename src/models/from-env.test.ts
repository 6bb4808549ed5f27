import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { fromEnv } from './from-env';

function refusal(env: Record<string, string>): InvalidArgumentError {
  try {
    fromEnv({ env, log: false });
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`fromEnv accepted ${JSON.stringify(env)}`);
}

describe('fromEnv: URL variables', () => {
  it.each([
    ['INCEPTION_BASE_URL', { INCEPTION_API_KEY: 'k', INCEPTION_BASE_URL: 'api.example.com/v1' }],
    ['DEEPSEEK_BASE_URL', { DEEPSEEK_API_KEY: 'k', DEEPSEEK_BASE_URL: 'ftp://proxy.example' }],
    ['OPENAI_BASE_URL', { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://' }],
    ['HOTPATH_EMULATOR_URL', { HOTPATH_EMULATOR_URL: '127.0.0.1:8787' }],
  ])('refuses a %s that is no http(s) URL, naming the variable', (variable, env) => {
    const error = refusal(env);
    expect(error.argument).toBe(variable);
    expect(error.message).toBe(
      `Expected \`${variable}\` to be an http(s) URL (e.g. \`https://api.example.com/v1\`), got \`${env[variable as keyof typeof env]}\``,
    );
  });

  it('masks credentials in a refused URL, as the endpoints check does', () => {
    const error = refusal({
      INCEPTION_API_KEY: 'k',
      INCEPTION_BASE_URL: 'ftp://user:hunter2@proxy.example/v1',
    });
    expect(error.message).toContain('got `ftp://***@proxy.example/v1`');
    expect(error.message).not.toContain('hunter2');
  });

  it('takes good URLs, trimmed, and a blank one as unset', () => {
    const lines: string[] = [];
    fromEnv({
      env: { INCEPTION_API_KEY: 'k', INCEPTION_BASE_URL: ' https://proxy.example/v1 ' },
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toContain('mercury-2 (INCEPTION_API_KEY via proxy.example)');
    fromEnv({
      env: { INCEPTION_API_KEY: 'k', INCEPTION_BASE_URL: '  ' },
      log: (line) => lines.push(line),
    });
    expect(lines[1]).toContain('mercury-2 (INCEPTION_API_KEY);');
    const pool = fromEnv({ env: { HOTPATH_EMULATOR_URL: ' http://127.0.0.1:8787 ' }, log: false });
    expect(pool.description).toMatch(/^the emulator at http:\/\/127\.0\.0\.1:8787\/v1: /);
  });
});

describe('fromEnv: keys and the line it prints', () => {
  it('names the variable of a blank key, not an `apiKey` argument', () => {
    const error = refusal({ INCEPTION_API_KEY: '   ' });
    expect(error.argument).toBe('INCEPTION_API_KEY');
    expect(error.message).toBe('Expected `INCEPTION_API_KEY` to be an API key, got a blank value');
    expect(refusal({ OPENAI_API_KEY: '\t' }).argument).toBe('OPENAI_API_KEY');
  });

  it('says when a *_ENDPOINTS variable is set without its key', () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    fromEnv({ env: { INCEPTION_ENDPOINTS: 'eu=https://eu.example/v1' }, log });
    expect(lines[0]).toMatch(/^hotpath: no provider key set \(/);
    expect(lines[0]).toMatch(/; INCEPTION_ENDPOINTS is ignored without INCEPTION_API_KEY$/);
    fromEnv({
      env: { OPENAI_API_KEY: 'k', DEEPSEEK_ENDPOINTS: 'cn=https://cn.example/v1' },
      log,
    });
    expect(lines[1]).toMatch(/^hotpath: using gpt-5-mini \(OPENAI_API_KEY\); /);
    expect(lines[1]).toMatch(/; DEEPSEEK_ENDPOINTS is ignored without DEEPSEEK_API_KEY$/);
    fromEnv({ env: { OPENAI_API_KEY: 'k', OPENAI_ENDPOINTS: 'us=https://us.example/v1' }, log });
    expect(lines[2]).not.toContain('ignored');
  });
});
