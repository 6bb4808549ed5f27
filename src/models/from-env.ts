import { createOpenAI } from '@ai-sdk/openai';
import { gpt5Mini } from './catalog';
import { createEmulatedPool, type EmulatedPoolOptions } from './emulated-pool';
import { createModelPool, defineModel, type ModelPool, type PoolModel } from './pool';

/** The environment variables `fromEnv` reads. */
export const providerKeys = ['INCEPTION_API_KEY', 'DEEPSEEK_API_KEY', 'OPENAI_API_KEY'] as const;

/** Options of {@link fromEnv}. */
export interface FromEnvOptions {
  /** Variables to read. @default process.env where it exists */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the one line about the chosen models goes; `false` for silence. @default console.info */
  log?: ((line: string) => void) | false;
  /** Options of the emulated pool used when no key is set. */
  emulator?: EmulatedPoolOptions;
}

/**
 * The model pool from the provider keys in the environment: `OPENAI_API_KEY` gives GPT-5 mini
 * through `@ai-sdk/openai`. With no key it is the built-in emulator. Either way it says which in
 * one line.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv() });
 * ```
 */
export function fromEnv(options: FromEnvOptions = {}): ModelPool {
  const env = options.env ?? readProcessEnv();
  const found: PoolModel[] = [];
  const openaiKey = env.OPENAI_API_KEY;
  if (openaiKey) {
    const openai = createOpenAI({ apiKey: openaiKey, baseURL: env.OPENAI_BASE_URL || undefined });
    found.push(defineModel(openai(gpt5Mini.id), gpt5Mini));
  }
  const pool =
    found.length > 0
      ? createModelPool(found, {
          description: `models from OPENAI_API_KEY: ${found.map((entry) => entry.id).join(', ')}`,
        })
      : createEmulatedPool(options.emulator);
  const line =
    found.length > 0
      ? `hotpath: using ${pool.description}`
      : `hotpath: no provider key set (${providerKeys.join(', ')}); using ${pool.description}`;
  if (options.log !== false) (options.log ?? console.info)(line);
  return pool;
}

function readProcessEnv(): Readonly<Record<string, string | undefined>> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env ?? {};
}
