import { findProfile } from '../../models/catalog';
import type { ProfileOverrides } from '../../models/profile-overrides';
import { minLearnedSamples } from '../../scheduler/learned-pool';
import type { Calibration, MeasuredSpread, ModelCalibration } from './measure-models';

/**
 * The calibration as a table, one model a line, measured beside the catalog (in brackets, with how
 * far the p50 is from it): `mercury-2  40  612/980 ms (560, +9%)  702/810 (750, -6%)  2.5%  0.0%`.
 */
export function formatCalibration(calibration: Calibration, sources: readonly string[]): string {
  const lines = [
    `calibration from ${calibration.runs} run${calibration.runs === 1 ? '' : 's'} and ${calibration.calls} model calls in ${sources.join(', ')}`,
    '',
    `${'model'.padEnd(18)}${'calls'.padStart(6)}  ${'first token p50/p90'.padEnd(30)}${'speed p50/p90 tok/s'.padEnd(28)}${'errors'.padStart(7)}${'429s'.padStart(7)}`,
  ];
  for (const [model, entry] of Object.entries(calibration.models)) {
    lines.push(
      `${model.padEnd(18)}${String(entry.samples).padStart(6)}  ${spreadText(entry.timeToFirstTokenMs, entry.catalog?.timeToFirstTokenMs, ' ms').padEnd(30)}${spreadText(entry.outputTokensPerSecond, entry.catalog?.outputTokensPerSecond, '').padEnd(28)}${percent(entry.errorRate).padStart(7)}${percent(entry.rateLimitedRate).padStart(7)}`,
    );
  }
  lines.push(
    '',
    'In brackets: the catalog figure (first token with the round trip) and how far the p50 is from it.',
  );
  return lines.join('\n');
}

function spreadText(spread: MeasuredSpread, catalog: number | undefined, unit: string): string {
  if (spread.p50 === null || spread.p90 === null) return '-';
  const measured = `${round(spread.p50)}/${round(spread.p90)}${unit}`;
  if (catalog === undefined) return measured;
  const off = Math.round((spread.p50 / catalog - 1) * 100);
  return `${measured} (${round(catalog)}, ${off >= 0 ? '+' : ''}${off}%)`;
}

function round(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * Profile overrides from a calibration: each catalog model whose first token and speed were each
 * measured in enough calls gets its median first token (less each call's prefill and the
 * catalog's round trip, which plans add back) and median speed. `skipped` names the others and
 * the figure that is short.
 */
export function toOverrides(
  calibration: Calibration,
  sources: readonly string[],
  now = new Date(),
): { overrides: ProfileOverrides; skipped: string[] } {
  const skipped: string[] = [];
  const date = now.toISOString().slice(0, 10);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [model, entry] of Object.entries(calibration.models)) {
    const profile = findProfile(model);
    const first = entry.firstTokenLessPrefillMs.p50;
    const speed = entry.outputTokensPerSecond.p50;
    const short = shortFigures(entry);
    if (profile === undefined || first === null || speed === null || short !== undefined) {
      skipped.push(
        profile === undefined
          ? `${model} (not in the catalog, so its round trip is unknown)`
          : `${model} (${short}; ${minLearnedSamples} needed)`,
      );
      continue;
    }
    out[model] = {
      timeToFirstTokenMs: Math.max(1, Math.round(first - profile.roundTripMs)),
      outputTokensPerSecond: Math.round(speed * 10) / 10,
      source: `measured by hotpath calibrate: p50 of ${counted(entry.timeToFirstTokenMs.samples, 'first token')} and ${counted(entry.outputTokensPerSecond.samples, 'speed')} in ${sources.join(', ')} (${date})`,
    };
  }
  return {
    overrides: {
      version: 1,
      source: `hotpath calibrate ${sources.join(' ')} (${date})`,
      models: out,
    },
    skipped,
  };
}

/** The figures measured in too few calls, with their counts (`speed from 1 call`), if any. */
function shortFigures(entry: ModelCalibration): string | undefined {
  const figures = { 'first token': entry.timeToFirstTokenMs, speed: entry.outputTokensPerSecond };
  const short = Object.entries(figures)
    .filter(([, spread]) => spread.samples < minLearnedSamples)
    .map(([figure, { samples }]) => `${figure} from ${samples} call${samples === 1 ? '' : 's'}`);
  return short.length === 0 ? undefined : short.join(', ');
}

function counted(samples: number, figure: string): string {
  return `${samples} ${figure}${samples === 1 ? '' : 's'}`;
}
