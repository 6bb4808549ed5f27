import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { EmulatorOptions, EmulatorStats } from 'hotpath/node';

/** The HTTP emulator on a worker thread: its address, its stats, and a way to stop it. */
export interface ThreadedEmulator {
  readonly url: string;
  readonly baseURL: string;
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

/** Starts `startEmulator(options)` on a worker thread (see `emulator-worker.ts`). */
export async function startThreadedEmulator(options: EmulatorOptions): Promise<ThreadedEmulator> {
  // A worker does not inherit tsx's loader: register it, then load the TypeScript entry.
  const entry = new URL('./emulator-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: options });
  const reply = async (type: string) => {
    for (;;) {
      const [message] = (await once(worker, 'message')) as [{ type: string } & Record<string, any>];
      if (message.type === type) return message;
    }
  };
  const ready = await reply('ready');
  return {
    url: ready.url,
    baseURL: ready.baseURL,
    async stats() {
      worker.postMessage({ type: 'stats' });
      return (await reply('stats')).stats as EmulatorStats;
    },
    async close() {
      worker.postMessage({ type: 'close' });
      await reply('closed');
      await worker.terminate();
    },
  };
}
