import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { identityOf, isSeal } from './copy-appended';

/** Appends again at most this many times to a file replaced under the append. */
const maxRounds = 10;
/** Waits at most this long (in 1 ms steps) for a compactor that renamed to seal the old file. */
const maxSealWaits = 1_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Where {@link appendLine} put a line. */
export interface AppendedLine {
  /** The file's size just before the line was written, looked at through the same handle. */
  before: number;
  /** The file the line is in, just after it was written. */
  after: Stats;
  /** `true` when the file first written to was replaced under the write. */
  replaced: boolean;
}

/**
 * Appends one line (a single `O_APPEND` write) to the file at `path`, so that no line is lost
 * to a compactor renaming a snapshot over the path between the open and the write. When the path
 * names another file after the write, the compactor's seal in the file replaced tells where the
 * line went: before the seal it is in the new file (in the snapshot, or copied after it), after
 * it the line is written again to the new file. A file replaced without a seal (removed, or
 * replaced by hand) gets it again too. `line` must be unique (it carries an id), so that it is
 * told apart from another process's.
 */
export function appendLine(path: string, line: Buffer, lock: string): AppendedLine {
  for (let round = 0; ; round++) {
    const fd = openSync(path, 'a+');
    try {
      const before = fstatSync(fd).size;
      writeSync(fd, line);
      const after = fstatSync(fd);
      const replaced = !namesFile(path, after);
      if (!replaced || round + 1 >= maxRounds || !writeAgain(fd, line, lock)) {
        return { before, after, replaced: replaced || round > 0 };
      }
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Whether `line`, written to the replaced file open as `fd`, must be written again: it lies after
 * the seal of the compactor that replaced the file, or the file has no seal (replaced otherwise).
 */
function writeAgain(fd: number, line: Buffer, lock: string): boolean {
  for (let wait = 0; wait < maxSealWaits; wait++) {
    const sealed = afterSeal(fd, line);
    if (sealed !== undefined) return sealed;
    // A compactor that renamed seals at once; with no compaction under way, none will.
    if (!existsSync(lock)) return afterSeal(fd, line) ?? true;
    Atomics.wait(pause, 0, 0, 1);
  }
  return true;
}

/** Whether the file's first seal comes before `line`; `undefined` when it has no seal. */
function afterSeal(fd: number, line: Buffer): boolean | undefined {
  const bytes = Buffer.alloc(fstatSync(fd).size);
  readSync(fd, bytes, 0, bytes.length, 0);
  const at = bytes.indexOf(line);
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
    if (isSeal(bytes.subarray(start, end))) return at < 0 || start < at;
    start = end + 1;
  }
  return undefined;
}

function namesFile(path: string, file: Stats): boolean {
  try {
    return identityOf(statSync(path)) === identityOf(file);
  } catch {
    return false; // Removed since: the line goes to the file made in its place.
  }
}
