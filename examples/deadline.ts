import {
  type AnyChain,
  type Clock,
  chain,
  createEmulatedModel,
  createModelPool,
  createRuntime,
  deepseekFlash,
  defineModel,
  llm,
  type ModelPool,
  mercury2,
  models,
  providerKeys,
} from 'hotpath';
import { z } from 'zod';

// Ten sequential steps under a 30 s deadline: the planner puts some steps on the cheap model,
// and re-plans when the run falls behind. Offline, DeepSeek is emulated 3x slower than its
// profile says (a busy provider), so the first cheap step comes in late and the rest move to
// Mercury to hold the deadline.
export const tenSteps = Array.from({ length: 10 }, (_, index) => index + 1).reduce<AnyChain>(
  (built, index) =>
    (built as any).step(
      `step${index}`,
      llm({ prompt: `Draft part ${index} of the brief.`, maxOutputTokens: 500 }),
    ),
  chain('brief', { input: z.object({}) }),
);

/** The catalog models, or offline a pool where DeepSeek runs slower than planned. */
export function busyPool(clock?: Clock): ModelPool {
  const env =
    (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
  if (providerKeys.some((key) => env[key]) || env.HOTPATH_EMULATOR_URL) return models.fromEnv();
  const slow = {
    ...deepseekFlash,
    outputTokensPerSecond: deepseekFlash.outputTokensPerSecond / 3,
  };
  return createModelPool(
    [
      defineModel(createEmulatedModel({ profile: mercury2, clock }), mercury2),
      defineModel(createEmulatedModel({ profile: slow, clock }), deepseekFlash),
    ],
    { clock },
  );
}

/** Runs under a deadline and prints every re-plan (`npx tsx examples/deadline.ts`). */
export async function main(
  runtime = createRuntime({ models: busyPool(), objective: { deadlineMs: 30_000 } }),
) {
  const plan = runtime.plan(tenSteps, {});
  console.log(plan.explain());
  runtime.on('replan', (event) => {
    const changes = event.changes.map((change) => `${change.stepId} ${change.from} → ${change.to}`);
    console.log(
      `re-plan at ${(event.atMs / 1000).toFixed(1)} s after ${event.after}: ${changes.join(', ') || 'no change'}`,
    );
  });
  const { trace } = await runtime.run(tenSteps, {});
  const cheap = trace.steps.filter((step) => step.model === deepseekFlash.id).length;
  console.log(
    `\nfinished in ${(trace.durationMs / 1000).toFixed(1)} s (deadline 30 s), ${cheap} steps on ${deepseekFlash.id}`,
  );
  return trace;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
