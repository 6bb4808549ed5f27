/**
 * `npm run bench` (quick, under 3 minutes on 2 cores) or `npm run bench -- --full`: what the
 * scheduler saves and what the SDK costs, measured in one run, printed as markdown and written to
 * `bench/results.md`. Every figure comes from the code below; nothing is typed in by hand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { benchDeferral, benchPartialDeferral, deferralStart, partialStart } from './deferral';
import { benchEndpoints, endpointsIntro, faultsIntro } from './endpoints';
import { benchFaults } from './faults';
import { headlineRows } from './headline';
import { describeMachine } from './lib/machine';
import { type BenchRow, formatMarkdownTable } from './lib/table';
import { benchOptimality } from './optimality';
import { measureOverhead, targetMicros } from './overhead/measure';
import { benchPlanning } from './planning';
import { emulatedRows, measureShape, type StrategyResult } from './scheduler/emulated';
import { type HttpResult, httpRows, runOverHttp } from './scheduler/http';
import { planStrategies } from './scheduler/plans';
import { checkShapes } from './scheduler/shape-checks';
import { shapes } from './scheduler/shapes';
import { premiumRow, sweepRow } from './scheduler/targets';
import { benchStores, storeGoalShare } from './stores';
import { benchFirstToken, benchPerceivedCost, benchPipelining } from './streaming/bench-streaming';
import { streamShapes } from './streaming/shapes';
import {
  benchConfidenceSection,
  confidenceIntro,
  confidenceRows,
  confidenceTitle,
} from './truth/confidence';
import { benchLearning, learningRows, learningRuns } from './truth/learning';
import { benchPriceWindows } from './truth/prices';

if (process.argv.includes('--peers')) {
  // The peer comparison is its own script (its own dependencies, child processes).
  await import('./peers');
  process.exit(0);
}
if (process.argv.includes('--workers')) {
  // Worker processes on their own Redis and emulator process: its own script too.
  await import('./workers');
  process.exit(0);
}
const full = process.argv.includes('--full');
/** Emulated ms per real ms over HTTP: small enough that client work stays a few % of a call. */
const timeScale = 10;
const seeds = full ? [1, 2, 3, 4, 5] : [1];
const httpSeeds = full ? [1, 2, 3] : [1];
/** Quick mode runs hotpath's plans over HTTP (and all-premium and all-fast for the headline). */
const httpStrategies = full ? undefined : ['balanced', 'deadline'];

const started = performance.now();
const out: string[] = [];
const section = (title: string, intro: string, rows: readonly BenchRow[] | string) => {
  const body = typeof rows === 'string' ? rows : formatMarkdownTable(rows);
  const text = `## ${title}\n\n${intro}\n\n${body}\n`;
  out.push(text);
  console.log(text);
};
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const progress = (what: string) => console.error(`[bench ${elapsed()}] ${what}`);

checkShapes(shapes);

progress('scheduler value in emulated time');
const emulated: StrategyResult[] = [];
for (const shape of shapes) emulated.push(...(await measureShape(shape, seeds)));
section(
  'Scheduler value, emulated time',
  `Planned makespan and cost per shape and plan. all-X rows plan on a pool of that one model; the naive rule and hotpath plan on the whole catalog (mercury-2, deepseek-flash, claude-haiku-4-5, gpt-5-mini), the naive rule with each step's candidates pinned. The deadline is midway between the all-fast and all-cheap makespans. Ratios are to the lower bounds (makespan of all-fast, cost of all-cheap). "emulated run" runs the plan on the in-process emulator on a virtual clock (profile timing with seeded jitter, ${seeds.length} seed${seeds.length > 1 ? 's' : ''}); "gap to exact" is the plan's cost over the exact solver's for the same objective.\n\n${shapes.map((shape) => `- \`${shape.id}\`: ${shape.description}`).join('\n')}`,
  emulatedRows(emulated),
);
section(
  'Targets: balanced against all-premium (planned)',
  'At least 2x faster and 4x cheaper on every shape, 5x faster on the purely sequential ones.',
  shapes.map((shape) =>
    premiumRow(
      shape,
      emulated.filter((result) => result.planned.shape.id === shape.id),
    ),
  ),
);
progress('deadline sweeps');
section(
  'Targets: deadline sweep against the exact optimum',
  'Deadlines spread from the all-fast makespan to the all-cheap one on the catalog pool; cost within 1% of the exact solver and no feasible deadline missed. The heuristic column forces `solver: "heuristic"`, which `auto` uses above 100,000 assignments.',
  shapes.map((shape) => sweepRow(shape, full ? 41 : 11)),
);

progress(`scheduler plans over HTTP at ${timeScale}x`);
const http: HttpResult[] = [];
for (const shape of shapes) {
  for (const planned of planStrategies(shape)) {
    const id = planned.strategy.id;
    const headline = shape.id === 'sequential-10' && (id === 'premium' || id === 'fast');
    if (httpStrategies && !httpStrategies.includes(id) && !headline) continue;
    http.push(await runOverHttp(planned, timeScale, httpSeeds));
  }
}
section(
  'Scheduler value, real time over HTTP',
  `The same plans run against the HTTP emulator (on its own thread) through the real \`@ai-sdk/openai\` provider, at time scale ${timeScale} (1 s of model time takes 100 ms). At a time scale every real millisecond the client spends (about 1-3 ms of CPU per \`streamText\` call on this machine) counts ${timeScale} emulated ms, so short, highly concurrent calls read slow; ${timeScale}x keeps that to a few % of a call. Each run first warms its connections. Target: measured makespan within 10% of the plan.${full ? '' : " Quick mode runs hotpath's plans, and all-premium and all-fast of `sequential-10` for the headline; `--full` runs every plan, 3 seeds."}`,
  httpRows(http, timeScale),
);
section(
  'Headline: 10 calls at 89 tok/s against 1,009 tok/s',
  'The `sequential-10` chain (500-token outputs, ~520 tokens in) on Haiku 4.5 and on Mercury 2, first-token time included.',
  headlineRows(emulated, http),
);

progress('SDK overhead');
section(
  'SDK overhead',
  `Per-step overhead = (hotpath run - the same calls made with plain \`streamText\` and \`async\`/\`await\` / \`Promise.all\`) / calls, on a zero-latency emulated model (1 µs first token, no round trip, 10^9 tok/s, 16-token answers, a clock whose sleep resolves at once). Baseline and variants interleave, rotated each repetition; each cell is the median (25th to 75th percentile, n). Tracing = a console exporter into a no-op sink plus a JSONL log in a temp folder, flushed inside the timed run. Target: <= ${targetMicros} µs per step with tracing and re-planning on. Peak heap: live heap above the pre-run heap, sampled after a forced GC every 1,000 calls. hotpath reads the provider's stream itself and never calls \`streamText\`, so against this baseline (the one issue 12 names) it is met by construction: the peers section (\`npm run bench:peers\`) also measures against plain \`generateText\`, the cheapest AI SDK call.`,
  await measureOverhead(full),
);

progress('run store overhead');
section(
  'Run store overhead',
  `Durable runs (\`createRuntime({ store })\`) against the same runtime without a store, on the zero-latency mock of the SDK overhead table: 200 sequential steps (per step) and a 10,000-item map at concurrency 64 (per item). Every unit is journaled before what needs it starts; entries are group-committed (one write per batch) and a map item frees its slot before its entry is written unless more than \`concurrency\` entries are queued. "journal only" is a store that discards its entries: the journal's own work (keys, records, batching) without serialising or writing. CPU is the process's (every thread). The PostgreSQL store runs on a throwaway local cluster (\`fsync=off\`, loopback), so its figures are a floor for a real server. Median of interleaved runs, in a balanced order; "paired" is the median of each repetition's ratio to that repetition's no-store run, with a 90% bootstrap interval. Goal: the file store adds under ${storeGoalShare * 100}% to the 10,000-item map: met when both paired intervals lie under it. \`npx tsx bench/stores.ts --stores file --repeats 41\` runs more repetitions of the file store alone.`,
  await benchStores({ full }),
);

progress('deferral into a cheaper window');
section(
  'Time for money: a 2,000-item map deferred into off-peak',
  `The map (\`bench/deferral.ts\`) starts at ${deferralStart} (a Wednesday, DeepSeek peak until 04:00 UTC) under a 12-hour deadline, on mercury-2 and deepseek-flash; run on the in-process emulator and a virtual clock, every call priced at its start.`,
  await benchDeferral(),
);
section(
  'Time for money: part of a 10,000-item map held for off-peak',
  `The map (\`bench/deferral.ts\`, ~2,000 tokens in and 400 out per item, concurrency 10) starts at ${partialStart} under a 2-hour deadline: on DeepSeek it takes ~1.75 h, too long to wait for 04:00 as a whole. Free to hold items, the plan runs the first ones at once and holds the rest until 04:00 on deepseek-flash; in-process emulator, virtual clock, every call priced at its start.`,
  await benchPartialDeferral(),
);

progress('planning time');
section(
  'Planning time',
  'Random chains shaped like agent workloads on the catalog models (`bench/planning.ts`); median of many runs. Targets (issue 12): planning 1,000 steps <= 2 ms for every objective, re-planning after a drifted step <= 1 ms (incremental). "reused" is a runtime planning an unchanged chain, pool and objective again (a plan cache hit); "new chain" is the first plan of a chain object (its steps laid out once, then kept); "re-plan mid-run" is the first re-plan of a run half done (every done step newly fixed); "re-plan after a drift" is the re-plan a runtime makes after the next step ended 1.5x late (one step more done than the plan it follows). Another commit side by side in one process: `npx tsx bench/planning-versus.ts <commit>`.',
  benchPlanning([10, 100, 1000], full ? 1 : 0.3),
);
section(
  'Heuristic against the exact optimum (random 8-step chains, 3 models)',
  'Random instances at random deadlines (`bench/optimality.ts`).',
  benchOptimality(full ? 3000 : 500),
);

progress('fault matrix');
section('Fault matrix over HTTP', faultsIntro, await benchFaults());
progress('endpoints: round trips');
section('Endpoints: round trips on the sequential shape', endpointsIntro, await benchEndpoints());

progress('streaming: pipelined maps, first answer tokens');
const streamTimeScale = 5;
section(
  'Streaming: pipelined maps',
  `Each shape of \`bench/streaming/shapes.ts\` with and without \`pipeline: true\` on its map, on the virtual clock (${seeds.length} seed${seeds.length > 1 ? 's' : ''}) and over HTTP through \`@ai-sdk/openai\` at time scale ${streamTimeScale} (medians). "share of ideal overlap" is the makespan saved over the producer's time after its first complete item. Goal: \`planner-24\` >= 20% shorter with identical outputs. Mercury sends 64-token blocks, so a planner on the fast lane hands over its list almost at once: little to overlap.\n\n${streamShapes.map((shape) => `- \`${shape.id}\`: ${shape.description}`).join('\n')}`,
  await benchPipelining(seeds, streamTimeScale, httpSeeds),
);
section(
  'Streaming: time to the first answer token',
  "The pipelined shapes run with `run` (balanced) and with `runtime.stream` (balanced, planned for the first answer token), virtual clock: how much of `run`'s total the user of a streamed run waits before the answer starts.",
  await benchFirstToken(seeds),
);
section(
  'Streaming: cost of the perceived-latency objective at an equal first-token time',
  "`run`'s plan for a deadline midway between the all-fast and all-cheap makespans, against the streamed plan whose deadline is that plan's first answer token. Planned figures, then measured on the virtual clock (the runs re-plan as they go).",
  await benchPerceivedCost(seeds),
);

progress('a world that differs from the catalog: learning, regret, price windows');
const learning = [];
for (const shape of shapes) learning.push(await benchLearning(shape));
section(
  'Truth world: makespan prediction and plan regret as the estimate file learns',
  `The in-process emulator runs a world that differs from the catalog (\`bench/truth/world.ts\`): every model 25-40% off its catalog speed (Mercury 2 520 tok/s against 750, DeepSeek Flash 60 against 90, Haiku 120 against 89, GPT-5 mini 50 against 71), first tokens log-normal with σ 0.5 (p99 about 3.2x the p50), prefix caching on. Each shape runs ${learningRuns} times in a row, each run in a new runtime that opens the same \`createFileEstimateStore\` file (as ${learningRuns} processes would), on a virtual clock; the world and its prefix cache persist between runs. "error" is |predicted makespan (\`runtime.plan().durationMs\` before the run, balanced) / measured - 1|; goal: median over shapes <= 10% by run ${learningRuns}. "regret" is the real bill (the emulator's) of the \`{ deadlineMs }\` run over the bill of an oracle run at the same deadline whose pool believes the truth's medians from the start (and learns token sizes the same way), run k against oracle run k; goal <= 5% by run ${learningRuns}. The deadline is midway between the true all-fast and all-cheap makespans. A negative regret with a missed deadline is a plan that was cheaper by being late.`,
  learningRows(learning),
);
section(
  'Truth world: the real bill at peak and off-peak, static-price plan against time-aware',
  "Each shape under `balanced` in the same truth world, started at 02:00 UTC on Wednesday 2 December 2026 (DeepSeek's peak) and at 12:00 (off-peak). The static-price plan is today's plan without the calendar (a runtime clock without a date prices DeepSeek at its base, off-peak, rates); the time-aware plan prices each call at the window of its predicted start. Bills are the emulator's, each call at the window in force when it started; in brackets the model calls of the run.",
  await benchPriceWindows(shapes),
);

progress('a world that differs from the catalog: deadlines planned with a confidence');
const confidence = await benchConfidenceSection(shapes);
section(confidenceTitle, confidenceIntro(confidence), confidenceRows(confidence));

const header = `# hotpath benchmark results\n\n${describeMachine()} · ${full ? 'full' : 'quick'} mode · took ${elapsed()}\n\nRegenerate with \`npm run bench\` (quick) or \`npm run bench -- --full\`.\n`;
const results = new URL('./results.md', import.meta.url);
// The peers' (and warmed peers') and workers' sections come from `npm run bench:peers` and
// `bench:workers`; keep them.
const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
const kept = ['peers', 'peers-warm', 'workers']
  .map(
    (name) => new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`).exec(previous)?.[0],
  )
  .filter((text) => text !== undefined)
  .map((text) => `\n${text}\n`)
  .join('');
writeFileSync(results, `${header}\n${out.join('\n')}${kept}`);
progress(`done; wrote bench/results.md`);
