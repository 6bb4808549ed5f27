import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import type { CachedUnit, JournalEntry, LeaseResult, RunStore, RunSummary } from '../run-store';
import { summarizeJournal } from '../summarize';
import { withFileLock } from './file-lock';

/** A journal kept open between appends: closed at its run's end, when idle, or on `close()`. */
const idleCloseMs = 2_000;

interface OpenJournal {
  readonly handle: Promise<FileHandle>;
  writes: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** Options of {@link createFileRunStore}. */
export interface FileRunStoreOptions {
  /** The folder runs are kept in; created when missing. */
  dir: string;
  /** Test seam: the wall clock leases and the cache read. */
  _internal?: { now?: () => number };
}

/**
 * A run store in a folder: one append-only JSON Lines journal per run (`runs/ID.jsonl`), a lease
 * file per run held under a lock folder, and one file per cached unit. A crash mid-write leaves at
 * most a torn last line, which reading ignores (and the next append closes off), so a run is never
 * corrupt. Entries are not fsync'ed: they survive the process (a crash, a SIGKILL), not a power cut.
 * Each `append` is one write of whole lines (O_APPEND) on a handle kept open while the run goes on
 * (closed after its end entry, after 2 s without appends, or by `close()`).
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv(), store: createFileRunStore({ dir: '.hotpath' }) });
 * ```
 */
export function createFileRunStore(options: FileRunStoreOptions): RunStore & {
  close(): Promise<void>;
} {
  const { dir } = options;
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new InvalidArgumentError({ argument: 'dir', expected: 'a folder path', value: dir });
  }
  const now = options._internal?.now ?? Date.now;
  const runsDir = join(dir, 'runs');
  const leasesDir = join(dir, 'leases');
  const cacheDir = join(dir, 'cache');
  let ready: Promise<void> | undefined;
  const ensure = () => {
    ready ??= Promise.all(
      [runsDir, leasesDir, cacheDir].map((path) => mkdir(path, { recursive: true })),
    ).then(() => {});
    return ready;
  };
  const journalPath = (runId: string) => join(runsDir, `${fileName(runId)}.jsonl`);
  const leasePath = (runId: string) => join(leasesDir, `${fileName(runId)}.json`);
  /** Journals whose end this process has checked for a torn line. */
  const checkedTail = new Set<string>();
  const openJournals = new Map<string, OpenJournal>();
  const closeJournal = async (path: string) => {
    const file = openJournals.get(path);
    if (file === undefined || file.writes > 0) return;
    openJournals.delete(path);
    clearTimeout(file.timer);
    await (await file.handle.catch(() => undefined))?.close().catch(() => {});
  };
  const writeJournal = async (path: string, text: string, last: boolean) => {
    let file = openJournals.get(path);
    if (file === undefined) {
      const handle = open(path, 'a');
      file = { handle, writes: 0 };
      openJournals.set(path, file);
      // A failed open is tried again by the next append.
      handle.catch(() => openJournals.delete(path));
    }
    clearTimeout(file.timer);
    file.writes++;
    try {
      await writeWhole(await file.handle, text);
    } finally {
      file.writes--;
    }
    if (last) await closeJournal(path);
    else if (file.writes === 0) {
      file.timer = setTimeout(() => void closeJournal(path), idleCloseMs);
      file.timer.unref?.();
    }
  };

  const readLease = async (runId: string) => {
    const text = await readFile(leasePath(runId), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as { owner: string; expiresAt: number };
    } catch {
      return undefined;
    }
  };
  const writeAtomic = async (path: string, text: string) => {
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, path);
  };

  return {
    async append(runId, entries) {
      if (entries.length === 0) return;
      await ensure();
      const path = journalPath(runId);
      let text = '';
      if (!checkedTail.has(path)) {
        // A crash mid-line leaves a fragment without its newline: end it so ours starts clean.
        const existing = await readFile(path, 'utf8').catch(() => '');
        if (existing.length > 0 && !existing.endsWith('\n')) text = '\n';
        checkedTail.add(path);
      }
      for (const entry of entries) text += `${JSON.stringify(entry)}\n`;
      await writeJournal(path, text, entries[entries.length - 1]!.type === 'end');
    },
    async read(runId) {
      const text = await readFile(journalPath(runId), 'utf8').catch(() => undefined);
      return text === undefined ? undefined : parseJournal(text);
    },
    async list() {
      await ensure();
      const names = (await readdir(runsDir)).filter((name) => name.endsWith('.jsonl'));
      const summaries: RunSummary[] = [];
      for (const name of names) {
        const runId = decodeURIComponent(name.slice(0, -'.jsonl'.length));
        const text = await readFile(join(runsDir, name), 'utf8').catch(() => '');
        const lease = await readLease(runId);
        const live = lease !== undefined && lease.expiresAt > now() ? lease.expiresAt : undefined;
        const summary = summarizeJournal(runId, parseJournal(text), live);
        if (summary !== undefined) summaries.push(summary);
      }
      return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async lease(runId, owner, leaseMs): Promise<LeaseResult> {
      await ensure();
      return withFileLock(`${leasePath(runId)}.lock`, async () => {
        const held = await readLease(runId);
        if (held !== undefined && held.expiresAt > now() && held.owner !== owner) {
          return { acquired: false, owner: held.owner, expiresAt: held.expiresAt };
        }
        const expiresAt = now() + leaseMs;
        await writeAtomic(leasePath(runId), JSON.stringify({ owner, expiresAt }));
        return { acquired: true, expiresAt };
      });
    },
    async release(runId, owner) {
      await ensure();
      await withFileLock(`${leasePath(runId)}.lock`, async () => {
        if ((await readLease(runId))?.owner === owner) await rm(leasePath(runId), { force: true });
      });
    },
    async getCached(key) {
      const text = await readFile(join(cacheDir, `${fileName(key)}.json`), 'utf8').catch(
        () => undefined,
      );
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as CachedUnit;
      } catch {
        return undefined;
      }
    },
    async putCached(key, unit) {
      await ensure();
      await writeAtomic(join(cacheDir, `${fileName(key)}.json`), JSON.stringify(unit));
    },
    async clearCache(clear = {}) {
      await ensure();
      let dropped = 0;
      for (const name of await readdir(cacheDir)) {
        if (!name.endsWith('.json')) continue;
        const path = join(cacheDir, name);
        if (clear.olderThanMs !== undefined) {
          const text = await readFile(path, 'utf8').catch(() => undefined);
          const storedAt = text === undefined ? 0 : safeStoredAt(text);
          if (now() - storedAt <= clear.olderThanMs) continue;
        }
        await rm(path, { force: true });
        dropped++;
      }
      return dropped;
    },
    async close() {
      await Promise.all([...openJournals.keys()].map(closeJournal));
    },
  };
}

/**
 * Writes `text` at the end of the file (opened with `a`: O_APPEND) in one `write`, and the rest
 * after a short write; `FileHandle.write` costs about half the CPU of `appendFile` per batch.
 */
async function writeWhole(handle: FileHandle, text: string): Promise<void> {
  const data = Buffer.from(text);
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset);
    offset += bytesWritten;
  }
}

/** A run id or cache key as a file name: anything outside `[A-Za-z0-9_-]` percent-encoded. */
function fileName(id: string): string {
  return encodeURIComponent(id).replace(
    /[.!'()*~]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A journal's entries; a line that does not parse (a torn write) is skipped. */
function parseJournal(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      // A torn line from a crash mid-write: what it held was never acknowledged.
    }
  }
  return entries;
}

function safeStoredAt(text: string): number {
  try {
    return (JSON.parse(text) as CachedUnit).storedAt;
  } catch {
    return 0;
  }
}
