import { createRuntime, models } from 'hotpath';
import { createBullmqExecutor } from 'hotpath/bullmq';
import { createRedisLimits } from 'hotpath/redis';
import { summaries } from './summaries';

// Terminal 2: REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/scaling-out/coordinator.ts
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const executor = createBullmqExecutor({ connection: { url } });
const sharedLimits = createRedisLimits({ url });
const runtime = createRuntime({ models: models.fromEnv(), executor, sharedLimits });
// The map's 2,000 items run on the workers; this process runs none, and collects them in order.
const { output, trace } = await runtime.run(summaries, { count: 2_000 }, { maxCostUsd: 1 });
const answered = output.summaries.filter((result) => result.ok).length;
console.log(`${answered} of 2000 answered, $${trace.costUsd.toFixed(4)}, ${trace.durationMs} ms`);
await executor.close();
await sharedLimits.close();
