import { defineConfig } from 'tsup';

const external = [
  'ai',
  'zod',
  '@ai-sdk/openai',
  '@ai-sdk/provider',
  '@ai-sdk/deepseek',
  '@opentelemetry/api',
  'eventemitter3',
  // Loaded by `hotpath plan` for .ts modules only, when the user has it.
  'tsx',
  'ioredis',
  'bullmq',
  'pg',
];

export default defineConfig([
  {
    // The core and the OpenTelemetry entry: no Node built-ins, so they run in edge runtimes.
    entry: { index: 'src/index.ts', otel: 'src/otel.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    external,
  },
  {
    // Node-only entries: the file store and HTTP emulator, Redis, BullMQ, PostgreSQL (on `pg`), the CLI.
    entry: {
      node: 'src/node.ts',
      redis: 'src/redis.ts',
      bullmq: 'src/bullmq.ts',
      postgres: 'src/postgres.ts',
      'cli/index': 'src/cli/index.ts',
    },
    format: ['esm'],
    dts: {
      entry: {
        node: 'src/node.ts',
        redis: 'src/redis.ts',
        bullmq: 'src/bullmq.ts',
        postgres: 'src/postgres.ts',
      },
    },
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    external,
  },
]);
