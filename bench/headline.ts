import { claudeHaiku45, mercury2 } from 'hotpath';
import { median, seconds } from './lib/stats';
import type { BenchRow } from './lib/table';
import type { StrategyResult } from './scheduler/emulated';
import type { HttpResult } from './scheduler/http';

/**
 * The design's headline: a 10-call chain of 500-token outputs on an 89 tok/s model (Haiku 4.5)
 * against a 1,009 tok/s one (Mercury 2), first-token time included and stated. Figures come from
 * the `sequential-10` shape's all-premium and all-fast rows (each call ~520 tokens in).
 */
export function headlineRows(
  emulated: readonly StrategyResult[],
  http: readonly HttpResult[],
): BenchRow[] {
  return (
    [
      ['premium', claudeHaiku45],
      ['fast', mercury2],
    ] as const
  ).map(([id, profile]) => {
    const result = emulated.find(
      (entry) => entry.planned.shape.id === 'sequential-10' && entry.planned.strategy.id === id,
    )!;
    const measured = http.find(
      (entry) => entry.planned.shape.id === 'sequential-10' && entry.planned.strategy.id === id,
    );
    const step = result.planned.plan.steps[0]!.predicted;
    const firstTokenMs =
      profile.roundTripMs +
      profile.timeToFirstTokenMs +
      (step.inputTokens / profile.prefillTokensPerSecond) * 1000;
    const decodeMs = (step.outputTokens / profile.outputTokensPerSecond) * 1000;
    return {
      model: `${profile.id} (${profile.outputTokensPerSecond.toLocaleString('en-US')} tok/s)`,
      'first token per call': `${(firstTokenMs / 1000).toFixed(2)} s (${profile.roundTripMs} ms round trip + ${profile.timeToFirstTokenMs} ms TTFT + prefill)`,
      'decoding, 10 x 500 tokens': seconds(decodeMs * 10),
      'first tokens, 10 calls': seconds(firstTokenMs * 10),
      planned: seconds(result.planned.plan.durationMs),
      'emulated run (virtual clock)': seconds(median(result.runMs)),
      'over HTTP': measured ? seconds(median(measured.runMs)) : 'not run',
      cost: `$${result.planned.plan.costUsd.toFixed(5)}`,
    };
  });
}
