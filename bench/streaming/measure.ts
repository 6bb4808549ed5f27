import { createOpenAI } from '@ai-sdk/openai';
import {
  catalog,
  createEmulatedPool,
  createModelPool,
  createRuntime,
  createSystemClock,
  deepseekFlash,
  defineModel,
  type ModelPool,
  mercury2,
  type Objective,
  type RunTrace,
} from 'hotpath';
import { startThreadedEmulator } from '../lib/threaded-emulator';
import { createBenchClock } from '../scheduler/virtual-clock';
import type { StreamShape } from './shapes';

const profiles = [mercury2, deepseekFlash];

/** A fresh in-process pool on a virtual clock (emulated ms, exact and repeatable). */
export function virtualPool(seed: number): ModelPool {
  return createEmulatedPool({ clock: createBenchClock(), seed, profiles });
}

/** One run of a shape: its trace and output, plain or pipelined, with `run` or `stream`. */
export interface ShapeRun {
  readonly trace: RunTrace;
  readonly output: unknown;
}

export async function runShape(
  pool: ModelPool,
  shape: StreamShape,
  options: { pipeline: boolean; stream?: boolean; objective?: Objective },
): Promise<ShapeRun> {
  const runtime = createRuntime({ models: pool, objective: options.objective });
  const built = shape.build(options.pipeline);
  if (!options.stream) return runtime.run(built, shape.input);
  const result = runtime.stream(built, shape.input);
  return { trace: await result.trace, output: await result.output };
}

/** The same over HTTP: the threaded emulator at `timeScale`, through `@ai-sdk/openai`. */
export async function overHttp<T>(
  seed: number,
  timeScale: number,
  work: (pool: ModelPool) => Promise<T>,
): Promise<T> {
  const emulator = await startThreadedEmulator({ timeScale, seed, models: Object.values(catalog) });
  try {
    const openai = createOpenAI({ baseURL: emulator.baseURL, apiKey: 'bench' });
    const pool = createModelPool(
      profiles.map((profile) => defineModel(openai.chat(profile.id), profile)),
      { clock: createSystemClock({ timeScale }) },
    );
    return await work(pool);
  } finally {
    await emulator.close();
  }
}

/** When the answer's first token came in a trace, from the run's start. */
export function answerFirstTokenMs(trace: RunTrace, stepId = 'report'): number | undefined {
  if (trace.answer?.firstTokenMs !== undefined) return trace.answer.firstTokenMs;
  const record = trace.steps.find((step) => step.stepId === stepId);
  return record?.timeToFirstTokenMs === undefined
    ? undefined
    : record.startMs + record.timeToFirstTokenMs;
}
