import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { catalog, createModelPool, createRuntime, createSystemClock, defineModel } from 'hotpath';
import { median, signedPercent, spread } from '../lib/stats';
import type { BenchRow } from '../lib/table';
import { startThreadedEmulator } from '../lib/threaded-emulator';
import type { PlannedStrategy } from './plans';

/** One strategy run over HTTP: makespans in emulated ms, costs, and the hedges it raced. */
export interface HttpResult {
  readonly planned: PlannedStrategy;
  readonly runMs: readonly number[];
  readonly runUsd: readonly number[];
  readonly hedges: number;
  /** Real time the runs took, in ms. */
  readonly realMs: number;
}

/**
 * Runs a planned strategy against the HTTP emulator at `timeScale`, through the real
 * `@ai-sdk/openai` provider (as `fromEnv()` with `HOTPATH_EMULATOR_URL` does), once per seed.
 * The emulator runs on its own thread; one call warms the connection and the client's code first.
 * The pool holds the strategy's profiles (with the shape's rate limits) on a clock scaled like
 * the server, so the trace's times are emulated milliseconds.
 */
export async function runOverHttp(
  planned: PlannedStrategy,
  timeScale: number,
  seeds: readonly number[],
): Promise<HttpResult> {
  const runMs: number[] = [];
  const runUsd: number[] = [];
  let hedges = 0;
  const started = performance.now();
  for (const seed of seeds) {
    const emulator = await startThreadedEmulator({
      timeScale,
      seed,
      models: Object.values(catalog),
    });
    try {
      const openai = createOpenAI({ baseURL: emulator.baseURL, apiKey: 'bench' });
      await warmUp(
        planned.profiles.map((profile) => openai.chat(profile.id)),
        connectionsFor(planned),
      );
      const pool = createModelPool(
        planned.profiles.map((profile) => defineModel(openai.chat(profile.id), profile)),
        { clock: createSystemClock({ timeScale }) },
      );
      const runtime = createRuntime({ models: pool, objective: planned.objective });
      runtime.on('step:hedge', (event) => {
        if (event.outcome === 'started') hedges++;
      });
      const { trace } = await runtime.run(planned.chain, planned.shape.input);
      runMs.push(trace.durationMs);
      runUsd.push(trace.costUsd);
    } finally {
      await emulator.close();
    }
  }
  return { planned, runMs, runUsd, hedges, realMs: performance.now() - started };
}

/** The real-time table rows: predicted against measured makespan and cost. */
export function httpRows(results: readonly HttpResult[], timeScale: number): BenchRow[] {
  return results.map(({ planned, runMs, runUsd, hedges, realMs }) => {
    const error = median(runMs) / planned.plan.durationMs - 1;
    return {
      shape: planned.shape.id,
      plan: planned.strategy.label,
      'planned makespan': `${(planned.plan.durationMs / 1000).toFixed(2)} s`,
      'measured makespan': spread(
        runMs.map((ms) => ms / 1000),
        2,
        ' s',
      ),
      'prediction error': signedPercent(error),
      'within 10%': Math.abs(error) <= 0.1 ? 'yes' : '**no**',
      'planned cost': `$${planned.plan.costUsd.toFixed(5)}`,
      'measured cost': `$${median(runUsd).toFixed(5)}`,
      hedges: String(hedges),
      'real time': `${(realMs / 1000).toFixed(1)} s at ${timeScale}x`,
    };
  });
}

type Model = Parameters<typeof streamText>[0]['model'];

/**
 * Short calls on every model, `connections` at once, so that the measured run finds its
 * keep-alive connections open and the client's code compiled: a first wave of 8 calls that each
 * opened a socket started ~40 ms (real) late, 400 ms emulated at 10x.
 */
async function warmUp(models: readonly Model[], connections: number): Promise<void> {
  const call = async (model: Model) => {
    const result = streamText({ model, prompt: 'warm up', maxOutputTokens: 8, maxRetries: 0 });
    await result.consumeStream();
  };
  await Promise.all(
    Array.from({ length: connections }, (_, index) => call(models[index % models.length]!)),
  );
}

/** The most calls the chain makes at once: its widest map, or its widest set of parallel steps. */
function connectionsFor(planned: PlannedStrategy): number {
  const steps = planned.chain.definition.steps;
  const widest = Math.max(
    1,
    ...steps.map((step) => (step.kind === 'map' ? (step.concurrency ?? 1) : 1)),
  );
  return Math.min(32, Math.max(widest, 4));
}
