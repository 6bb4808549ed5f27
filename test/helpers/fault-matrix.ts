import { createOpenAI } from '@ai-sdk/openai';
import {
  chain,
  createModelPool,
  createRuntime,
  defineModel,
  type EmulatorFault,
  fromEnv,
  llm,
  type ModelPool,
  mercury2,
  type RunTrace,
} from 'hotpath';
import { type Emulator, startEmulator } from 'hotpath/node';
import { z } from 'zod';

/** One fault class, injected into the first request to the plan's fast model (mercury-2). */
export interface FaultScenario {
  readonly name: string;
  readonly fault?: EmulatorFault;
  /** Every request gets the fault (a model down for the whole run) instead of the first only. */
  readonly always?: boolean;
  /**
   * mercury-2 is at a second endpoint too (another emulator, without the fault): the runtime
   * should answer there, on the same model, rather than on another model.
   */
  readonly secondEndpoint?: boolean;
  /** What the runtime should do about it. */
  readonly expected: 'ok' | 'retry' | 'fallback' | 'hedge' | 'slower';
}

export const faultScenarios: readonly FaultScenario[] = [
  { name: 'none (baseline)', expected: 'ok' },
  {
    name: '429 with Retry-After 1 s',
    fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
    expected: 'retry',
  },
  { name: '500', fault: { kind: 'server-error' }, expected: 'retry' },
  { name: 'stall before the first token', fault: { kind: 'stall', ms: 30_000 }, expected: 'hedge' },
  { name: 'stream cut mid-way', fault: { kind: 'cut', after: 0.5 }, expected: 'retry' },
  { name: 'slow decoding (4x)', fault: { kind: 'slow', factor: 4 }, expected: 'slower' },
  { name: 'connection reset', fault: { kind: 'reset' }, expected: 'retry' },
  {
    name: 'model down for the run (503)',
    fault: { kind: 'unavailable' },
    always: true,
    expected: 'fallback',
  },
  {
    name: 'stall, second endpoint',
    fault: { kind: 'stall', ms: 30_000 },
    secondEndpoint: true,
    expected: 'hedge',
  },
  {
    name: 'endpoint down for the run (503), second endpoint',
    fault: { kind: 'unavailable' },
    always: true,
    secondEndpoint: true,
    expected: 'fallback',
  },
];

const answer = chain('answer', { input: z.object({ question: z.string() }) })
  .step('answer', llm({ prompt: ({ input }) => `Answer: ${input.question}`, maxOutputTokens: 400 }))
  .returns(({ answer }) => answer.text);

/** What happened when a scenario ran: the outcome the events show, and the run's trace. */
export interface ScenarioResult {
  readonly outcome: FaultScenario['expected'] | 'error';
  readonly events: readonly string[];
  readonly trace: RunTrace;
  readonly requests: number;
}

/** Runs one scenario against a fresh emulator over HTTP on 127.0.0.1. */
export async function runFaultScenario(
  scenario: FaultScenario,
  timeScale = 4,
): Promise<ScenarioResult> {
  const faults = scenario.fault
    ? [
        {
          fault: scenario.fault,
          model: 'mercury-2',
          ...(scenario.always ? { rate: 1 } : { requests: [1] }),
        },
      ]
    : [];
  const emulator = await startEmulator({ timeScale, faults });
  const second = scenario.secondEndpoint ? await startEmulator({ timeScale }) : undefined;
  try {
    const env = {
      HOTPATH_EMULATOR_URL: emulator.url,
      HOTPATH_EMULATOR_TIME_SCALE: String(timeScale),
    };
    const pool = fromEnv({ env, log: false });
    // A hedge after 3 s (emulated) rather than the profile's ~0.8 s: at a time scale, real HTTP
    // overhead is magnified, and a loaded CI machine must not hedge the clean scenarios.
    const runtime = createRuntime({
      models: second ? withSecondEndpoint(pool, second) : pool,
      hedge: { afterMs: 3000 },
    });
    const events: string[] = [];
    runtime.on('step:retry', (event) => events.push(`retry ${event.reason}`));
    runtime.on('step:fallback', (event) => events.push(`fallback ${event.from} → ${event.to}`));
    runtime.on('step:hedge', (event) => events.push(`hedge ${event.outcome}`));
    const { trace } = await runtime.run(answer, { question: 'Why are diffusion models fast?' });
    return {
      outcome: outcomeOf(events, scenario),
      events,
      trace,
      requests: emulator.stats().requests + (second?.stats().requests ?? 0),
    };
  } finally {
    await Promise.all([emulator.close(), second?.close()]);
  }
}

/** `pool` with its mercury-2 at the endpoint `first`, and at `second` on the other emulator. */
function withSecondEndpoint(pool: ModelPool, second: Emulator): ModelPool {
  const openai = createOpenAI({ baseURL: second.baseURL, apiKey: 'hotpath' });
  const entries = pool.models.map((entry) =>
    entry.id === 'mercury-2' ? { ...entry, endpoint: 'first' } : entry,
  );
  entries.push(defineModel(openai.chat('mercury-2'), mercury2, { endpoint: 'second' }));
  const both = createModelPool(entries, { clock: pool.clock, description: pool.description });
  return { ...both, ready: pool.ready };
}

function outcomeOf(events: readonly string[], scenario: FaultScenario): ScenarioResult['outcome'] {
  if (events.includes('hedge hedge-won')) return 'hedge';
  if (events.some((event) => event.startsWith('fallback'))) return 'fallback';
  if (events.some((event) => event.startsWith('retry'))) return 'retry';
  return scenario.fault?.kind === 'slow' ? 'slower' : 'ok';
}
