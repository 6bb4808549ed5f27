import { cache } from './cache';
import { calibrate } from './calibrate';
import { emulate } from './emulate';
import { plan } from './plan';
import { runs } from './runs';
import { trace } from './trace';

/** A CLI command: one line for the usage list, and its entry point (resolves to an exit code). */
export interface Command {
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}

/** Every `hotpath` command by name. */
export const commands: Readonly<Record<string, Command>> = {
  cache,
  calibrate,
  emulate,
  plan,
  runs,
  trace,
};
