// Vitest global setup: a throwaway PostgreSQL cluster for the run-store tests, from Debian's
// server binaries, on a free loopback port, in a fresh temp folder, stopped (and deleted) after
// the run. Tests read its URL with `inject('postgresUrl')`; an empty URL means no server (the
// reason is in `inject('postgresSkip')`). In CI (`CI=true`) a missing server fails the run.
import type { TestProject } from 'vitest/node';
import { postgresBin, postgresMissing, startCluster } from '../helpers/postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSkip: string;
  }
}

/** Test files that need the server: a run of other files does not start one. */
const needs = /postgres|crash-resume|cli-runs/i;

export default async function setup(project: TestProject) {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && arg !== 'run');
  if (filters.length > 0 && !filters.some((filter) => needs.test(filter))) {
    project.provide('postgresUrl', '');
    project.provide('postgresSkip', 'no selected test file needs it');
    return;
  }
  const reason = postgresMissing(postgresBin);
  if (reason !== undefined) {
    if (process.env.CI === 'true') throw new Error(`${reason}; CI runs every test`);
    console.warn(
      `\n[postgres] skipping the PostgreSQL tests (src/postgres/*.test.ts, the Postgres crash test and hotpath runs on PostgreSQL): ${reason}\n`,
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
