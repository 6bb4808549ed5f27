import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A process entry bundled into one plain `.mjs` file, and a way to delete it. */
export interface BundledEntry {
  readonly file: string;
  remove(): void;
}

/**
 * Bundles a TypeScript process entry and the hotpath sources it imports into one ES module
 * (packages stay external, loaded from node_modules): a child started on it with plain `node`
 * is ready in a fraction of the time `--import tsx` takes to compile the sources in every
 * process, which on a busy 2-core machine is seconds per process.
 */
export async function bundleEntry(entry: string): Promise<BundledEntry> {
  // Inside the repository, so that the bundle's bare imports resolve to its node_modules.
  const folder = `${root}node_modules/.cache/hotpath-test`;
  mkdirSync(folder, { recursive: true });
  const file = `${folder}/${basename(entry, '.ts')}-${process.pid}-${Date.now()}.mjs`;
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: file,
    logLevel: 'silent',
  });
  return { file, remove: () => rmSync(file, { force: true }) };
}

/** A child process that said it is ready, and the line it said it in. */
export interface ReadyProcess {
  readonly child: ChildProcess;
  readonly line: string;
}

/** Starts `node file` with `env` and resolves once it prints `ready` on its stdout. */
export function startReadyProcess(
  file: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ReadyProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split('\n').find((text) => text.startsWith('ready'));
      if (line !== undefined) resolve({ child, line });
    });
    child.once('exit', (code) => reject(new Error(`${basename(file)} exited ${code}: ${stderr}`)));
  });
}

/** Stops a child with `signal` unless it has ended, and resolves once it has. */
export function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * Runs a TypeScript fixture in a child process (`--import tsx`) with `env` added to this one's,
 * and resolves to the JSON of the last line it prints; rejects with its stderr when it exits
 * otherwise than with 0. `label` names it in that error.
 */
export function runFixtureProcess(
  fixture: string,
  env: Record<string, string>,
  label: string,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${label} exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}
