import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';

/** A lock file older than this is taken over even when its holder cannot be checked. */
const staleMs = 5_000;

/**
 * Runs `work` holding a lock that other processes respect: a lock file created exclusively (it
 * exists, or this call made it), holding `pid@host`. A lock whose process on this host is gone
 * (killed inside the critical section) is taken over at once; others wait a few ms at a time.
 * Taking a free lock, `work` and giving the lock up are synchronous (tens of µs on a local disk,
 * where each asynchronous call is a thread pool round trip of about 100 µs), so the lock is held
 * for no longer than `work`; only waiting for a held one is not.
 */
export async function withFileLock<T>(path: string, work: () => T): Promise<T> {
  for (let attempt = 0; !tryCreateLock(path); attempt++) {
    if (await isStale(path)) await unlink(path).catch(() => {});
    else await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + attempt)));
  }
  try {
    return work();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // Gone already: taken over as stale.
    }
  }
}

/** Creates the lock file `path` holding this process's `pid@host`; `false` when it exists. */
export function tryCreateLock(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}@${hostname()}`);
  } finally {
    closeSync(fd);
  }
  return true;
}

async function isStale(path: string): Promise<boolean> {
  const [holder, info] = await Promise.all([
    readFile(path, 'utf8').catch(() => ''),
    stat(path).catch(() => undefined),
  ]);
  if (info === undefined) return false;
  return Date.now() - info.mtimeMs > staleMs || holderIsGone(holder);
}

/**
 * Whether the `pid@host` a lock file holds names a process of this host that has ended. A lock
 * just created is empty for a moment, and one of another host cannot be checked: neither is.
 */
export function holderIsGone(holder: string): boolean {
  const [pid, host] = holder.split('@');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
