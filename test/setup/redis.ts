import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:PORT` of the Redis the setup started, or `''` where it could not. */
    redisUrl: string;
  }
}

const candidates = [
  process.env.REDIS_SERVER,
  '/usr/bin/redis-server',
  '/usr/local/bin/redis-server',
];

/**
 * Starts one `redis-server` for the test run on a free loopback port (other worktrees run their
 * tests at the same time), persistence off, and stops it afterwards. Where `redis-server` is
 * missing the Redis tests are skipped with a printed reason; under `CI=true` that is a failure.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binary = candidates.find((path) => path !== undefined && existsSync(path));
  if (binary === undefined) {
    const reason = 'redis-server not found (apt-get install -y redis-server): Redis tests skipped';
    if (process.env.CI === 'true') throw new Error(`${reason}; CI needs them`);
    console.warn(`[redis] ${reason}`);
    project.provide('redisUrl', '');
    return async () => {};
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await ready(child);
      project.provide('redisUrl', `redis://127.0.0.1:${port}`);
      return () => stop(child);
    } catch (error) {
      lastError = error;
      await stop(child);
    }
  }
  throw new Error(`redis-server did not start: ${String(lastError)}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ready line: ${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
