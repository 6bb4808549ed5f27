// Vitest global setup: a throwaway PostgreSQL cluster for the run-store tests, from Debian's
// server binaries, on a free loopback port, in a fresh temp folder, stopped (and deleted) after
// the run. Tests read its URL with `inject('postgresUrl')`; an empty URL means no server (the
// reason is in `inject('postgresSkip')`). In CI (`CI=true`) a missing server fails the run.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSkip: string;
  }
}

const bin = process.env.HOTPATH_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** Test files that need the server: a run of other files does not start one. */
const needs = /postgres|crash-resume/i;

export default async function setup(project: TestProject) {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && arg !== 'run');
  if (filters.length > 0 && !filters.some((filter) => needs.test(filter))) {
    project.provide('postgresUrl', '');
    project.provide('postgresSkip', 'no selected test file needs it');
    return;
  }
  const missing = ['initdb', 'pg_ctl'].filter((name) => !existsSync(join(bin, name)));
  if (missing.length > 0) {
    const reason = `PostgreSQL server binaries not found in ${bin} (${missing.join(', ')}): install \`postgresql\` or set HOTPATH_PG_BIN`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI runs every test`);
    console.warn(
      `\n[postgres] skipping the PostgreSQL tests (src/postgres/*.test.ts and the Postgres crash test): ${reason}\n`,
    );
    project.provide('postgresUrl', '');
    project.provide('postgresSkip', reason);
    return;
  }
  const cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresSkip', '');
  return () => cluster.stop();
}

/** Runs a binary as the `postgres` user when we are root (initdb refuses root), else as us. */
function asPostgres(command: string, args: string[]) {
  const root = process.getuid?.() === 0;
  const [file, argv] = root
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startCluster(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-pg-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  // Another worktree may take the port between our probe and the server's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const options = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=50',
    ].join(' ');
    try {
      asPostgres(join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        join(dir, 'log'),
        '-o',
        options,
        '-w',
        '-t',
        '60',
        'start',
      ]);
    } catch (error) {
      if (attempt < 3) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop() {
        try {
          asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  }
}
