import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

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
  if (!tryCreate(path)) {
    if (!isStale(path, Date.now())) return undefined;
    rmSync(path, { force: true });
    // Another process may have broken it first, and holds it now.
    if (!tryCreate(path)) return undefined;
  }
  return () => rmSync(path, { force: true });
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch {
    return false;
  }
  try {
    writeSync(fd, `${process.pid}@${hostname()}`);
  } finally {
    closeSync(fd);
  }
  return true;
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
  if (now - mtimeMs > staleLockMs) return true;
  const [pid, host] = holder.split('@');
  // A lock just created is empty for a moment; one of another host cannot be checked here.
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
