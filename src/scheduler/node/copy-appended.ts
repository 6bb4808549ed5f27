import {
  appendFileSync,
  closeSync,
  fstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';

/** Looks again this many times for lines still being appended before giving up on them. */
const maxRounds = 100;

/** Which file a path names: a rename over it (or a new file in its place) gives another. */
export function identityOf(stat: Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`;
}

/**
 * Appends to `target` the whole lines appended to `path` from byte `from` on, looking again until
 * the file stops growing, so a snapshot renamed over `path` keeps what other processes appended
 * while it was written. `false`, with nothing more copied, when `path` no longer names the file
 * `identity` names (another process replaced it). Appenders take no lock: a line appended between
 * the last look and the rename is still lost, but that window is one `stat`, not a snapshot.
 */
export function copyAppended(
  path: string,
  identity: string,
  from: number,
  target: string,
): boolean {
  const fd = openSync(path, 'r');
  try {
    if (identityOf(fstatSync(fd)) !== identity) return false;
    let copied = from;
    for (let round = 0; round < maxRounds; round++) {
      const size = fstatSync(fd).size;
      if (size <= copied) break;
      const bytes = Buffer.alloc(size - copied);
      readSync(fd, bytes, 0, bytes.length, copied);
      // Only whole lines: a line half written is looked at again.
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end === 0) continue;
      appendFileSync(target, bytes.subarray(0, end));
      copied += end;
    }
    return identityOf(statSync(path)) === identity;
  } finally {
    closeSync(fd);
  }
}
