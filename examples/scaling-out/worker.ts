import { createRuntime, models } from 'hotpath';
import { startWorker } from 'hotpath/bullmq';
import { createRedisLimits } from 'hotpath/redis';
import { summaries } from './summaries';

// Terminal 1 (start as many as you like): REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/scaling-out/worker.ts
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runtime = createRuntime({
  models: models.fromEnv(),
  // Every worker shares each model's limits (and a run's budget) through Redis.
  sharedLimits: createRedisLimits({ url }),
});
const worker = await startWorker({
  connection: { url },
  runtime,
  chains: [summaries],
  concurrency: 32,
});
console.log('worker ready; Ctrl-C to stop');
process.on('SIGINT', () => worker.close().then(() => process.exit(0)));
