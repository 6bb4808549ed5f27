import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

interface FileQueue {
  pending: string[];
  drained: Promise<void>;
  writing: boolean;
}

// One queue per file for the whole process: two exporters (or two runtimes) on the same file
// still write one chunk at a time, in the order the events happened.
const queues = new Map<string, FileQueue>();
// Folders made once per process: a flush does not ask for them again.
const madeFolders = new Set<string>();

/**
 * Appends `line` and a newline to `path`. Lines queued while a write is in flight go out
 * together in the next write: one `appendFile` (O_APPEND, one write of whole lines), so other
 * processes appending to the same file never cut a line in two.
 */
export function appendLine(
  path: string,
  line: string,
  onError: (error: unknown) => void,
): Promise<void> {
  let queue = queues.get(path);
  if (queue === undefined) {
    queue = { pending: [], drained: Promise.resolve(), writing: false };
    queues.set(path, queue);
  }
  queue.pending.push(`${line}\n`);
  if (!queue.writing) {
    queue.writing = true;
    queue.drained = drain(path, queue, onError);
  }
  return queue.drained;
}

/** Resolves when every line queued for `path` so far is written. */
export function drained(path: string): Promise<void> {
  return queues.get(path)?.drained ?? Promise.resolve();
}

async function drain(path: string, queue: FileQueue, onError: (error: unknown) => void) {
  let handle: FileHandle | undefined;
  try {
    // One open for the whole burst of writes, closed when the queue is empty: a file moved or
    // removed between bursts (log rotation) is created again on the next one.
    handle = await openForAppend(path);
    while (queue.pending.length > 0) {
      const chunk = queue.pending.join('');
      queue.pending = [];
      try {
        await handle.write(chunk, null, 'utf8');
      } catch (error) {
        onError(error);
      }
    }
  } catch (error) {
    queue.pending = [];
    onError(error);
  } finally {
    queue.writing = false;
    await handle?.close().catch(onError);
  }
}

/** Opens `path` to append, making its folder the first time (and again if it was removed). */
async function openForAppend(path: string): Promise<FileHandle> {
  const folder = dirname(path);
  if (madeFolders.has(folder)) {
    try {
      return await open(path, 'a', 0o600);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
  await mkdir(folder, { recursive: true });
  madeFolders.add(folder);
  return open(path, 'a', 0o600);
}
