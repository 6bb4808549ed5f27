import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chain,
  createEmulatedPool,
  createRuntime,
  createVirtualClock,
  type JournalEntry,
  llm,
  mercury2,
} from 'hotpath';
import { createFileRunStore } from 'hotpath/node';
import { createPostgresRunStore } from 'hotpath/postgres';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { z } from 'zod';
import { cache } from '../src/cli/commands/cache';
import { runs } from '../src/cli/commands/runs';

const dir = await mkdtemp(join(tmpdir(), 'hotpath-cli-runs-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text = '') => out.push(String(text)));
  vi.spyOn(console, 'error').mockImplementation((text = '') => err.push(String(text)));
  return { out, err };
}

const fanOut = chain('fan-out', { input: z.object({ n: z.number() }) })
  .step('plan', llm({ prompt: ({ input }) => `Plan ${input.n}` }))
  .map(
    'items',
    ({ input }) => Array.from({ length: input.n }, (_, index) => index),
    llm({ prompt: (index: number) => `Item ${index}` }),
    { concurrency: 2 },
  );

const runtime = () =>
  createRuntime({
    models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() }),
    store: createFileRunStore({ dir }),
    cache: true,
  });

describe('hotpath runs and hotpath cache', () => {
  it('lists runs with status, progress and spend, and shows one like hotpath trace', async () => {
    await runtime().run(fanOut, { n: 4 }, { runId: 'finished-run' });
    // An interrupted run: aborted after its plan step, its lease given back.
    const controller = new AbortController();
    const interrupted = runtime();
    interrupted.on('step:end', (record) => {
      if (record.stepId === 'plan') controller.abort(new Error('stop'));
    });
    await expect(
      interrupted.run(fanOut, { n: 6 }, { runId: 'stopped-run', signal: controller.signal }),
    ).rejects.toThrow();

    const { out } = capture();
    expect(await runs.run(['--store', dir])).toBe(0);
    const table = out.join('\n');
    expect(table).toMatch(/^run\s+chain\s+status\s+attempts\s+progress\s+spend\s+updated/);
    expect(table).toMatch(/stopped-run\s+fan-out\s+error\s+1\s+1\/2 steps\s+\$0\.\d{6}/);
    expect(table).toMatch(/finished-run\s+fan-out\s+ok\s+1\s+2\/2 steps, 4 items\s+\$0\.\d{6}/);

    out.length = 0;
    expect(await runs.run(['show', 'finished', '--store', dir])).toBe(0);
    const shown = out.join('\n');
    expect(shown).toMatch(/^run finished-run \(ok, attempt 1\)/);
    expect(shown).toContain('fan-out');
    expect(shown).toContain('items');

    out.length = 0;
    expect(await runs.run(['show', 'finished-run', '--store', dir, '--json'])).toBe(0);
    const trace = JSON.parse(out.join('\n'));
    expect(trace.items.items).toHaveLength(4);
    expect(trace.status).toBe('ok');
  });

  it('shows a finished run: the waterfall of the trace its end entry holds', async () => {
    const store = join(dir, 'drawn');
    await createRuntime({
      models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() }),
      store: createFileRunStore({ dir: store }),
    }).run(fanOut, { n: 3 }, { runId: 'drawn-run' });
    const { out } = capture();
    vi.stubEnv('NO_COLOR', '1');
    expect(await runs.run(['show', 'drawn-run', '--store', store])).toBe(0);
    const [head, blank, ...waterfall] = out.join('\n').split('\n');
    expect(head).toMatch(/^run drawn-run \(ok, attempt 1\), \d{4}-\d\d-\d\dT[\d:]+Z$/);
    expect(blank).toBe('');
    // The journal keeps no first-token time of a map item: each item's bar waits to its end.
    expect(waterfall.join('\n')).toMatchInlineSnapshot(`
      "fan-out finished in 2.24 s for $0.000634 (4 model calls, 862 tokens)

                 0ms           500ms         1000ms        1500ms       2000ms
      ● plan     ░░░░░░░░░░░░░░████████                                         0.76 s
      ● items ×3                      ░░░░░░░░░░░░░░░░░█░█░░░░░░░░░░░░░░░░░░░░█ 1.48 s
      ● critical path  ░ waiting for the first token  █ generating

      step      model      lane    ttft    took  in  out       cost
      plan      mercury-2  fast  0.53 s  0.76 s   6  240  $0.000181
      items ×3  mercury-2  fast       -  1.48 s  18  598  $0.000453

      critical path: plan → items
      planned: 2.49 s, $0.000753 (balanced) · ran: 2.24 s, $0.000634
      waited on: mercury-2 2.24 s (4 calls)
      same tokens on: all fast $0.000635 · all cheap $0.000635
        claude-haiku-4-5 $0.004214 (85% saved)"
    `);
  });

  it('shows a run that has not ended: interrupted or running, its calls, its partial map', async () => {
    // A run of plan and 4 items, its journal cut after items 0 and 1 as a crash would leave it.
    const whole = createFileRunStore({ dir: join(dir, 'whole') });
    await createRuntime({
      models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() }),
      store: whole,
    }).run(fanOut, { n: 4 }, { runId: 'whole' });
    const cut = ((await whole.read('whole')) ?? []).flatMap((entry): JournalEntry[] =>
      entry.type === 'end' || entry.type === 'map'
        ? []
        : entry.type === 'items'
          ? [{ ...entry, rows: entry.rows.filter((row) => row[0] < 2) }]
          : [entry],
    );
    const store = join(dir, 'crashed');
    const crashed = createFileRunStore({ dir: store });
    await crashed.append('crashed-run', cut);
    const { out } = capture();
    vi.stubEnv('NO_COLOR', '1');
    expect(await runs.run(['--store', store])).toBe(0);
    expect(out.join('\n')).toMatch(/crashed-run\s+fan-out\s+interrupted\s+1\s+1\/2 steps, 2 items/);
    out.length = 0;
    expect(await runs.run(['show', 'crashed-run', '--store', store])).toBe(0);
    const shown = out.join('\n');
    expect(shown).toMatch(/^run crashed-run \(interrupted, attempt 1\), /);
    expect(shown).toMatch(
      /\nfan-out was interrupted: [\d.]+ s done for \$0\.\d+ \(3 model calls, /,
    );
    expect(shown).toMatch(/\n {2}items ×2 +[░█ ]+ [\d.]+ s, partial\n/);
    expect(shown).not.toMatch(/failed|planned/);

    await crashed.lease('crashed-run', 'someone', 60_000);
    out.length = 0;
    expect(await runs.run(['show', 'crashed', '--store', store])).toBe(0);
    expect(out.join('\n')).toMatch(
      /^run crashed-run \(running, attempt 1\), .*\n\nfan-out is running: /,
    );
    out.length = 0;
    expect(await runs.run(['show', 'crashed-run', '--store', store, '--json'])).toBe(0);
    const trace = JSON.parse(out.join('\n'));
    expect(trace).toMatchObject({ status: 'running', calls: 3, partialSteps: ['items'] });
    expect(trace).not.toHaveProperty('plan');
  });

  it('says when it cannot find a run, and clears the cache', async () => {
    const { out, err } = capture();
    expect(await runs.run(['show', 'nope', '--store', dir])).toBe(1);
    expect(err.join('\n')).toMatch(/no run `nope`; the latest runs are/);
    expect(await cache.run(['clear', '--store', dir, '--older-than', '1h'])).toBe(0);
    expect(out.at(-1)).toBe(`cleared 0 cached results from ${dir}`);
    expect(await cache.run(['clear', '--store', dir])).toBe(0);
    // The first run cached its plan and 4 items; the stopped one its plan (another prompt).
    expect(out.at(-1)).toBe(`cleared 6 cached results from ${dir}`);
    expect(await cache.run(['clear', '--older-than', 'soon'])).toBe(2);
    expect(err.join('\n')).toContain('expected `--older-than` to be a duration such as 90s');
  });

  it('marks a running run whose lease lapsed as interrupted', async () => {
    const store = createFileRunStore({ dir: join(dir, 'lapsed') });
    await store.append('crashed', [
      {
        type: 'start',
        at: 1,
        chain: 'c',
        definitionHash: 'd',
        inputHash: 'i',
        input: {},
        steps: 2,
        attempt: 1,
      },
    ]);
    const { out } = capture();
    expect(await runs.run(['--store', join(dir, 'lapsed')])).toBe(0);
    expect(out.join('\n')).toMatch(/crashed\s+c\s+interrupted\s+1\s+0\/2 steps/);
    await store.lease('crashed', 'someone', 60_000);
    out.length = 0;
    expect(await runs.run(['--store', join(dir, 'lapsed')])).toBe(0);
    expect(out.join('\n')).toMatch(/crashed\s+c\s+running/);
    out.length = 0;
    expect(await runs.run(['show', 'crashed', '--store', join(dir, 'lapsed')])).toBe(0);
    expect(out[0]).toMatch(/^run crashed \(running, attempt 1\)/);
  });

  it('refuses a folder that holds something else than a run store, and names it', async () => {
    const other = await mkdtemp(join(tmpdir(), 'hotpath-not-a-store-'));
    await writeFile(join(other, 'notes.txt'), 'hello');
    const { out, err } = capture();
    expect(await runs.run(['--store', other])).toBe(1);
    expect(err.join('\n')).toBe(
      `hotpath runs: \`${other}\` is not a run store: it has none of a store's runs/, leases/ and cache/ folders (pass --store DIR|URL)`,
    );
    // A folder not made yet (the default .hotpath before a first run) holds no runs.
    expect(await runs.run(['--store', join(other, 'missing')])).toBe(0);
    expect(out).toEqual(['no runs']);
    await rm(other, { recursive: true, force: true });
  });

  it('says which database it cannot reach, without its password', async () => {
    // A loopback port nothing listens on: the connection is refused at once.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const { err } = capture();
    const url = `postgres://someone:s3cret@127.0.0.1:${port}/db`;
    expect(await runs.run(['--store', url])).toBe(1);
    expect(err.join('\n')).toMatch(
      new RegExp(
        `^hotpath runs: cannot open the run store at postgres://someone:\\*\\*\\*@127\\.0\\.0\\.1:${port}/db: .*ECONNREFUSED`,
      ),
    );
    expect(err.join('\n')).not.toContain('s3cret');
  });
});

const postgresUrl = inject('postgresUrl');

describe.skipIf(postgresUrl === '')('hotpath runs and hotpath cache on PostgreSQL', () => {
  it('lists, shows and clears the runs of a postgres:// store', async () => {
    // The CLI opens the store with its default tables, which other test files may share: the
    // run id is this test's own.
    const runId = `cli-postgres-${process.pid}-${Date.now()}`;
    const store = await createPostgresRunStore({ connectionString: postgresUrl });
    try {
      const pool = createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() });
      await createRuntime({ models: pool, store, cache: true }).run(fanOut, { n: 3 }, { runId });
    } finally {
      await store.close();
    }
    const { out } = capture();
    expect(await runs.run(['--store', postgresUrl])).toBe(0);
    expect(out.join('\n')).toMatch(
      new RegExp(`${runId}\\s+fan-out\\s+ok\\s+1\\s+2/2 steps, 3 items\\s+\\$0\\.\\d{6}`),
    );
    out.length = 0;
    expect(await runs.run(['show', runId, '--store', postgresUrl, '--json'])).toBe(0);
    const trace = JSON.parse(out.join('\n'));
    expect(trace.items.items).toHaveLength(3);
    // The test cluster trusts loopback connections: a password in the URL is taken and unused.
    const withSecret = postgresUrl.replace(
      /^postgres(ql)?:\/\/([^:@/]+)@/,
      'postgres://$2:s3cret@',
    );
    expect(withSecret).toContain(':s3cret@');
    expect(await cache.run(['clear', '--store', withSecret])).toBe(0);
    expect(out.at(-1)).toMatch(/^cleared \d+ cached results from postgres:\/\/[^:@/]+:\*\*\*@/);
    expect(out.join('\n')).not.toContain('s3cret');
  });
});
