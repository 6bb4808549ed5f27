import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
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

    it('says what it expected of its options', async () => {
      await expect(
        createPostgresRunStore({ connectionString: url, tablePrefix: 'bad-prefix' }),
      ).rejects.toThrow(
        'Expected `tablePrefix` to be letters, digits and `_`, not starting with a digit, got `bad-prefix` (string)',
      );
    });
  },
);
