import { appendFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '../../../test/helpers/run-store-contract';
import { runFixtureProcess } from '../../../test/helpers/worker-processes';
import { createFileRunStore } from './file-run-store';

const root = await mkdtemp(join(tmpdir(), 'hotpath-file-store-'));
let folders = 0;
afterAll(() => rm(root, { recursive: true, force: true }));

// Each store gets a folder that does not exist yet: the store creates it.
runStoreContract('file', async ({ now }) =>
  createFileRunStore({ dir: join(root, `store-${++folders}`, 'nested'), _internal: { now } }),
);

describe('file run store', () => {
  const start = {
    type: 'start' as const,
    at: 1,
    chain: 'c',
    definitionHash: 'd',
    inputHash: 'i',
    input: {},
    steps: 1,
    attempt: 1,
  };

  it('lists and clears a folder that does not exist without creating it', async () => {
    const dir = join(root, 'never-written');
    const store = createFileRunStore({ dir });
    expect(await store.list()).toEqual([]);
    expect(await store.clearCache()).toBe(0);
    expect(await store.read('r')).toBeUndefined();
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ignores a torn last line, and the next append starts on a line of its own', async () => {
    const dir = join(root, 'torn');
    const store = createFileRunStore({ dir });
    await store.append('run/1', [start]);
    const path = join(dir, 'runs', 'run%2F1.jsonl');
    // A crash mid-write: half an entry, no newline.
    await appendFile(path, '{"type":"unit","at":2,"stepId":"s","key":"k","out');
    expect(await store.read('run/1')).toEqual([start]);
    expect((await store.list())[0]).toMatchObject({ runId: 'run/1', status: 'running' });

    const resumed = createFileRunStore({ dir });
    const end = { type: 'end' as const, at: 3, status: 'ok' as const, trace: {} as never };
    await resumed.append('run/1', [end]);
    expect(await resumed.read('run/1')).toEqual([start, end]);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
  });

  it('ignores a torn line cut off mid-batch, and reopens its journals after close()', async () => {
    const dir = join(root, 'torn-batch');
    const store = createFileRunStore({ dir });
    const unit = (item: number) => ({
      type: 'unit' as const,
      at: 2,
      stepId: 'items',
      item,
      key: `k${item}`,
      output: { text: `item ${item}` },
      record: {} as never,
    });
    await store.append('r', [start, unit(0), unit(1)]);
    // A process killed while writing a batch: its whole lines are there, its last one cut short.
    const path = join(dir, 'runs', 'r.jsonl');
    await appendFile(path, `${JSON.stringify(unit(2))}\n${JSON.stringify(unit(3)).slice(0, 30)}`);
    const resumed = createFileRunStore({ dir });
    expect((await resumed.read('r'))?.map((entry) => entry.type === 'unit' && entry.item)).toEqual([
      false,
      0,
      1,
      2,
    ]);
    await resumed.append('r', [unit(3), unit(4)]);
    await resumed.close();
    await resumed.append('r', [unit(5)]);
    await resumed.close();
    await store.close();
    const items = (await resumed.read('r'))!
      .slice(1)
      .map((entry) => entry.type === 'unit' && entry.item);
    expect(items).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses to read or list a journal it cannot read, rather than take the run for a new one', async () => {
    const dir = join(root, 'unreadable');
    const store = createFileRunStore({ dir });
    await store.append('r', [start]);
    await store.close();
    // A journal that is there but cannot be read (here a folder in its place): resuming it as
    // a new run would pay for its steps again.
    await rm(join(dir, 'runs', 'r.jsonl'));
    await mkdir(join(dir, 'runs', 'r.jsonl'));
    await expect(store.read('r')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await store.read('other')).toBeUndefined();
    // Nor is it left out of the list as if it were not there.
    await expect(store.list()).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('fences appends by the lease file when another store on the folder took the lease', async () => {
    // Two stores on one folder, as two processes: the second took the run over once the first's
    // lease lapsed, so the first's own record of its lease says nothing of it.
    let time = 1_000;
    const now = () => time;
    const dir = join(root, 'two-processes');
    const first = createFileRunStore({ dir, _internal: { now } });
    const second = createFileRunStore({ dir, _internal: { now } });
    try {
      await first.lease('r', 'one', 1000);
      await first.append('r', [start], { owner: 'one' });
      // A holder that another store gave the lease to writes too (checked under the lock).
      time += 1001;
      await second.lease('r', 'two', 1000);
      await second.append('r', [{ ...start, attempt: 2 }], { owner: 'two' });
      await expect(
        first.append('r', [{ type: 'map', at: 2, stepId: 's', items: 1 }], { owner: 'one' }),
      ).rejects.toMatchObject({ reason: 'lease-lost', leaseOwner: 'two' });
      await first.release('r', 'one');
      // Its release gave nothing up: the lease stays the second's.
      await second.append('r', [{ type: 'map', at: 3, stepId: 's', items: 1 }], { owner: 'two' });
      expect((await first.read('r'))?.map((entry) => entry.at)).toEqual([1, 1, 3]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('refuses a run id too long for a file name, naming the option', async () => {
    const store = createFileRunStore({ dir: join(root, 'long-ids') });
    const ascii = 'a'.repeat(220);
    expect((await store.lease(ascii, 'me', 1_000)).acquired).toBe(true);
    await store.append(ascii, [start]);
    expect(await store.read(ascii)).toEqual([start]);
    // 30 characters of 3 UTF-8 bytes each: 270 once percent-encoded.
    const encodedLong = 'ラン'.repeat(15);
    for (const runId of ['a'.repeat(221), encodedLong]) {
      await expect(store.lease(runId, 'me', 1_000)).rejects.toMatchObject({
        name: 'InvalidArgumentError',
        argument: 'runId',
        message: expect.stringContaining('at most 220 characters once percent-encoded'),
      });
      await expect(store.append(runId, [start])).rejects.toMatchObject({ argument: 'runId' });
    }
    await store.close();
  });

  it('keeps odd run ids and cache keys inside its folder', async () => {
    const dir = join(root, 'odd');
    const store = createFileRunStore({ dir });
    await store.append('../../escape', [start]);
    expect(await store.read('../../escape')).toEqual([start]);
    expect((await store.list()).map((run) => run.runId)).toEqual(['../../escape']);
  });

  it('gives each lease to one of several processes claiming it at once', async () => {
    const dir = join(root, 'race');
    const fixture = fileURLToPath(
      new URL('../../../test/fixtures/file-lease-process.ts', import.meta.url),
    );
    const runs = 40;
    // Far enough ahead for every process to have started (tsx takes a second or two here).
    const startAt = Date.now() + 4_000;
    const claim = async (owner: string) => {
      const env = { DIR: dir, OWNER: owner, RUNS: String(runs), START_AT: String(startAt) };
      return ((await runFixtureProcess(fixture, env, owner)) as { won: string[] }).won;
    };
    const won = await Promise.all(['a', 'b', 'c'].map(claim));
    const all = won.flat().sort();
    // Every run won once: none twice, none by nobody.
    expect(all).toEqual(Array.from({ length: runs }, (_, index) => `run-${index}`).sort());
    const store = createFileRunStore({ dir });
    const holders = await Promise.all(
      Array.from({ length: runs }, (_, index) => store.lease(`run-${index}`, 'late', 1_000)),
    );
    expect(holders.every((holder) => !holder.acquired)).toBe(true);
  }, 30_000);
});
