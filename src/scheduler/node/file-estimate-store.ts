import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '../../errors';
import {
  createMemoryEstimateStore,
  type EstimateKey,
  type EstimateStore,
  type MemoryEstimateStore,
  type StepEstimateRecord,
  type StepSample,
} from '../estimate-store';
import type { CallSample } from '../model-stats';
import { appendLine } from './append-line';
import { tryCompactionLock } from './compaction-lock';
import { copyAppended, identityOf, sealLine } from './copy-appended';

/** Options of {@link createFileEstimateStore}. */
export interface FileEstimateStoreOptions {
  /** The file the measurements are appended to (created with its folder when missing). */
  path: string;
  /** Rewrite the file as a snapshot when it holds more lines than this at load. @default 20000 */
  compactAfterLines?: number;
}

/** A file estimate store: an {@link EstimateStore} that also reads what other processes added. */
export interface FileEstimateStore extends EstimateStore {
  readonly path: string;
  /** Reads the lines other processes appended since the last read. */
  refresh(): void;
}

/**
 * One line of the file: a step sample, a model call, or a whole estimate (`put`). An appended
 * line has an `id`, unique to it, so that its writer can find it again in a file replaced under
 * the write; a snapshot's lines (and those of older versions) have none.
 */
type Line = { v: 1; id?: string } & (
  | { k: 'step'; key: EstimateKey; s: StepSample }
  | { k: 'call'; s: CallSample }
  | { k: 'put'; key: EstimateKey; e: StepEstimateRecord }
);

/**
 * An estimate store kept in a file, so that what runs learn (per step token sizes, cached share
 * and durations; per model first-token and speed distributions) survives the process and is
 * shared by processes. Every measurement is one line appended with a single synchronous write
 * (`O_APPEND`): concurrent runs in one process and in several never tear a line, nothing needs
 * flushing before exit, and at load every process's samples are replayed in order, so runs merge
 * rather than overwrite one another. `refresh()` reads what others appended since. A file past
 * `compactAfterLines` is rewritten at load as a snapshot (under a lock file, by atomic rename),
 * with the lines others appended while it was written copied after it, and once more after the
 * rename, up to a seal it appends to the file replaced; a writer whose line went to that file
 * after the seal writes it again, so no line is lost. A lock older than a minute, or whose process on
 * this host has ended, was left by a crashed compactor and is broken. A store whose file another
 * process replaced so replays the new file from its start.
 *
 * @example
 * ```ts
 * import { createFileEstimateStore } from 'hotpath/node';
 * const runtime = createRuntime({
 *   models: models.fromEnv(),
 *   history: createFileEstimateStore({ path: '.hotpath/estimates.jsonl' }),
 * });
 * ```
 */
export function createFileEstimateStore(options: FileEstimateStoreOptions): FileEstimateStore {
  const { path, compactAfterLines = 20_000 } = options ?? ({} as FileEstimateStoreOptions);
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError({ argument: 'path', expected: 'a file path', value: path });
  }
  mkdirSync(dirname(path), { recursive: true });
  let memory = createMemoryEstimateStore();
  // Added to the memory store's version, so that it still only grows when a replaced file is
  // replayed into a fresh memory store.
  let versionBase = 0;
  let offset = 0;
  let lines = 0;
  // Which file `offset` is into: another process's compaction renames a new file over it.
  let identity: string | undefined;
  // Ids of the lines this store appended after others did, not read yet: `refresh()` skips them,
  // as the memory store has them already.
  const own = new Set<string>();
  const idPrefix = randomBytes(6).toString('base64url');
  let appended = 0;

  const apply = (line: Line) => {
    if (line.k === 'step') memory.record!(line.key, line.s);
    else if (line.k === 'call') memory.recordCall!(line.s);
    else if (line.k === 'put') memory.put(line.key, line.e);
  };
  const refresh = () => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    const now = identityOf(stat);
    if ((identity !== undefined && now !== identity) || stat.size < offset) {
      // Replaced (compacted by another process, or removed and written anew): `offset` means
      // nothing in the new file, which holds everything it knows, so replay it from its start.
      versionBase += memory.version!() + 1;
      memory = createMemoryEstimateStore();
      offset = 0;
      lines = 0;
      own.clear();
    }
    identity = now;
    const size = stat.size;
    if (size <= offset) return;
    const text = readFileSync(path).subarray(offset, size).toString('utf8');
    // Only whole lines: a line being appended right now is read next time.
    const end = text.lastIndexOf('\n') + 1;
    for (const raw of text.slice(0, end).split('\n')) {
      if (raw.length === 0) continue;
      lines++;
      try {
        const line = JSON.parse(raw) as Line;
        if (line?.v === 1 && !(line.id !== undefined && own.delete(line.id))) apply(line);
      } catch {
        // A torn or foreign line is skipped: the rest of the file still counts.
      }
    }
    offset += Buffer.byteLength(text.slice(0, end));
  };
  const append = (line: Line) => {
    const id = `${idPrefix}${(appended++).toString(36)}`;
    const bytes = Buffer.from(`${JSON.stringify({ ...line, id })}\n`);
    const { before, after, replaced } = appendLine(path, bytes, `${path}.lock`);
    const into = identityOf(after);
    // Nothing unread before the line and nothing since: read past it. Else skip it when read.
    if (
      !replaced &&
      before === offset &&
      after.size === before + bytes.length &&
      (identity === undefined || identity === into)
    ) {
      offset += bytes.length;
      lines++;
      identity = into;
    } else {
      own.add(id);
    }
  };

  refresh();
  if (lines > compactAfterLines) compact();

  function compact() {
    const release = tryCompactionLock(`${path}.lock`);
    if (release === undefined) return; // Another process compacts now; the file stays valid either way.
    const temporary = `${path}.${process.pid}.tmp`;
    let old: number | undefined;
    try {
      refresh();
      const snapshot = snapshotLines(memory, path);
      writeFileSync(temporary, snapshot);
      old = openSync(path, 'a+');
      // Replaced meanwhile by a compactor that broke this one's lock as stale: leave it that.
      if (identityOf(fstatSync(old)) !== identity) return;
      // Appenders take no lock: what they added since `refresh()` goes into the snapshot too.
      const copied = copyAppended(old, offset, temporary);
      if (identityOf(statSync(path)) !== identity) return;
      const written = identityOf(statSync(temporary));
      renameSync(temporary, path);
      // What was appended between the last look and the rename is still in the file replaced:
      // seal it, and copy on what came before the seal. A writer whose line lands after the seal
      // finds the file replaced and the seal before its line, and writes the line again.
      const seal = sealLine(`${process.pid}.${randomBytes(6).toString('base64url')}`);
      writeSync(old, seal);
      copyAppended(old, copied, path, seal);
      identity = written;
      offset = Buffer.byteLength(snapshot);
      lines = snapshot.split('\n').length - 1;
      // The lines copied after the snapshot are read as any other process's.
      refresh();
    } finally {
      if (old !== undefined) closeSync(old);
      rmSync(temporary, { force: true });
      release();
    }
  }

  return {
    path,
    refresh,
    get: (key) => memory.get(key),
    put(key, estimate) {
      memory.put(key, estimate);
      append({ v: 1, k: 'put', key, e: estimate });
    },
    record(key, sample) {
      memory.record!(key, sample);
      append({ v: 1, k: 'step', key, s: sample });
    },
    recordCall(sample) {
      memory.recordCall!(sample);
      append({ v: 1, k: 'call', s: sample });
    },
    modelStats: (model) => memory.modelStats!(model),
    version: () => versionBase + memory.version!(),
    endpointStats: (model, endpoint) => memory.endpointStats!(model, endpoint),
  };
}

/** The store as few lines: each estimate whole, then the call samples it keeps. */
function snapshotLines(memory: MemoryEstimateStore, path: string): string {
  // The memory store does not list its keys: read them back from the file being replaced.
  const keys = new Map<string, EstimateKey>();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    try {
      const line = JSON.parse(raw) as Line;
      if (line.k !== 'call') keys.set(JSON.stringify(line.key), line.key);
    } catch {}
  }
  const out: string[] = [];
  for (const key of keys.values()) {
    const estimate = memory.get(key);
    if (estimate) out.push(JSON.stringify({ v: 1, k: 'put', key, e: estimate }));
  }
  for (const sample of memory.recentCalls())
    out.push(JSON.stringify({ v: 1, k: 'call', s: sample }));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
