/**
 * `npm run bench:workers` (or `npm run bench -- --workers`): throughput of a 2,000-item map whose
 * items wait on emulated latency, on 1, 2 and 4 BullMQ worker processes and in one process with
 * no executor, with CPU time per item by process. Starts its own Redis on a free loopback port
 * and the HTTP emulator in a process of its own; writes its table into `bench/results.md`.
 *
 *   --items N        items in the map (default 2000)
 *   --concurrency N  items at once per worker, and the in-process map's (default 16)
 *   --time-scale N   the emulator's time scale (default 1: each item waits ~0.57 s on mercury-2)
 *   --workers-list   worker counts to run, comma-separated (default 1,2,4)
 *   --profile DIR    write `--cpu-prof` profiles of the worker processes into DIR
 *   --no-write       print the table only
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { findRedisServer, startRedisServer } from '../test/helpers/redis-server';
import { bundleEntry, startReadyProcess, stopProcess } from '../test/helpers/worker-processes';
import { describeMachine } from './lib/machine';
import { formatMarkdownTable } from './lib/table';
import { measureWorkers, type WorkersCase, type WorkersResult } from './scale/measure-workers';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
};
const items = Number(option('--items') ?? 2000);
const concurrency = Number(option('--concurrency') ?? 16);
const timeScale = Number(option('--time-scale') ?? 1);
const workerCounts = (option('--workers-list') ?? '1,2,4').split(',').map(Number);
const profile = option('--profile');
const started = performance.now();
const loadAtStart = loadavg()[0]!;
const progress = (what: string) =>
  console.error(`[workers ${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`);

const binary = findRedisServer();
if (binary === undefined)
  throw new Error('redis-server not found (apt-get install -y redis-server)');
const redis = await startRedisServer(binary);
const root = fileURLToPath(new URL('..', import.meta.url));
const worker = await bundleEntry(`${root}test/fixtures/bullmq-worker-process.ts`);
const emulatorEntry = await bundleEntry(`${root}bench/scale/emulator-process.ts`);
const emulator = await startReadyProcess(emulatorEntry.file, { TIME_SCALE: String(timeScale) });
const results: WorkersResult[] = [];
try {
  const bed = {
    redisUrl: redis.url,
    redisPid: redis.pid,
    emulatorUrl: emulator.line.split(' ')[1]!,
    emulatorPid: emulator.child.pid!,
    worker,
    timeScale,
  };
  const cases: WorkersCase[] = [
    { items, workers: 0, concurrency },
    ...workerCounts.map((workers) => ({
      items,
      workers,
      concurrency,
      nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    })),
    { items, workers: 0, concurrency: concurrency * Math.max(...workerCounts) },
  ];
  for (const setup of cases) {
    progress(
      setup.workers === 0
        ? `in process at concurrency ${setup.concurrency}`
        : `${setup.workers} worker(s) at concurrency ${setup.concurrency}`,
    );
    results.push(await measureWorkers(bed, setup));
  }
} finally {
  await stopProcess(emulator.child);
  await redis.stop();
  worker.remove();
  emulatorEntry.remove();
}

const oneWorker = results.find((result) => result.workers === 1);
const fmt = (value: number, digits = 1) => value.toFixed(digits);
const rows = results.map((result) => {
  const cpu = result.cpuMsPerItem;
  const total = cpu.coordinator + cpu.workers + cpu.emulator + cpu.redis;
  const atOnce = result.workers === 0 ? result.concurrency : result.workers * result.concurrency;
  return {
    where:
      result.workers === 0
        ? `one process, no executor, concurrency ${result.concurrency}`
        : `${result.workers} worker${result.workers > 1 ? 's' : ''} x concurrency ${result.concurrency}`,
    'items at once': String(atOnce),
    wall: `${fmt(result.wallMs / 1000)} s`,
    'items/s': fmt(result.itemsPerSecond),
    'vs 1 worker': oneWorker ? `${fmt(result.itemsPerSecond / oneWorker.itemsPerSecond, 2)}x` : '',
    'mean item': `${fmt(result.meanItemMs, 0)} ms`,
    'latency bound': fmt((atOnce / result.meanItemMs) * 1000),
    'CPU ms/item: coordinator': fmt(cpu.coordinator, 2),
    workers: fmt(cpu.workers, 2),
    emulator: fmt(cpu.emulator, 2),
    redis: fmt(cpu.redis, 2),
    'CPU cores busy': fmt((total * result.itemsPerSecond) / 1000, 2),
    'CPU bound (items/s on all cores)': fmt((cpus().length * 1000) / total),
    failed: String(result.failed),
  };
});
const table = formatMarkdownTable(rows);
const intro = `${describeMachine()} · ${items} items, emulator at time scale ${timeScale}, ${cpus().length} cores, load average ${fmt(loadAtStart)} at the start and ${fmt(loadavg()[0]!)} at the end · took ${((performance.now() - started) / 1000).toFixed(0)} s`;
const explain = [
  `The \`questions\` map of \`test/fixtures/items-chain.ts\` (8-token answers on mercury-2, ~0.57 s each at time scale 1) on the HTTP emulator in its own process, Redis on loopback, worker processes from \`test/fixtures/bullmq-worker-process.ts\` (bundled, started before the clock). Mercury 2's 1,000 requests a minute are lifted in every runtime: with them every row is held to ~17 items/s, and workers limited each on their own would get the whole limit each (share it with \`createRedisLimits\`).`,
  '"latency bound" is items at once over the mean item time the trace measured; "CPU bound" is the cores over the CPU time all processes spent per item (coordinator, workers, emulator, Redis), the most this machine could do if nothing else ran on it. CPU time is read from `/proc` per process over the timed run.',
].join('\n\n');
const section = `<!-- workers:start -->\n## Map items on worker processes\n\n${intro}\n\nRegenerate with \`npm run bench:workers\` (or \`npm run bench -- --workers\`).\n\n${explain}\n\n${table}\n<!-- workers:end -->`;
console.log(section);
if (!argv.includes('--no-write')) {
  const file = new URL('./results.md', import.meta.url);
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# hotpath benchmark results\n';
  const pattern = /<!-- workers:start -->[\s\S]*<!-- workers:end -->/;
  writeFileSync(
    file,
    pattern.test(existing)
      ? existing.replace(pattern, section)
      : `${existing.trimEnd()}\n\n${section}\n`,
  );
  progress('wrote the workers section of bench/results.md');
}
