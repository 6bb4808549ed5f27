import { createOpenAI } from '@ai-sdk/openai';
import { createRescalableClock } from '../clock/rescalable-clock';
import { InvalidArgumentError } from '../errors';
import { catalog, deepseekFlash, deepseekV4Pro, gpt5Mini, mercury2 } from './catalog';
import { markEmulated } from './emulated';
import { createEmulatedPool, type EmulatedPoolOptions } from './emulated-pool';
import { readEndpoints, readUrl } from './env-urls';
import { pickLanes } from './pick-lanes';
import {
  createModelPool,
  defineModel,
  type EndpointOptions,
  type ModelPool,
  type PoolModel,
} from './pool';
import type { ModelProfile } from './profile';
import {
  createDeepSeekModel,
  createInceptionModel,
  createOpenAIModel,
  type DeepSeekFactory,
  type DeepSeekModelId,
} from './providers';
import { readEnv } from './providers/preset';

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
  /**
   * `createDeepSeek` from `@ai-sdk/deepseek`, for `DEEPSEEK_API_KEY`. Without it the package is
   * imported on the first DeepSeek call; pass it where bundles cannot import at run time (edge).
   */
  createDeepSeek?: DeepSeekFactory;
}

type Env = Readonly<Record<string, string | undefined>>;

interface EnvPreset {
  readonly key: (typeof providerKeys)[number];
  readonly baseURL: string;
  /** Names several places of the provider: `eu-west=https://...,us-east@us=https://...`. */
  readonly endpoints: string;
  readonly profiles: readonly ModelProfile[];
  create(
    apiKey: string,
    baseURL: string | undefined,
    options: FromEnvOptions,
    place?: EndpointOptions,
  ): PoolModel[];
}

const presets: readonly EnvPreset[] = [
  {
    key: 'INCEPTION_API_KEY',
    baseURL: 'INCEPTION_BASE_URL',
    endpoints: 'INCEPTION_ENDPOINTS',
    profiles: [mercury2],
    create: (apiKey, baseURL, _, place) => [createInceptionModel({ apiKey, baseURL, ...place })],
  },
  {
    key: 'DEEPSEEK_API_KEY',
    baseURL: 'DEEPSEEK_BASE_URL',
    endpoints: 'DEEPSEEK_ENDPOINTS',
    profiles: [deepseekFlash, deepseekV4Pro],
    create: (apiKey, baseURL, { createDeepSeek }, place) =>
      [deepseekFlash, deepseekV4Pro].map((profile) =>
        createDeepSeekModel({
          apiKey,
          baseURL,
          createDeepSeek,
          model: profile.id as DeepSeekModelId,
          ...place,
        }),
      ),
  },
  {
    key: 'OPENAI_API_KEY',
    baseURL: 'OPENAI_BASE_URL',
    endpoints: 'OPENAI_ENDPOINTS',
    profiles: [gpt5Mini],
    create: (apiKey, baseURL, _, place) => [createOpenAIModel({ apiKey, baseURL, ...place })],
  },
];

/**
 * The model pool from the provider keys in the environment, in any combination:
 * `INCEPTION_API_KEY` gives Mercury 2, `DEEPSEEK_API_KEY` DeepSeek V4 Flash and Pro (through the
 * optional peer `@ai-sdk/deepseek`), `OPENAI_API_KEY` GPT-5 mini. `INCEPTION_BASE_URL`,
 * `DEEPSEEK_BASE_URL` and `OPENAI_BASE_URL` move a provider elsewhere (a proxy, the emulator);
 * one that is no http(s) URL is refused here, naming the variable, as is such an
 * `HOTPATH_EMULATOR_URL`.
 * `INCEPTION_ENDPOINTS`, `DEEPSEEK_ENDPOINTS` and `OPENAI_ENDPOINTS` put a provider's models at
 * several places instead, one endpoint each: `eu-west=https://eu.example/v1,us-east=https://...`
 * (`name@region=url` gives a region other than the name, for `regions`).
 * With no key it is the built-in emulator. Either way it says in one line which models it uses
 * and which of them serve the fast and the cheap lane; keys never appear in it.
 *
 * `HOTPATH_EMULATOR_URL` (a running `hotpath emulate`, e.g. `http://127.0.0.1:8787/v1`; `/v1` is
 * added when missing) wins over the keys: every catalog model then goes through the real
 * `@ai-sdk/openai` provider over HTTP, with `HOTPATH_EMULATOR_API_KEY` as its key. The pool's
 * clock runs at the server's `--time-scale`, which the server tells before the first run
 * (`GET /v1/models`); `HOTPATH_EMULATOR_TIME_SCALE` is the scale when it cannot be asked.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv() });
 * // hotpath: using mercury-2 (INCEPTION_API_KEY), deepseek-flash, deepseek-v4-pro
 * // (DEEPSEEK_API_KEY); fast lane: mercury-2; cheap lane: deepseek-flash
 * ```
 */
export function fromEnv(options: FromEnvOptions = {}): ModelPool {
  const env = options.env ?? readEnv();
  const emulatorUrl = readUrl('HOTPATH_EMULATOR_URL', env.HOTPATH_EMULATOR_URL);
  if (emulatorUrl !== undefined) return emulatorPool(emulatorUrl, env, options);
  const found = presets.filter((preset) => readKey(preset.key, env[preset.key]) !== undefined);
  let pool: ModelPool;
  let line: string;
  if (found.length === 0) {
    pool = createEmulatedPool(options.emulator);
    line = `hotpath: no provider key set (${providerKeys.join(', ')}); using ${pool.description}; ${emulatedToolsNote}`;
  } else {
    const entries = found.flatMap((preset) => {
      const places = readEndpoints(preset.endpoints, env[preset.endpoints]);
      if (places.length === 0) {
        return preset.create(
          env[preset.key]!,
          readUrl(preset.baseURL, env[preset.baseURL]),
          options,
        );
      }
      return places.flatMap(({ url, ...place }) =>
        preset.create(env[preset.key]!, url, options, place),
      );
    });
    pool = createModelPool(entries, { description: describeKeyPool(found, entries, env) });
    line = `hotpath: using ${pool.description}`;
  }
  for (const preset of presets) {
    if (!found.includes(preset) && env[preset.endpoints]?.trim())
      line += `; ${preset.endpoints} is ignored without ${preset.key}`;
  }
  if (options.log !== false) (options.log ?? console.info)(line);
  return pool;
}

/**
 * The key in `variable`; none when it is unset or empty (`KEY=` in a `.env` file). One of only
 * spaces fails, naming the variable: it is set, so it was meant, and no provider would take it.
 */
function readKey(variable: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.trim() === '') {
    throw new InvalidArgumentError({
      argument: variable,
      message: `Expected \`${variable}\` to be an API key, got a blank value`,
    });
  }
  return value;
}

/** `mercury-2 (INCEPTION_API_KEY), ...; fast lane: ...; cheap lane: ...`, and what a key would add. */
function describeKeyPool(found: readonly EnvPreset[], entries: readonly PoolModel[], env: Env) {
  const sources = found.map((preset) => {
    const ids = preset.profiles.map((profile) => profile.id).join(', ');
    const places = readEndpoints(preset.endpoints, env[preset.endpoints]);
    if (places.length > 0) {
      const at = places.map((place) => `${place.endpoint} via ${hostOf(place.url)}`).join(', ');
      return `${ids} (${preset.key} at ${at})`;
    }
    const host = hostOf(env[preset.baseURL]?.trim());
    return `${ids} (${preset.key}${host ? ` via ${host}` : ''})`;
  });
  const lanes = pickLanes(entries.map((entry) => entry.profile));
  const best = pickLanes(presets.flatMap((preset) => preset.profiles));
  const parts = [
    sources.join(', '),
    lanes.fast === lanes.cheap
      ? `one model for both lanes: ${lanes.fast.id}`
      : `fast lane: ${lanes.fast.id}; cheap lane: ${lanes.cheap.id}`,
  ];
  const keyOf = (profile: ModelProfile) =>
    presets.find((preset) => preset.profiles.includes(profile))!.key;
  if (lanes.fast.id !== best.fast.id) {
    parts.push(`set ${keyOf(best.fast)} for a fast lane on ${best.fast.id}`);
  }
  if (lanes.cheap.id !== best.cheap.id) {
    parts.push(`set ${keyOf(best.cheap)} for a cheap lane on ${best.cheap.id}`);
  }
  return parts.join('; ');
}

/** The host of a base URL, without any credentials in it. */
function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return 'a custom base URL';
  }
}

/** Said whenever the pool is the emulator: an agent's tools would act on invented arguments. */
const emulatedToolsNote =
  "agent tools run with invented arguments (`emulatedTools: 'skip'` keeps them from running)";

/** Catalog models served by a running emulator, through the real OpenAI provider. */
function emulatorPool(url: string, env: Env, options: FromEnvOptions) {
  const baseURL = `${url.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1`;
  const openai = createOpenAI({ baseURL, apiKey: env.HOTPATH_EMULATOR_API_KEY || 'hotpath' });
  const timeScale = Number(env.HOTPATH_EMULATOR_TIME_SCALE || 1);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new InvalidArgumentError({
      argument: 'HOTPATH_EMULATOR_TIME_SCALE',
      message: `Expected \`HOTPATH_EMULATOR_TIME_SCALE\` to be a number above 0, got \`${env.HOTPATH_EMULATOR_TIME_SCALE}\``,
    });
  }
  const clock = createRescalableClock(timeScale);
  const pool = createModelPool(
    Object.values(catalog).map((profile) =>
      markEmulated(defineModel(openai.chat(profile.id), profile)),
    ),
    {
      clock,
      description: `the emulator at ${baseURL}${timeScale === 1 ? '' : ` at ${timeScale}x`}: ${Object.keys(catalog).join(', ')}`,
    },
  );
  if (options.log !== false) {
    (options.log ?? console.info)(`hotpath: using ${pool.description}; ${emulatedToolsNote}`);
  }
  let asked: Promise<void> | undefined;
  const ready = () => {
    asked ??= askTimeScale(baseURL, env.HOTPATH_EMULATOR_API_KEY || 'hotpath').then((served) => {
      if (served !== undefined && served !== clock.timeScale) clock.setTimeScale(served);
    });
    return asked;
  };
  return { ...pool, ready };
}

/**
 * The time scale a running emulator says it runs at (`hotpath.time_scale` in `GET /v1/models`),
 * so traces read in its time even when `HOTPATH_EMULATOR_TIME_SCALE` is missing or stale; none
 * when it cannot be asked (the first call then says what is wrong).
 */
async function askTimeScale(baseURL: string, apiKey: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${baseURL}/models`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { hotpath?: { time_scale?: unknown } };
    const scale = body.hotpath?.time_scale;
    return typeof scale === 'number' && scale > 0 && Number.isFinite(scale) ? scale : undefined;
  } catch {
    return undefined;
  }
}
