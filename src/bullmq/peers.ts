import { loadPeer } from '../redis/load-peer';

type Bullmq = typeof import('bullmq');
type Ioredis = typeof import('ioredis');

/** Imports `ioredis` then `bullmq`, failing at once naming whichever is missing. */
export async function loadBullmq(): Promise<{ bullmq: Bullmq; ioredis: Ioredis }> {
  // BullMQ 6 does not bring its driver: without it, workers loop on connection errors.
  const ioredis = await loadPeer<Ioredis>('ioredis', 'hotpath/bullmq');
  const bullmq = await loadPeer<Bullmq>('bullmq', 'hotpath/bullmq');
  return { bullmq, ioredis };
}

/** Where BullMQ's Redis is. */
export interface BullmqConnection {
  /** `redis://host:port/db`. */
  readonly url: string;
}
