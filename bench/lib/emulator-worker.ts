import { parentPort, workerData } from 'node:worker_threads';
import { type EmulatorOptions, startEmulator } from 'hotpath/node';

/*
 * Runs the HTTP emulator on its own thread, so that on a small machine the server's work does
 * not queue behind the client's on one event loop (at a time scale, every real millisecond of
 * queueing is that many emulated milliseconds).
 */
const emulator = await startEmulator(workerData as EmulatorOptions);
parentPort!.postMessage({ type: 'ready', url: emulator.url, baseURL: emulator.baseURL });
parentPort!.on('message', async (message: { type: string }) => {
  if (message.type === 'stats') parentPort!.postMessage({ type: 'stats', stats: emulator.stats() });
  if (message.type === 'close') {
    await emulator.close();
    parentPort!.postMessage({ type: 'closed' });
    parentPort!.close();
  }
});
