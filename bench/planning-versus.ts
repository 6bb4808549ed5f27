/**
 * The scheduler of another commit against this tree's, in one process: cold plans and re-plans
 * of a 1,000-step chain (`randomChain(1000)`) per objective, alternating rounds, each batch after
 * a forced GC so that one side's garbage is not collected on the other's time (a batch is long
 * enough, 40 calls, to pay for its own collections): the median and
 * the fastest batch's time per call (the fastest is the least disturbed by other work on a
 * shared machine). Checks that both give the same plans (`JSON.stringify`, `explain()`, the
 * changes of a re-plan). "runtime re-plan after a drift" is what `src/runtime/replan.ts` does
 * after the drifted step: the pool scaled by that step's model's speed factor (1.5), then re-planned
 * as the runtime does (`replanChecked`: its own options, not checked again).
 *
 *   npx tsx bench/planning-versus.ts [commit=8c444c0] [rounds=11] [per=40] [objective]
 *
 * `objective`: only the objectives whose label contains it (`at 90%`: the confidence plan).
 *
 * The commit is checked out as a git worktree under the temp dir (removed after), and both
 * schedulers are bundled with esbuild into plain ES modules (no tsx transform on either side).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [commit = '8c444c0', rounds = '11', per = '40', only = ''] = process.argv.slice(2);
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'hotpath-planning-'));
/**
 * What the driver reads of a tree: its scheduler, and how its runtime scales the pool by the
 * measured speed factors before a re-plan (`scaleSpeeds`, or `adjustPool` before it).
 */
function entryOf(tree: string): string {
  const scaler = existsSync(join(tree, 'src/scheduler/speed-pool.ts'))
    ? "export { scaleSpeeds } from './src/scheduler/speed-pool';"
    : "export { adjustPool as scaleSpeeds } from './src/runtime/model-speed';";
  const checked = readFileSync(join(tree, 'src/scheduler/replan-chain.ts'), 'utf8').includes(
    'export function replanChecked',
  )
    ? "export { replanChecked } from './src/scheduler/replan-chain';"
    : "export { replanChain as replanChecked } from './src/scheduler';";
  return `export { catalog } from './src/models/catalog';
export { createEmulatedPool } from './src/models/emulated-pool';
export { planChain, replanChain } from './src/scheduler';
${scaler}
${checked}
`;
}

function bundle(tree: string, out: string): void {
  const file = join(tree, `planning-entry-${process.pid}.ts`);
  writeFileSync(file, entryOf(tree));
  try {
    esbuild(file, out);
  } finally {
    rmSync(file);
  }
}

function esbuild(file: string, out: string): void {
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [
    file,
    '--bundle',
    '--platform=node',
    '--format=esm',
    `--outfile=${out}`,
    '--log-level=warning',
  ]);
}

function main(): void {
  const before = join(work, 'before');
  try {
    execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', before, commit], {
      stdio: 'ignore',
    });
    symlinkSync(join(root, 'node_modules'), join(before, 'node_modules'));
    bundle(before, join(work, 'before.mjs'));
    bundle(root, join(work, 'after.mjs'));
    // The chain both plan: this tree's, the one `bench/planning.ts` plans.
    esbuild(join(root, 'bench/lib/random-chain.ts'), join(work, 'chain.mjs'));
    writeFileSync(join(work, 'driver.mjs'), driver);
    execFileSync(process.execPath, ['--expose-gc', join(work, 'driver.mjs'), rounds, per, only], {
      stdio: 'inherit',
      cwd: work,
    });
  } finally {
    execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', before], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs in a plain `node`: the two bundles side by side on `bench/lib/random-chain.ts`'s chain. */
const driver = `
import * as before from './before.mjs';
import * as after from './after.mjs';
import { randomChain } from './chain.mjs';
const rounds = Number(process.argv[2]), per = Number(process.argv[3]), only = process.argv[4] ?? '';
const chain = randomChain(1000);
function scenarios(lib, objectiveOf) {
  const pool = lib.createEmulatedPool({ profiles: Object.values(lib.catalog) });
  const objective = objectiveOf(lib, pool);
  const first = lib.planChain({ chain, pool, objective });
  const done = new Map();
  const cut = first.steps[500].predicted.startMs;
  for (const step of first.steps) {
    const { startMs, endMs, costUsd } = step.predicted;
    if (endMs <= cut) done.set(step.stepId, { startMs, endMs: endMs * 1.2, model: step.model, costUsd });
  }
  const mid = { nowMs: cut * 1.2, done, running: new Map() };
  const previous = lib.replanChain({ chain, pool, objective, previous: first, progress: mid }).plan;
  let next;
  for (const s of previous.steps)
    if (s.state === 'pending' && (!next || s.predicted.startMs < next.predicted.startMs)) next = s;
  const endMs = next.predicted.startMs + next.predicted.durationMs * 1.5;
  const drifted = new Map(done);
  drifted.set(next.stepId, { startMs: next.predicted.startMs, endMs, model: next.model, costUsd: next.predicted.costUsd * 1.5 });
  const drift = { nowMs: endMs, done: drifted, running: new Map() };
  // The runtime's re-plan after that drift: the step's model ran 1.5x slow, its factor 1.5.
  const factors = new Map(next.model === undefined ? [] : [[next.model, 1.5]]);
  return {
    'cold plan': () => lib.planChain({ chain, pool, objective }),
    're-plan mid-run': () => lib.replanChain({ chain, pool, objective, previous: first, progress: mid }),
    're-plan after a drift': () => lib.replanChain({ chain, pool, objective, previous, progress: drift }),
    'runtime re-plan after a drift': () =>
      lib.replanChecked({ chain, pool: lib.scaleSpeeds(pool, factors), objective, previous, progress: drift }),
  };
}
const total = (lib, pool, objective) => lib.planChain({ chain, pool, objective });
const objectives = {
  latency: () => 'latency',
  cost: () => 'cost',
  balanced: () => 'balanced',
  'deadline 1.5x fastest': (lib, pool) => ({ deadlineMs: total(lib, pool, 'latency').durationMs * 1.5 }),
  'budget mid-way': (lib, pool) => ({
    budgetUsd: (total(lib, pool, 'cost').costUsd + total(lib, pool, 'latency').costUsd) / 2,
  }),
  'deadline 1.5x fastest at 90%': (lib, pool) => ({
    deadlineMs: total(lib, pool, 'latency').durationMs * 1.5,
    confidence: 0.9,
  }),
};
const seen = (result) => {
  const plan = result.plan ?? result;
  return JSON.stringify(plan) + plan.explain() + JSON.stringify(result.changes ?? null);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [label, objectiveOf] of Object.entries(objectives)) {
  if (!label.includes(only)) continue;
  const sides = { before: scenarios(before, objectiveOf), after: scenarios(after, objectiveOf) };
  for (const kind of Object.keys(sides.after)) {
    const same = seen(sides.before[kind]()) === seen(sides.after[kind]());
    const wall = { before: [], after: [] };
    const cpu = { before: [], after: [] };
    for (let r = 0; r < rounds + 2; r++) {
      for (const side of r % 2 ? ['before', 'after'] : ['after', 'before']) {
        const run = sides[side][kind];
        globalThis.gc();
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        for (let k = 0; k < per; k++) run();
        const c = process.cpuUsage(c0);
        if (r < 2) continue;
        wall[side].push((performance.now() - t0) / per);
        cpu[side].push((c.user + c.system) / 1000 / per);
      }
    }
    rows.push({
      '1,000 steps': label,
      kind,
      'same plans': same,
      'before (ms)': median(wall.before).toFixed(2),
      'after (ms)': median(wall.after).toFixed(2),
      'CPU before (ms)': median(cpu.before).toFixed(2),
      'CPU after (ms)': median(cpu.after).toFixed(2),
      'fastest before (ms)': Math.min(...wall.before).toFixed(2),
      'fastest after (ms)': Math.min(...wall.after).toFixed(2),
      'before / after': (median(wall.before) / median(wall.after)).toFixed(2),
    });
  }
}
console.log('| ' + Object.keys(rows[0]).join(' | ') + ' |');
console.log('|' + ' --- |'.repeat(Object.keys(rows[0]).length));
for (const row of rows) console.log('| ' + Object.values(row).join(' | ') + ' |');
`;

main();
