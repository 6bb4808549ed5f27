import pg from 'pg';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { leaseLostError } from '../stores/lease-lost';
import type {
  CachedUnit,
  JournalEntry,
  LeaseResult,
  RunStore,
  RunSummary,
} from '../stores/run-store';
import { type SummaryEntry, summarizeEntries, summaryEntry } from '../stores/summarize';
import { schemaSql, tablesFor } from './schema';

/** Options of {@link createPostgresRunStore}: a connection string, or a `pg` pool you own. */
export type PostgresRunStoreOptions = (
  | {
      /** Where the database is (`postgres://user:pass@host:5432/db`): the store makes its pool. */
      connectionString: string;
      pool?: never;
    }
  | {
      /** A `pg` pool you own: `close()` leaves it open. */
      pool: pg.Pool;
      connectionString?: never;
    }
) & {
  /** Prefix of the store's table names (letters, digits, `_`). @default 'hotpath_' */
  tablePrefix?: string;
  /**
   * Whether the store's frequent statements (append, read, lease, cache) are named, so that each
   * connection parses and plans them once: a one-entry append took 190 µs instead of 320 on a
   * local server. Turn it off behind a pooler that cannot keep prepared statements (PgBouncer
   * in transaction mode before 1.21, or without `max_prepared_statements`). @default true
   */
  preparedStatements?: boolean;
  /**
   * How long the pool the store makes waits for a connection to be ready before it gives up, in
   * ms: a host that takes the connection and never answers would otherwise hang the store (and a
   * CLI on it) for good. A pool you pass keeps its own setting. @default 10000
   */
  connectTimeoutMs?: number;
  /** Test seam: the wall clock leases and the cache read. */
  _internal?: { now?: () => number };
};

/** A run store on PostgreSQL, with `close()` (which ends the pool when the store made it). */
export interface PostgresRunStore extends RunStore {
  close(): Promise<void>;
}

/**
 * A run store on PostgreSQL, for apps that run many processes: journals, leases and the cache in
 * three tables. It connects and creates the tables before it resolves (under an advisory lock,
 * so processes starting together do not race), and rejects when the database cannot be reached.
 * A lease is taken with one atomic upsert, so of two processes one wins.
 *
 * @example
 * ```ts
 * const store = await createPostgresRunStore({ connectionString: process.env.DATABASE_URL! });
 * const runtime = createRuntime({ models: models.fromEnv(), store });
 * // ...
 * await store.close();
 * ```
 */
export async function createPostgresRunStore(
  options: PostgresRunStoreOptions,
): Promise<PostgresRunStore> {
  const prefix = options.tablePrefix ?? 'hotpath_';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) {
    throw new InvalidArgumentError({
      argument: 'tablePrefix',
      expected: 'letters, digits and `_`, not starting with a digit',
      value: prefix,
    });
  }
  const { connectionString } = options as { connectionString?: unknown };
  if (options.pool === undefined && typeof connectionString !== 'string') {
    throw new InvalidArgumentError({
      argument: 'connectionString',
      expected: 'a PostgreSQL URL (or pass `pool`)',
      value: connectionString,
    });
  }
  const owned = options.pool === undefined;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
    throw new InvalidArgumentError({
      argument: 'connectTimeoutMs',
      expected: 'a whole number of ms from 1 up',
      value: connectTimeoutMs,
    });
  }
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      connectionTimeoutMillis: connectTimeoutMs,
    });
  // A connection the server drops while idle in the pool (a restart, pg_terminate_backend, an
  // idle timeout) is an 'error' event on the pool, which without a listener ends the process: the
  // pool has already let the connection go, and the next query opens another.
  if (owned) pool.on('error', () => {});
  const now = options._internal?.now ?? Date.now;
  const tables = tablesFor(prefix);
  try {
    await createTables(pool, schemaSql(tables), prefix);
  } catch (error) {
    if (owned) await pool.end().catch(() => {});
    throw error;
  }
  const { entries, leases, cache } = tables;
  const prepared = options.preparedStatements ?? true;
  /** A query, named after the store's tables when statements are prepared. */
  const statement = (name: string, text: string, values: unknown[]): pg.QueryConfig =>
    prepared ? { name: `${prefix}${name}`, text, values } : { text, values };

  return {
    async append(runId, batch, append) {
      if (batch.length === 0) return;
      const columns = batch.map(entryColumns);
      const values = [
        runId,
        ...(
          [
            'type',
            'at',
            'chain',
            'steps',
            'stepId',
            'item',
            'items',
            'costUsd',
            'status',
            'body',
          ] as const
        ).map((field) => columns.map((column) => column[field])),
      ];
      const owner = append?.owner;
      if (owner === undefined) {
        await pool.query(statement('append', appendSql(entries, ''), values));
        return;
      }
      // Fencing in the same statement: the rows go in only while `owner` holds the lease, and
      // `FOR SHARE` keeps another process's claim waiting until they are in (a claim that
      // commits first leaves the row another's, and the check sees it).
      const written = await pool.query(
        statement(
          'append_leased',
          appendSql(
            entries,
            `WHERE EXISTS (SELECT 1 FROM ${leases} WHERE run_id = $1 AND owner = $12 AND expires_at > $13 FOR SHARE)`,
          ),
          [...values, owner, now()],
        ),
      );
      if ((written.rowCount ?? 0) > 0) return;
      const held = await pool.query<{ owner: string; expires_at: number }>(
        statement('holder', `SELECT owner, expires_at FROM ${leases} WHERE run_id = $1`, [runId]),
      );
      const row = held.rows[0];
      throw leaseLostError(
        runId,
        owner,
        row && { owner: row.owner, expiresAt: row.expires_at },
        now(),
      );
    },
    async read(runId) {
      const { rows } = await pool.query<{ body: string }>(
        statement('read', `SELECT body FROM ${entries} WHERE run_id = $1 ORDER BY seq`, [runId]),
      );
      return rows.length === 0
        ? undefined
        : rows.map((row) => JSON.parse(row.body) as JournalEntry);
    },
    async list() {
      const [{ rows }, held] = await Promise.all([
        pool.query<SummaryRow>(
          `SELECT run_id, type, at, chain, steps, step_id, item, items, cost_usd, status FROM ${entries} ORDER BY run_id, seq`,
        ),
        pool.query<{ run_id: string; expires_at: number }>(
          `SELECT run_id, expires_at FROM ${leases} WHERE expires_at > $1`,
          [now()],
        ),
      ]);
      const lapses = new Map(held.rows.map((row) => [row.run_id, row.expires_at]));
      const byRun = new Map<string, SummaryEntry[]>();
      for (const row of rows) {
        let list = byRun.get(row.run_id);
        if (list === undefined) {
          list = [];
          byRun.set(row.run_id, list);
        }
        list.push(summaryOfRow(row));
      }
      const summaries: RunSummary[] = [];
      for (const [runId, list] of byRun) {
        const summary = summarizeEntries(runId, list, lapses.get(runId));
        if (summary !== undefined) summaries.push(summary);
      }
      return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async summary(runId) {
      const [{ rows }, held] = await Promise.all([
        pool.query<SummaryRow>(
          statement(
            'summary',
            `SELECT run_id, type, at, chain, steps, step_id, item, items, cost_usd, status FROM ${entries} WHERE run_id = $1 ORDER BY seq`,
            [runId],
          ),
        ),
        pool.query<{ expires_at: number }>(
          statement(
            'live',
            `SELECT expires_at FROM ${leases} WHERE run_id = $1 AND expires_at > $2`,
            [runId, now()],
          ),
        ),
      ]);
      return summarizeEntries(runId, rows.map(summaryOfRow), held.rows[0]?.expires_at);
    },
    async lease(runId, owner, leaseMs): Promise<LeaseResult> {
      for (;;) {
        const at = now();
        const taken = await pool.query<{ expires_at: number }>(
          statement(
            'lease',
            `INSERT INTO ${leases} (run_id, owner, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (run_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
             WHERE ${leases}.owner = EXCLUDED.owner OR ${leases}.expires_at <= $4
           RETURNING expires_at`,
            [runId, owner, at + leaseMs, at],
          ),
        );
        if (taken.rows.length > 0) return { acquired: true, expiresAt: taken.rows[0]!.expires_at };
        const held = await pool.query<{ owner: string; expires_at: number }>(
          statement('holder', `SELECT owner, expires_at FROM ${leases} WHERE run_id = $1`, [runId]),
        );
        const row = held.rows[0];
        // Released (or lapsed) in between: ask again.
        if (row !== undefined && row.expires_at > now()) {
          return { acquired: false, owner: row.owner, expiresAt: row.expires_at };
        }
      }
    },
    async release(runId, owner) {
      await pool.query(
        statement('release', `DELETE FROM ${leases} WHERE run_id = $1 AND owner = $2`, [
          runId,
          owner,
        ]),
      );
    },
    async getCached(key) {
      const { rows } = await pool.query<{ body: string }>(
        statement('cached', `SELECT body FROM ${cache} WHERE key = $1`, [key]),
      );
      return rows[0] === undefined ? undefined : (JSON.parse(rows[0].body) as CachedUnit);
    },
    async putCached(key, unit) {
      await pool.query(
        statement(
          'cache',
          `INSERT INTO ${cache} (key, stored_at, body) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET stored_at = EXCLUDED.stored_at, body = EXCLUDED.body`,
          [key, unit.storedAt, JSON.stringify(unit)],
        ),
      );
    },
    async clearCache(clear = {}) {
      const result =
        clear.olderThanMs === undefined
          ? await pool.query(`DELETE FROM ${cache}`)
          : await pool.query(`DELETE FROM ${cache} WHERE stored_at < $1`, [
              now() - clear.olderThanMs,
            ]);
      return result.rowCount ?? 0;
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}

/** The multi-row insert of an append, with `condition` (a `WHERE` clause, or nothing). */
function appendSql(entries: string, condition: string): string {
  return `INSERT INTO ${entries} (run_id, type, at, chain, steps, step_id, item, items, cost_usd, status, body)
         SELECT $1, t.type, t.at, t.chain, t.steps, t.step_id, t.item, t.items::int[], t.cost_usd, t.status, t.body
         FROM unnest($2::text[], $3::float8[], $4::text[], $5::int[], $6::text[], $7::int[], $8::text[], $9::float8[], $10::text[], $11::text[])
           WITH ORDINALITY AS t(type, at, chain, steps, step_id, item, items, cost_usd, status, body, n)
         ${condition}
         ORDER BY t.n`;
}

async function createTables(pool: pg.Pool, ddl: string, prefix: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Processes starting together would race on CREATE TABLE IF NOT EXISTS: take turns.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `hotpath-run-store:${prefix}`,
    ]);
    await client.query(ddl);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

interface SummaryRow {
  run_id: string;
  type: JournalEntry['type'];
  at: number;
  chain: string | null;
  steps: number | null;
  step_id: string | null;
  item: number | null;
  items: number[] | null;
  cost_usd: number | null;
  status: 'ok' | 'error' | null;
}

/** The columns of an entry beside its JSON text. */
function entryColumns(entry: JournalEntry) {
  const summary = summaryEntry(entry);
  return {
    type: entry.type,
    at: entry.at,
    chain: summary.type === 'start' ? summary.chain : null,
    steps: summary.type === 'start' ? summary.steps : null,
    stepId: 'stepId' in summary ? summary.stepId : null,
    item: summary.type === 'unit' ? (summary.item ?? null) : null,
    // An array literal for the `int[]` cast: `unnest` would flatten an array of arrays.
    items: summary.type === 'items' ? `{${summary.items.join(',')}}` : null,
    costUsd: 'costUsd' in summary ? summary.costUsd : null,
    status: summary.type === 'end' ? summary.status : null,
    body: JSON.stringify(entry),
  };
}

/** What `summarizeEntries` reads of an entry, from its columns. */
function summaryOfRow(row: SummaryRow): SummaryEntry {
  const { at } = row;
  switch (row.type) {
    case 'start':
      return { type: 'start', at, chain: row.chain!, steps: row.steps! };
    case 'unit':
      return {
        type: 'unit',
        at,
        stepId: row.step_id!,
        item: row.item ?? undefined,
        costUsd: row.cost_usd ?? 0,
      };
    case 'items':
      return {
        type: 'items',
        at,
        stepId: row.step_id!,
        items: row.items ?? [],
        costUsd: row.cost_usd ?? 0,
      };
    case 'map':
      return { type: 'map', at, stepId: row.step_id! };
    default:
      return { type: 'end', at, status: row.status ?? 'error' };
  }
}
