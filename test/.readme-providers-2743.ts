import { createDeepSeek } from '@ai-sdk/deepseek';
import { createRuntime, models } from 'hotpath';

const pool = models.pool([
  models.inception({ body: { reasoning_effort: 'instant' } }),
  models.deepseek({ createDeepSeek, profile: { pricing: { outputPerMTok: 0.3 } } }),
  models.deepseek({ createDeepSeek, model: 'deepseek-v4-pro' }),
]);
const runtime = createRuntime({ models: pool });

export { pool, runtime };
