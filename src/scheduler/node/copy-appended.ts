import { appendFileSync, fstatSync, readSync, type Stats } from 'node:fs';

/** Looks again this many times for lines still being appended before giving up on them. */
const maxRounds = 100;

/** Which file a path names: a rename over it (or a new file in its place) gives another. */
export function identityOf(stat: Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`;
}

/**
 * The line a compactor appends to the file it replaced, once it has renamed its snapshot over
 * it: the lines before it are in the snapshot, or copied after it; a writer whose line lands
 * after it appends the line again to the new file.
 */
export function sealLine(tag: string): Buffer {
  return Buffer.from(`${JSON.stringify({ v: 1, k: 'seal', by: tag })}\n`);
}

/** Whether one line of a file is a compactor's {@link sealLine}. */
export function isSeal(line: Buffer): boolean {
  return line.includes('"k":"seal"');
}

/**
 * Appends to `target` the whole lines appended to the file open as `fd` from byte `from` on,
 * looking again until the file stops growing (or up to the line `until`, when given, which it
 * waits for), and returns the byte after the last line copied. A compactor copies so what other
 * processes append while it writes its snapshot, and once more, up to its seal, after renaming
 * the snapshot into place: the lines appended between its last look and the rename.
 */
export function copyAppended(fd: number, from: number, target: string, until?: Buffer): number {
  let copied = from;
  for (let round = 0; round < maxRounds; round++) {
    const size = fstatSync(fd).size;
    if (size <= copied) {
      if (until === undefined) break;
      continue;
    }
    const bytes = Buffer.alloc(size - copied);
    readSync(fd, bytes, 0, bytes.length, copied);
    const stop = until === undefined ? -1 : bytes.indexOf(until);
    // Only whole lines: a line half written is looked at again.
    const end = stop >= 0 ? stop : bytes.lastIndexOf(0x0a) + 1;
    if (end > 0) appendFileSync(target, bytes.subarray(0, end));
    copied += end;
    if (stop >= 0) break;
  }
  return copied;
}
