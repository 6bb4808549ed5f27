/**
 * Summarises a `.cpuprofile` (from `node --cpu-prof`): self time by area (hotpath's own files,
 * the AI SDK, web streams, GC, the rest) and the top hotpath functions by self and total time.
 *
 *   npx tsx bench/overhead/summarize-profile.ts DIR_OR_FILE [top=15]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [target = '.', topArg = '15'] = process.argv.slice(2);
const file = statSync(target).isDirectory()
  ? join(target, readdirSync(target).find((entry) => entry.endsWith('.cpuprofile'))!)
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

/** hotpath's own code: its sources, or the peer bench's build of them (`bench/peer/spawn.ts`). */
const isHotpath = (url: string) => url.includes('/src/') || url.includes('/.hotpath-bench-');

const area = (node: ProfileNode): string => {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  if (url.includes('/src/')) return `hotpath ${url.slice(url.indexOf('/src/') + 5).split('/')[0]}`;
  if (isHotpath(url)) return 'hotpath (build)';
  if (url.includes('/node_modules/ai/')) return 'ai (AI SDK)';
  if (url.includes('/node_modules/@ai-sdk/')) return '@ai-sdk/*';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('webstreams')) return 'node web streams';
  if (url.startsWith('node:')) return 'node internals';
  return functionName === '(program)' || url === '' ? 'native / microtasks' : 'other';
};
const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.includes('/src/') ? url.slice(url.indexOf('/src/') + 1) : url.split('/').pop();
  return `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
};

let total = 0;
const areas = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const totalByFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  total += us;
  areas.set(area(node), (areas.get(area(node)) ?? 0) + us);
  if (isHotpath(node.callFrame.url)) {
    selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + us);
  }
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)!;
    if (!isHotpath(frame.callFrame.url)) continue;
    const key = label(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    totalByFunction.set(key, (totalByFunction.get(key) ?? 0) + us);
  }
}
const share = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const top = Number(topArg);
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${share(us)}  ${key}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by area', areas);
print('hotpath functions, self time', selfByFunction);
print('hotpath functions, total time (synchronous callees included)', totalByFunction);
