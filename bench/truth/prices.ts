import { createEmulatedPool, createRuntime } from 'hotpath';
import type { BenchRow } from '../lib/table';
import type { Shape } from '../scheduler/shapes';
import { catalogProfiles, profilesFor } from '../scheduler/strategies';
import { benchTruth, createDatedBenchClock, offPeakStart, peakStart, withoutDate } from './world';

/** One run's real bill (the emulator's, at the window in force at each call's start). */
interface Bill {
  readonly usd: number;
  readonly models: string;
}

/**
 * `shape` run under `balanced` in the truth world starting at `startAt`: planned at static
 * prices (a runtime whose clock has no date prices DeepSeek at its base, off-peak, rates, as the
 * catalog did before its windows) or at the prices of the hour (the time-aware plan).
 */
async function bill(shape: Shape, startAt: Date, timeAware: boolean): Promise<Bill> {
  const clock = createDatedBenchClock(startAt);
  const pool = createEmulatedPool({
    profiles: profilesFor(shape, catalogProfiles),
    clock,
    truth: benchTruth,
    seed: 11,
  });
  const runtime = createRuntime({
    models: pool,
    clock: timeAware ? clock : withoutDate(clock),
    objective: 'balanced',
    hedge: false,
  });
  const { trace } = await runtime.run(shape.build(), shape.input);
  const calls = new Map<string, number>();
  for (const step of trace.steps) {
    if (step.model === undefined) continue;
    calls.set(step.model, (calls.get(step.model) ?? 0) + (step.items ?? 1));
  }
  return {
    usd: pool.stats().costUsd,
    models: [...calls].map(([model, count]) => `${model} x${count}`).join(', '),
  };
}

/** Per shape: the real bill at peak and off-peak of the static-price plan and the time-aware one. */
export async function benchPriceWindows(shapes: readonly Shape[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const shape of shapes) {
    const staticPeak = await bill(shape, peakStart, false);
    const awarePeak = await bill(shape, peakStart, true);
    const staticOff = await bill(shape, offPeakStart, false);
    const awareOff = await bill(shape, offPeakStart, true);
    const saving = (before: Bill, after: Bill) =>
      `${(((before.usd - after.usd) / before.usd) * 100).toFixed(1)}%`;
    rows.push({
      shape: shape.id,
      'peak: static plan': `$${staticPeak.usd.toFixed(5)} (${staticPeak.models})`,
      'peak: time-aware plan': `$${awarePeak.usd.toFixed(5)} (${awarePeak.models})`,
      'peak saving': saving(staticPeak, awarePeak),
      'off-peak: static plan': `$${staticOff.usd.toFixed(5)}`,
      'off-peak: time-aware plan': `$${awareOff.usd.toFixed(5)} (${awareOff.models})`,
      'off-peak saving': saving(staticOff, awareOff),
    });
  }
  return rows;
}
