/**
 * One process of the peer benchmark (spawned by `bench/peers.ts`, one per framework and process):
 *
 *   node --import tsx bench/peer/child.ts shapes hotpath 30   # every shape, 30 repetitions
 *   node --import tsx bench/peer/child.ts shapes hotpath 30 200   # after 200 warm-up runs
 *   node --import tsx bench/peer/child.ts map mastra          # the 10,000-item map once
 *
 * `shapes` runs each shape's plain `generateText` and `streamText` calls and the framework's
 * runners, interleaved and rotated per repetition, and prints each runner's times in ms as JSON.
 * `map` runs one runner over the 10,000-item map and prints its time and the process's peak RSS.
 */
import { balancedOrder } from '../lib/order';
import { type Call, generateCall, plainRun, streamCall } from './baselines';
import { hotpathRunner } from './hotpath';
import { createMockModel } from './mock-model';
import { mapShape, type PeerShape, peerShapes } from './shapes';

export type Framework = 'plain' | 'hotpath' | 'mastra' | 'langgraph';
/** A runner of one shape: a name and one run. */
interface Runner {
  readonly id: string;
  readonly run: () => Promise<unknown>;
  readonly cleanUp?: () => void;
}

const [mode = 'shapes', framework = 'plain', arg = '10', warmupArg = '1'] = process.argv.slice(
  2,
) as [string, Framework | 'generateText' | 'streamText', string, string?];
const model = createMockModel();

async function peerRunner(name: 'mastra' | 'langgraph', shape: PeerShape): Promise<Runner> {
  // Loaded by URL: the peers live in their own folder, outside the root typecheck.
  const adapter = await import(new URL(`../peers/${name}.ts`, import.meta.url).href);
  const call = (prompt: string) => generateCall(model, prompt);
  return { id: name, run: adapter.build(shape, call) };
}

async function runnersFor(shape: PeerShape, which: string): Promise<Runner[]> {
  const plain = (id: string, call: Call): Runner => ({ id, run: plainRun(shape, model, call) });
  if (which === 'generateText') return [plain('generateText', generateCall)];
  if (which === 'streamText') return [plain('streamText', streamCall)];
  const baselines = [plain('generateText', generateCall), plain('streamText', streamCall)];
  if (which === 'hotpath') {
    const defaults = hotpathRunner(shape, model, 'defaults');
    const jsonl = hotpathRunner(shape, model, 'jsonl');
    return [...baselines, { id: 'hotpath', ...defaults }, { id: 'hotpath-jsonl', ...jsonl }];
  }
  if (which === 'mastra' || which === 'langgraph')
    return [...baselines, await peerRunner(which, shape)];
  return baselines;
}

/** Runs per shape, scaled by the count given (seq1000 and fan-outs take longer per run). */
function scaledFor(shape: PeerShape, base: number, least: number): number {
  return Math.max(least, Math.round((base * 10) / Math.sqrt(shape.calls * 10)));
}

if (mode === 'map') {
  const runners = await runnersFor(mapShape, framework);
  const id = framework === 'hotpath' ? 'hotpath' : framework;
  await report(runners.find((runner) => runner.id === id)!);
  for (const runner of runners) runner.cleanUp?.();
} else {
  const base = Number(arg);
  const out: Record<string, Record<string, number[]>> = {};
  for (const shape of peerShapes) {
    const runners = await runnersFor(shape, framework);
    const times: Record<string, number[]> = {};
    // Unmeasured runs warm the JIT: one by default (seq1000's too: its first run pays for
    // optimising the code of the runner's later steps, which two measured runs cannot average
    // out), so seq10 and the diamond are measured on code V8 has not optimised yet; more (scaled
    // like the repetitions) measure the steady state of a long-lived process.
    const warmups = Number(warmupArg) <= 1 ? 1 : scaledFor(shape, Number(warmupArg), 1);
    for (const runner of runners) {
      times[runner.id] = [];
      for (let run = 0; run < warmups; run++) await runner.run();
    }
    const repeats = scaledFor(shape, base, 5);
    for (let repeat = 0; repeat < repeats; repeat++) {
      // Balanced, not rotated: in a rotation the runner after `streamText` (a heavy allocator)
      // follows it almost every time and pays its garbage collections.
      for (const runner of balancedOrder(runners, repeat)) {
        const start = performance.now();
        await runner.run();
        times[runner.id]!.push(performance.now() - start);
      }
    }
    for (const runner of runners) runner.cleanUp?.();
    out[shape.id] = times;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function report(runner: Runner) {
  const start = performance.now();
  await runner.run();
  const ms = performance.now() - start;
  // maxRSS is in kilobytes: the peak resident set of this whole process.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, peakRssMb })}\n`);
}
