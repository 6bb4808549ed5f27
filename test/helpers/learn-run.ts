// Runs the `learn` chain `runs` times on an emulated world whose DeepSeek decodes at 30 tok/s (the
// catalog believes 90), all on the cheap lane, feeding a file estimate store: the writer process
// of the two-process store tests.
import {
  chain,
  createRuntime,
  createVirtualClock,
  deepseekFlash,
  llm,
  mercury2,
  models,
} from 'hotpath';
import { createFileEstimateStore } from 'hotpath/node';
import { z } from 'zod';

export const learn = chain('learn', { input: z.object({ q: z.string() }) }).step(
  'summary',
  llm({
    prompt: ({ input }) => `Summarise: ${input.q}`,
    expect: { inputTokens: 400, outputTokens: 300 },
  }),
);

if (process.argv[2] !== undefined) {
  const [path, runs = '1'] = process.argv.slice(2);
  const slowDeepSeek = { ...deepseekFlash, outputTokensPerSecond: 30 };
  const pool = models.emulated({ profiles: [mercury2, slowDeepSeek], clock: createVirtualClock() });
  const runtime = createRuntime({
    models: pool,
    objective: 'cost',
    history: createFileEstimateStore({ path: path! }),
  });
  for (let run = 0; run < Number(runs); run++) await runtime.run(learn, { q: `topic ${run}` });
}
