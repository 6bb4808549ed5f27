/**
 * Runs one peer shape's hotpath runner in a loop, for a CPU profile of where its time goes:
 *
 *   node --cpu-prof --cpu-prof-dir=.prof/peer-seq10-jsonl --import tsx bench/peer/profile.ts seq10 jsonl 8
 *   npx tsx bench/overhead/summarize-profile.ts .prof/peer-seq10-jsonl
 *
 * Shapes: seq10, seq1000, fanout100, diamond. Variants: defaults, jsonl (a JSONL exporter and an
 * `onStepEnd` hook, flushed inside each run). The last argument is how many seconds to loop, or
 * how many runs (`500x`, for `perf stat` instruction counts that a loaded machine does not skew).
 */
import { type HotpathVariant, hotpathRunner } from './hotpath';
import { createMockModel } from './mock-model';
import { peerShapes } from './shapes';

const [shapeId = 'seq10', variant = 'jsonl', secondsArg = '8'] = process.argv.slice(2);
const shape = peerShapes.find((one) => one.id === shapeId);
if (shape === undefined) throw new Error(`Expected a peer shape id, got \`${shapeId}\``);
const runner = hotpathRunner(shape, createMockModel(), variant as HotpathVariant);
await runner.run();
const start = performance.now();
const cpu = process.cpuUsage();
let runs = 0;
try {
  // `500x`: that many runs (for instruction counts), else seconds.
  const runsWanted = secondsArg.endsWith('x') ? Number(secondsArg.slice(0, -1)) : undefined;
  while (
    runsWanted === undefined
      ? performance.now() - start < Number(secondsArg) * 1000
      : runs < runsWanted
  ) {
    await runner.run();
    runs++;
  }
} finally {
  runner.cleanUp();
}
const used = process.cpuUsage(cpu);
const perStep = ((performance.now() - start) * 1000) / (runs * shape.calls);
const cpuPerStep = (used.user + used.system) / (runs * shape.calls);
console.log(
  `${shapeId} ${variant}: ${runs} runs, ${perStep.toFixed(0)} µs per step (CPU ${cpuPerStep.toFixed(0)} µs)`,
);
