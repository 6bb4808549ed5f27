import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'hotpath/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 100, maxBodyBytes: 4096, bodyTimeoutMs: 300 });
});
afterAll(() => emulator.close());

const chat = (body: unknown, init: RequestInit = {}) =>
  fetch(`${emulator.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });

/** Sends raw bytes and resolves with everything the server answered until it closed. */
function raw(request: string, holdOpenMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(emulator.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
    setTimeout(() => socket.destroy(), holdOpenMs);
  });
}

describe('the HTTP emulator refuses what a provider refuses, and never freezes', () => {
  it('answers max_tokens beyond the context window with a 400 at once, and keeps serving', async () => {
    const started = performance.now();
    const refused = await chat({
      model: 'mercury-2',
      max_tokens: 1e9,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('context_length_exceeded');
    expect(body.error.message).toContain('maximum context length is 128000 tokens');
    const ok = await chat({
      model: 'mercury-2',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(ok.status).toBe(200);
    // Not a timing assertion on the emulator's speed: a frozen server takes a minute here.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('answers a body over the limit with a 413, announced or not', async () => {
    const big = { model: 'mercury-2', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] };
    const announced = await chat(big);
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { error: { code: string } }).error.code).toBe(
      'request_too_large',
    );
    const text = JSON.stringify(big);
    const chunked = await raw(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${text.length.toString(16)}\r\n${text}\r\n0\r\n\r\n`,
      5_000,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413/);
  });

  it('times out a client that sends its body slowly, with a 408', async () => {
    const answer = await raw(
      'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"model":',
      10_000,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('request_timeout');
  });
});

describe('hotpath emulate on a busy port', () => {
  it('prints one line with the --port 0 hint, not a stack', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'emulate', '--port', String(emulator.port)],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(`port ${emulator.port}`);
    expect(output).toContain('--port 0');
    expect(output).not.toMatch(/\n\s+at /);
  }, 40_000);
});
