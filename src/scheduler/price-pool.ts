import { derivePool, type ModelPool } from '../models/pool';
import { hasPriceWindows, type PricesAt, pricesAt } from '../models/price-windows';

/** A pool with each model's prices of one instant, and which window each model was in. */
export interface PricedPool {
  readonly pool: ModelPool;
  /** Per model id with price windows, the window in force and when it ends. */
  readonly prices: ReadonlyMap<string, PricesAt>;
  /** Names the windows in force: two instants with the same key price every model the same. */
  readonly key: string;
}

const byWindows = new WeakMap<ModelPool, Map<string, ModelPool>>();

/**
 * `pool` as priced at `epochMs` (Unix ms): models with price windows carry the flat prices in
 * force then, so predictions, candidates and solvers price every call at that instant. The same
 * windows give the same pool object. Without an instant, or without windows, `pool` itself.
 */
export function pricePoolAt(pool: ModelPool, epochMs: number | undefined): PricedPool {
  if (epochMs === undefined || !pool.models.some((m) => hasPriceWindows(m.profile.pricing))) {
    return { pool, prices: new Map(), key: '' };
  }
  const prices = new Map<string, PricesAt>();
  for (const entry of pool.models) {
    if (hasPriceWindows(entry.profile.pricing)) {
      prices.set(entry.id, pricesAt(entry.profile.pricing, epochMs));
    }
  }
  const key = [...prices].map(([id, at]) => `${id}:${at.window}`).join(',');
  let cache = byWindows.get(pool);
  if (cache === undefined) {
    cache = new Map();
    byWindows.set(pool, cache);
  }
  let priced = cache.get(key);
  if (priced === undefined) {
    const entries = pool.models.map((entry) => {
      const at = prices.get(entry.id);
      return at ? { ...entry, profile: { ...entry.profile, pricing: at.pricing } } : entry;
    });
    priced = derivePool(pool, entries);
    cache.set(key, priced);
  }
  return { pool: priced, prices, key };
}
