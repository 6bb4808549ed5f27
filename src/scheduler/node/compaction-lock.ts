import { readFileSync, rmSync, statSync } from 'node:fs';
import { holderIsGone, tryCreateLock } from '../../stores/node/file-lock';

/**
 * A compaction lock older than this was left by a process that died while compacting: a
 * snapshot of even a few hundred thousand lines is written in well under a second.
 */
export const staleLockMs = 60_000;

/**
 * Takes the lock file at `path` (created exclusively, holding `pid@host`) and returns what gives
 * it up, or `undefined` while another process holds it. A lock older than {@link staleLockMs},
 * or whose process on this host has ended, is broken and taken: a compactor that crashed would
 * otherwise stop every later compaction of the file.
 */
export function tryCompactionLock(path: string): (() => void) | undefined {
  if (!tryTake(path)) {
    if (!isStale(path, Date.now())) return undefined;
    rmSync(path, { force: true });
    // Another process may have broken it first, and holds it now.
    if (!tryTake(path)) return undefined;
  }
  return () => rmSync(path, { force: true });
}

/** Takes a free lock; `false` when it is held, or cannot be made (compaction is skipped). */
function tryTake(path: string): boolean {
  try {
    return tryCreateLock(path);
  } catch {
    return false;
  }
}

function isStale(path: string, now: number): boolean {
  let holder: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    holder = readFileSync(path, 'utf8');
  } catch {
    return true; // Given up since: free to take.
  }
  return now - mtimeMs > staleLockMs || holderIsGone(holder);
}
