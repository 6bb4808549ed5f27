import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelPool, createRuntime, defineModel, hotpathEventNames, type TraceExporter } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import { balancedOrder } from './lib/order';
import { generateCall, plainRun } from './peer/baselines';
import { hotpathChain } from './peer/hotpath';
import { createMockModel } from './peer/mock-model';
import { peerShapes } from './peer/shapes';
import { zeroProfile } from './overhead/zero-model';
const [id = 'seq10', warmArg = '300', repArg = '200'] = process.argv.slice(2);
const shape = peerShapes.find((s) => s.id === id)!;
const model = createMockModel();
const folder = mkdtempSync(join(tmpdir(), 'tmp-split-'));
const noop: TraceExporter = { name: 'noop', attach(events) { const offs = hotpathEventNames.map((e) => events.on(e, () => {})); return () => offs.forEach((o) => o()); } };
function mk(name: string, opts: any) {
  const pool = createModelPool([defineModel(model, zeroProfile)]);
  const rt = createRuntime({ models: pool, ...opts });
  const built = hotpathChain(shape);
  const ex = opts.exporters?.find((e: any) => e.flush);
  return { id: name, run: async () => { await rt.run(built, { topic: 'overhead' }); await ex?.flush(); } };
}
let n = 0;
const runners = [
  { id: 'gen', run: plainRun(shape, model, generateCall) },
  mk('def', {}),
  mk('hook', { onStepEnd: () => void n++ }),
  mk('noop-all', { exporters: [noop] }),
  mk('jsonl-end', { exporters: [jsonlExporter({ path: join(folder, 'a.jsonl'), events: ['step:end', 'chain:end'] })] }),
  mk('jsonl', { exporters: [jsonlExporter({ path: join(folder, 'b.jsonl') })] }),
  mk('jsonl+hook', { exporters: [jsonlExporter({ path: join(folder, 'c.jsonl') })], onStepEnd: () => void n++ }),
];
for (const r of runners) for (let i = 0; i < Number(warmArg); i++) await r.run();
const times: Record<string, number[]> = {};
for (let rep = 0; rep < Number(repArg); rep++)
  for (const r of balancedOrder(runners, rep)) {
    const s = performance.now(); await r.run(); (times[r.id] ??= []).push(performance.now() - s);
  }
const med = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]!; };
const d = med(times.def!);
console.log(id, 'warm', warmArg, JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(((med(v) - d) * 1000) / shape.calls)]))));
