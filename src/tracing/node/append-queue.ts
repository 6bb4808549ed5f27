import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

interface FileQueue {
  pending: string[];
  drained: Promise<void>;
  writing: boolean;
}

// One queue per file for the whole process: two exporters (or two runtimes) on the same file
// still write one chunk at a time, in the order the events happened.
const queues = new Map<string, FileQueue>();

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
  try {
    await mkdir(dirname(path), { recursive: true });
    while (queue.pending.length > 0) {
      const chunk = queue.pending.join('');
      queue.pending = [];
      try {
        await appendFile(path, chunk, { encoding: 'utf8', mode: 0o600 });
      } catch (error) {
        onError(error);
      }
    }
  } catch (error) {
    queue.pending = [];
    onError(error);
  } finally {
    queue.writing = false;
  }
}
