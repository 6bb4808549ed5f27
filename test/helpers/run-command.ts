import { vi } from 'vitest';
import type { Command } from '../../src/cli/commands';

/** Runs a `hotpath` command in process, with what it logs and prints as errors captured. */
export async function runCommand(command: Pick<Command, 'run'>, args: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text = '') => out.push(String(text)));
  vi.spyOn(console, 'error').mockImplementation((text = '') => err.push(String(text)));
  const code = await command.run(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}
