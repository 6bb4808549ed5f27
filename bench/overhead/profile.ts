/**
 * Runs one overhead workload in a loop, for a CPU profile of where hotpath's time goes:
 *
 *   node --cpu-prof --cpu-prof-dir=.prof/seq-10-traced --import tsx bench/overhead/profile.ts seq-10 traced 8
 *   npx tsx bench/overhead/summarize-profile.ts .prof/seq-10-traced
 *
 * Workloads: seq-10, seq-1000, map-100, map-10000. Runtimes: baseline, default, traced, always.
 * The last argument is how many seconds to loop (default 8). Prints the time per call.
 */
import { createVariants } from './variants';
import { mapWorkload, sequentialWorkload, workloadInput } from './workloads';
import { createZeroModel } from './zero-model';

const [name = 'seq-10', runtimeId = 'traced', secondsArg = '8'] = process.argv.slice(2);
const [kind, size] = name.split('-') as [string, string];
const workload = kind === 'map' ? mapWorkload(Number(size), 64) : sequentialWorkload(Number(size));
const { model, pool } = createZeroModel();
const { variants, cleanUp } = createVariants(pool);
const variant = variants.find((candidate) => candidate.id === runtimeId);
const start = performance.now();
let runs = 0;
try {
  while (performance.now() - start < Number(secondsArg) * 1000 || runs === 0) {
    if (variant === undefined) await workload.baseline(model);
    else {
      await variant.runtime.run(workload.chain, workloadInput);
      await variant.flush();
    }
    runs++;
  }
} finally {
  cleanUp();
}
const perCall = ((performance.now() - start) * 1000) / (runs * workload.calls);
console.log(`${name} ${runtimeId}: ${runs} runs, ${perCall.toFixed(0)} µs per call`);
