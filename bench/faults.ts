import { faultScenarios, runFaultScenario } from '../test/helpers/fault-matrix';
import { signedPercent } from './lib/stats';
import type { BenchRow } from './lib/table';

/** The time scale the fault scenarios run at (the fault-matrix test's). */
export const faultTimeScale = 4;

/**
 * Every scenario of the fault-matrix test (`test/helpers/fault-matrix.ts`), over HTTP against
 * the emulator: what the runtime did, and the latency and cost it added to the clean run.
 */
export async function benchFaults(): Promise<BenchRow[]> {
  const results = [];
  for (const scenario of faultScenarios) {
    results.push({ scenario, result: await runFaultScenario(scenario, faultTimeScale) });
  }
  const clean = results.find(({ scenario }) => scenario.fault === undefined)!.result.trace;
  return results.map(({ scenario, result }) => {
    const { trace } = result;
    const record = trace.steps[0];
    return {
      scenario: scenario.name,
      expected: scenario.expected,
      outcome: result.outcome === scenario.expected ? result.outcome : `**${result.outcome}**`,
      'model that answered': record?.model ?? '',
      requests: String(result.requests),
      makespan: `${(trace.durationMs / 1000).toFixed(2)} s`,
      'extra latency': `${((trace.durationMs - clean.durationMs) / 1000).toFixed(2)} s (${signedPercent(trace.durationMs / clean.durationMs - 1, 0)})`,
      cost: `$${trace.costUsd.toFixed(6)}`,
      'extra cost': `${signedPercent(trace.costUsd / clean.costUsd - 1, 0)}`,
    };
  });
}
