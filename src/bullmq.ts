/**
 * `hotpath/bullmq`: a map's items as BullMQ jobs on worker processes. `bullmq` and `ioredis`
 * are optional peers, imported by this entry only, when an executor or worker first connects.
 */
export {
  type BullmqExecutor,
  type BullmqExecutorOptions,
  createBullmqExecutor,
} from './bullmq/executor';
export type { BullmqConnection } from './bullmq/peers';
export { type HotpathWorker, startWorker, type WorkerOptions } from './bullmq/worker';
