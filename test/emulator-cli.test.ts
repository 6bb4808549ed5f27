import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Starts `hotpath emulate` from source; `url` resolves once it has printed all it prints. */
function startCli(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'emulate', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL after 20 s:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
      if (match && output.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    exited.then(() => reject(new Error(`exited early:\n${output}`)));
  });
  // Commands that exit at once (--help) never print a URL; only awaited promises may reject.
  url.catch(() => {});
  return { child, url, exited, output: () => output };
}

describe('hotpath emulate', () => {
  it('prints its URL and models, injects --fault rules, and closes cleanly on Ctrl-C', async () => {
    const cli = startCli([
      '--port',
      '0',
      '--time-scale',
      '100',
      '--rtt',
      '250',
      '--fault',
      '503=4,model=gpt-5-mini',
    ]);
    try {
      const url = await cli.url;
      expect(cli.output()).toMatch(/mercury-2\s+diffusion\s+750 tok\/s/);
      expect(cli.output()).toContain('250 ms round trip');
      const ask = (model: string) =>
        fetch(`${url}/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({
            model,
            max_tokens: 5,
            messages: [{ role: 'user', content: 'hi' }],
          }),
        });
      const failed = await ask('gpt-5-mini');
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('4');
      expect((await ask('mercury-2')).status).toBe(200);
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toContain('closed after 2 requests');
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  }, 40_000);

  it('documents the fault syntax in --help and refuses a bad flag with exit code 2', async () => {
    const help = startCli(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain('KIND[=VALUE][,model=ID][,rate=P][,at=N+N...]');
    expect(help.output()).toMatch(/stall=MS\s+hold the first token/);
    const bad = startCli(['--fault', 'teapot']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('a kind among');
    const typo = startCli(['--fault', '429,model=mercury3', '--fault', '500=7']);
    expect(await typo.exited).toBe(2);
    expect(typo.output()).toMatch(
      /^hotpath emulate: Unknown model `mercury3` in `--fault 429,model=mercury3`; did you mean `mercury-2`\?\n\nUsage:/,
    );
    const value = startCli(['--fault', '500=7']);
    expect(await value.exited).toBe(2);
    expect(value.output()).toMatch(/^hotpath emulate: Expected `--fault 500=7` to be `500` alone/);
    expect(help.output()).toMatch(/--rtt MS\s+play a place MS milliseconds away/);
    const badRtt = startCli(['--rtt', 'far']);
    expect(await badRtt.exited).toBe(2);
    expect(badRtt.output()).toContain('expected `--rtt` to be milliseconds from 0 up, got `far`');
  }, 40_000);
});
