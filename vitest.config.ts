import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'hotpath/node': fileURLToPath(new URL('./src/node.ts', import.meta.url)),
      'hotpath/otel': fileURLToPath(new URL('./src/otel.ts', import.meta.url)),
      'hotpath/redis': fileURLToPath(new URL('./src/redis.ts', import.meta.url)),
      'hotpath/bullmq': fileURLToPath(new URL('./src/bullmq.ts', import.meta.url)),
      'hotpath/postgres': fileURLToPath(new URL('./src/postgres.ts', import.meta.url)),
      hotpath: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One redis-server on a free loopback port for the whole run (skipped, and said so, where
    // redis-server is missing; a failure under CI=true), and a throwaway PostgreSQL cluster for
    // the run-store tests (the same).
    globalSetup: ['./test/setup/redis.ts', './test/setup/postgres.ts'],
    typecheck: {
      include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    // A guard against hangs, not a speed check: CPU-bound property tests (the solvers' brute-force
    // oracles) take 2-3 s alone and several times that with both workers busy on 2 cores.
    testTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
