import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** A lock file older than this is taken over even when its holder cannot be checked. */
const staleMs = 5_000;

/**
 * Runs `work` holding a lock that other processes respect: a lock file created exclusively (it
 * exists, or this call made it), holding `pid@host`. A lock whose process on this host is gone
 * (killed inside the critical section) is taken over at once; others wait a few ms at a time.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, me, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(path)) await unlink(path).catch(() => {});
      else await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + attempt)));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => {});
  }
}

async function isStale(path: string): Promise<boolean> {
  const [holder, info] = await Promise.all([
    readFile(path, 'utf8').catch(() => ''),
    stat(path).catch(() => undefined),
  ]);
  if (info === undefined) return false;
  if (Date.now() - info.mtimeMs > staleMs) return true;
  const [pid, host] = holder.split('@');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
