import { type AddressInfo, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { describe, expect, inject, it, vi } from 'vitest';
import { runStoreContract } from '../../test/helpers/run-store-contract';
import { createPostgresRunStore } from './postgres-run-store';

const url = inject('postgresUrl');
let stores = 0;

describe.skipIf(url === '')(
  `PostgreSQL run store${url === '' ? ` (skipped: ${inject('postgresSkip')})` : ''}`,
  () => {
    // Each store gets its own tables (a fresh prefix), so the contract starts from empty.
    runStoreContract('postgres', ({ now }) =>
      createPostgresRunStore({
        connectionString: url,
        tablePrefix: `t${process.pid}_${++stores}_`,
        _internal: { now },
      }),
    );

    // The same contract with every statement sent unnamed (as behind a transaction pooler).
    runStoreContract('postgres, statements not prepared', ({ now }) =>
      createPostgresRunStore({
        connectionString: url,
        tablePrefix: `u${process.pid}_${++stores}_`,
        preparedStatements: false,
        _internal: { now },
      }),
    );

    it('prepares its statements on each connection, unless told not to', async () => {
      // One connection: the statements the store prepared on it are the session's.
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const preparedOn = async (preparedStatements: boolean) => {
          const tablePrefix = `p${process.pid}_${++stores}_`;
          const store = await createPostgresRunStore({ pool, tablePrefix, preparedStatements });
          await store.append('r', [
            { type: 'map', at: 1, stepId: 's', items: 1 },
            { type: 'map', at: 2, stepId: 't', items: 1 },
          ]);
          await store.lease('r', 'me', 1_000);
          expect(await store.read('r')).toHaveLength(2);
          const { rows } = await pool.query<{ name: string }>(
            'SELECT name FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY name',
            [`${tablePrefix}%`],
          );
          return rows.map((row) => row.name.slice(tablePrefix.length));
        };
        expect(await preparedOn(true)).toEqual(['append', 'lease', 'read']);
        expect(await preparedOn(false)).toEqual([]);
      } finally {
        await pool.end();
      }
    });

    it('creates its tables once when many processes start together, and works on a pool you own', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 8 });
      try {
        const prefix = `race${process.pid}_`;
        const created = await Promise.all(
          Array.from({ length: 6 }, () => createPostgresRunStore({ pool, tablePrefix: prefix })),
        );
        await created[0]!.append('r', [
          {
            type: 'start',
            at: 1,
            chain: 'c',
            definitionHash: 'd',
            inputHash: 'i',
            input: { nul: 'a\u0000b' },
            steps: 1,
            attempt: 1,
          },
        ]);
        const entries = await created[5]!.read('r');
        expect(entries?.[0]).toMatchObject({ input: { nul: 'a\u0000b' } });
        // Closing a store on a pool it did not make leaves the pool open.
        await created[0]!.close();
        expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      } finally {
        await pool.end();
      }
    });

    it('outlives its connections being dropped, idle or mid-append, and loses or doubles nothing', async () => {
      const tablePrefix = `k${process.pid}_${++stores}_`;
      // Its connections named, so that only they are dropped (other files share the server).
      const connectionString = `${url}?application_name=${tablePrefix}`;
      const store = await createPostgresRunStore({ connectionString, tablePrefix });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const rows = async () =>
        Number(
          (await admin.query(`SELECT count(*) FROM ${tablePrefix}run_entries WHERE run_id = 'r'`))
            .rows[0].count,
        );
      const dropAll = () =>
        admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [tablePrefix],
        );
      const entry = (at: number) => ({ type: 'map' as const, at, stepId: 's', items: 1 });
      try {
        await store.append('r', [entry(1)]);
        // Dropped while idle in the pool: an 'error' event the pool must not throw.
        await dropAll();
        // Idle until the pool hears of it: the backend gone, and the socket's end read.
        await vi.waitFor(async () => {
          const left = await admin.query(
            'SELECT 1 FROM pg_stat_activity WHERE application_name = $1',
            [tablePrefix],
          );
          expect(left.rowCount).toBe(0);
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        let acknowledged = 1;
        await vi.waitFor(async () => {
          await store.append('r', [entry(2)]);
          acknowledged++;
        });
        // Dropped mid-append: the batch is one statement, there whole or not at all.
        const batch = Array.from({ length: 20_000 }, (_, index) => entry(10 + index));
        const appending = store.append('r', batch).then(
          () => true,
          (error: Error) => {
            expect(error.message).toMatch(/EPIPE|ECONNRESET|terminat|Connection/i);
            return false;
          },
        );
        await dropAll();
        if (await appending) acknowledged += batch.length;
        expect(await rows()).toBe(acknowledged);
        await store.append('r', [entry(3)]);
        expect(await rows()).toBe(acknowledged + 1);
      } finally {
        await admin.end();
        await store.close();
      }
    });

    it('says what it expected of its options', async () => {
      await expect(
        createPostgresRunStore({ connectionString: url, tablePrefix: 'bad-prefix' }),
      ).rejects.toThrow(
        'Expected `tablePrefix` to be letters, digits and `_`, not starting with a digit, got `bad-prefix` (string)',
      );
    });
  },
);

describe('PostgreSQL run store connecting', () => {
  it('gives up on a server that takes the connection and never answers', async () => {
    // A loopback listener that accepts and stays silent: without a timeout, pg waits for good.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(
        createPostgresRunStore({
          connectionString: `postgres://someone@127.0.0.1:${port}/db`,
          connectTimeoutMs: 200,
        }),
      ).rejects.toThrow(/timeout/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a connectTimeoutMs that is not a whole number of ms', async () => {
    await expect(
      createPostgresRunStore({
        connectionString: 'postgres://x@127.0.0.1/db',
        connectTimeoutMs: 0,
      }),
    ).rejects.toThrow('Expected `connectTimeoutMs` to be a whole number of ms from 1 up, got `0`');
  });
});
