import type { ModelPricing, PriceWindow } from './profile';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const weekdayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** The flat prices of one moment, the window they belong to, and when they next change. */
export interface PricesAt {
  /** Prices per million tokens in force at the instant (no windows). */
  readonly pricing: ModelPricing;
  /** The window's name (`peak`), or the pricing's `baseName` (`off-peak`, default `standard`). */
  readonly window: string;
  /** The next instant (Unix ms) at which the prices change; `Infinity` when they never do. */
  readonly untilMs: number;
}

/** Whether `pricing` has any time windows. */
export function hasPriceWindows(pricing: ModelPricing): boolean {
  return pricing.windows !== undefined && pricing.windows.length > 0;
}

/** The window in force at `epochMs` (Unix ms, UTC), if any: the first that matches. */
export function findWindow(pricing: ModelPricing, epochMs: number): PriceWindow | undefined {
  const windows = pricing.windows;
  if (windows === undefined || !Number.isFinite(epochMs)) return undefined;
  const date = new Date(epochMs);
  const day = date.getUTCDay();
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
  return windows.find(
    (window) => window.days.includes(day) && hour >= window.fromHour && hour < window.toHour,
  );
}

/**
 * The prices in force at `epochMs` (Unix ms): a window's own prices or the base prices times its
 * multiplier, else the base prices; with the instant the prices next change.
 */
export function pricesAt(pricing: ModelPricing, epochMs: number): PricesAt {
  const base = flat(pricing);
  if (!hasPriceWindows(pricing) || !Number.isFinite(epochMs)) {
    return { pricing: base, window: pricing.baseName ?? 'standard', untilMs: Infinity };
  }
  const window = findWindow(pricing, epochMs);
  return {
    pricing: window === undefined ? base : windowPrices(base, window),
    window: window?.name ?? pricing.baseName ?? 'standard',
    untilMs: nextChange(pricing, epochMs, window),
  };
}

/** Every set of flat prices `pricing` can be in: its base prices and each window's. */
export function priceLevels(pricing: ModelPricing): ModelPricing[] {
  const base = flat(pricing);
  return [base, ...(pricing.windows ?? []).map((window) => windowPrices(base, window))];
}

/** `04:00 UTC`, or `Sat 00:00 UTC` when the change is on another day. */
export function formatChange(fromMs: number, untilMs: number): string {
  if (!Number.isFinite(untilMs)) return 'for good';
  const date = new Date(untilMs);
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} UTC`;
  const sameDay = Math.floor(fromMs / dayMs) === Math.floor(untilMs / dayMs);
  return sameDay ? time : `${weekdayNames[date.getUTCDay()]} ${time}`;
}

/** `peak until 04:00 UTC` */
export function describePrices(prices: PricesAt, fromMs: number): string {
  return `${prices.window} until ${formatChange(fromMs, prices.untilMs)}`;
}

function flat(pricing: ModelPricing): ModelPricing {
  return {
    inputPerMTok: pricing.inputPerMTok,
    cachedInputPerMTok: pricing.cachedInputPerMTok,
    outputPerMTok: pricing.outputPerMTok,
  };
}

function windowPrices(base: ModelPricing, window: PriceWindow): ModelPricing {
  const times = window.multiplier ?? 1;
  return {
    inputPerMTok: window.prices?.inputPerMTok ?? base.inputPerMTok * times,
    cachedInputPerMTok: window.prices?.cachedInputPerMTok ?? base.cachedInputPerMTok * times,
    outputPerMTok: window.prices?.outputPerMTok ?? base.outputPerMTok * times,
  };
}

/** The first window edge after `epochMs` (within two weeks) where another window (or none) applies. */
function nextChange(
  pricing: ModelPricing,
  epochMs: number,
  current: PriceWindow | undefined,
): number {
  // Prices change only at window edges: try each edge (as an hour of the week) in time order.
  const edges = new Set<number>();
  for (const window of pricing.windows ?? []) {
    for (const day of window.days) {
      edges.add(day * 24 + window.fromHour);
      edges.add(day * 24 + window.toHour);
    }
  }
  const sorted = [...edges].sort((a, b) => a - b);
  const intoDay = ((epochMs % dayMs) + dayMs) % dayMs;
  const weekStart = epochMs - intoDay - new Date(epochMs).getUTCDay() * dayMs;
  for (let week = 0; week < 2; week++) {
    for (const edge of sorted) {
      const at = weekStart + week * 7 * dayMs + edge * hourMs;
      if (at <= epochMs) continue;
      if (findWindow(pricing, at)?.name !== current?.name) return at;
    }
  }
  return Infinity;
}
