// The HTTP emulator in a process of its own (bench/workers.ts), so that its CPU time is counted
// apart from the coordinator's. Prints `ready URL`; stops on SIGTERM.
import { startEmulator } from '../../src/emulator/node';

const emulator = await startEmulator({ timeScale: Number(process.env.TIME_SCALE ?? 1) });
console.log(`ready ${emulator.url}`);
process.on('SIGTERM', () => {
  emulator.close().then(() => process.exit(0));
});
