/**
 * Per-step cost of hotpath's runners over plain `generateText`, wall and CPU time, in one
 * process (a quick look between full `bench:peers` runs; CPU time holds up better on a loaded
 * machine):
 *
 *   npx tsx bench/peer/compare.ts seq10 200
 */
import { balancedOrder } from '../lib/order';
import { generateCall, plainRun } from './baselines';
import { hotpathRunner } from './hotpath';
import { createMockModel } from './mock-model';
import { peerShapes } from './shapes';

const [shapeArg = 'seq10,diamond', repeatsArg = '200'] = process.argv.slice(2);
const model = createMockModel();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
for (const shapeId of shapeArg.split(',')) {
  const shape = peerShapes.find((one) => one.id === shapeId)!;
  const runners = {
    generateText: { run: plainRun(shape, model, generateCall), cleanUp: () => {} },
    defaults: hotpathRunner(shape, model, 'defaults'),
    jsonl: hotpathRunner(shape, model, 'jsonl'),
  };
  const wall: Record<string, number[]> = { generateText: [], defaults: [], jsonl: [] };
  const cpu: Record<string, number[]> = { generateText: [], defaults: [], jsonl: [] };
  const ids = Object.keys(runners) as (keyof typeof runners)[];
  for (const id of ids) for (let k = 0; k < 3; k++) await runners[id].run();
  const repeats = Math.max(3, Math.round(Number(repeatsArg) / Math.sqrt(shape.calls / 10)));
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const id of balancedOrder(ids, repeat)) {
      const start = performance.now();
      const used = process.cpuUsage();
      await runners[id].run();
      const spent = process.cpuUsage(used);
      wall[id]!.push(((performance.now() - start) * 1000) / shape.calls);
      cpu[id]!.push((spent.user + spent.system) / shape.calls);
    }
  }
  for (const runner of Object.values(runners)) runner.cleanUp();
  const over = (series: Record<string, number[]>, id: string) =>
    median(series[id]!.map((value, index) => value - series.generateText![index]!)).toFixed(0);
  console.log(
    `${shapeId.padEnd(10)} µs/step over generateText (${median(wall.generateText!).toFixed(0)} wall, ${median(cpu.generateText!).toFixed(0)} cpu): ` +
      `defaults wall ${over(wall, 'defaults')} cpu ${over(cpu, 'defaults')} · jsonl wall ${over(wall, 'jsonl')} cpu ${over(cpu, 'jsonl')}`,
  );
}
