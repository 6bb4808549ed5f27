import { createOpenAI } from '@ai-sdk/openai';
import { createSystemClock } from '../clock';
import { catalog, gpt5Mini } from './catalog';
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
 * `HOTPATH_EMULATOR_URL` (a running `hotpath emulate`, e.g. `http://127.0.0.1:8787/v1`; `/v1` is
 * added when missing) wins over the keys: every catalog model then goes through the real
 * `@ai-sdk/openai` provider over HTTP, with `HOTPATH_EMULATOR_API_KEY` as its key and
 * `HOTPATH_EMULATOR_TIME_SCALE` (the server's `--time-scale`) for the pool's clock.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv() });
 * ```
 */
export function fromEnv(options: FromEnvOptions = {}): ModelPool {
  const env = options.env ?? readProcessEnv();
  if (env.HOTPATH_EMULATOR_URL) return emulatorPool(env, options);
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

/** Catalog models served by a running emulator, through the real OpenAI provider. */
function emulatorPool(env: Readonly<Record<string, string | undefined>>, options: FromEnvOptions) {
  const baseURL = `${env.HOTPATH_EMULATOR_URL!.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1`;
  const openai = createOpenAI({ baseURL, apiKey: env.HOTPATH_EMULATOR_API_KEY || 'hotpath' });
  const timeScale = Number(env.HOTPATH_EMULATOR_TIME_SCALE || 1);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(
      `Expected \`HOTPATH_EMULATOR_TIME_SCALE\` to be a number above 0, got \`${env.HOTPATH_EMULATOR_TIME_SCALE}\``,
    );
  }
  const pool = createModelPool(
    Object.values(catalog).map((profile) => defineModel(openai.chat(profile.id), profile)),
    {
      clock: createSystemClock({ timeScale }),
      description: `the emulator at ${baseURL}${timeScale === 1 ? '' : ` at ${timeScale}x`}: ${Object.keys(catalog).join(', ')}`,
    },
  );
  if (options.log !== false) (options.log ?? console.info)(`hotpath: using ${pool.description}`);
  return pool;
}

function readProcessEnv(): Readonly<Record<string, string | undefined>> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env ?? {};
}
