import type { TestProject } from 'vitest/node';
import { findRedisServer, startRedisServer } from '../helpers/redis-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:PORT` of the Redis the setup started, or `''` where it could not. */
    redisUrl: string;
  }
}

/**
 * Starts one `redis-server` for the test run on a free loopback port (other worktrees run their
 * tests at the same time), persistence off, and stops it afterwards. Where `redis-server` is
 * missing the Redis tests are skipped with a printed reason; under `CI=true` that is a failure.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binary = findRedisServer();
  if (binary === undefined) {
    const reason = 'redis-server not found (apt-get install -y redis-server): Redis tests skipped';
    if (process.env.CI === 'true') throw new Error(`${reason}; CI needs them`);
    console.warn(`[redis] ${reason}`);
    project.provide('redisUrl', '');
    return async () => {};
  }
  const server = await startRedisServer(binary);
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
