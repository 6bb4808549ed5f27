import { mkdirSync, openSync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * How long a log file stays open after its last write. Runs that follow each other reuse the
 * handle; a file moved away (log rotation) gets the lines of this long after the move, and the
 * next write after that makes a new file at the path.
 */
export const keepOpenMs = 1000;

/**
 * Queued text that is written at once rather than after the turn: a long run that never yields
 * (a thousand steps on an instant model) does not hold its whole log in memory until it ends.
 */
export const writeAtChars = 64 * 1024;

interface FileQueue {
  readonly path: string;
  pending: string[];
  /** Characters in `pending`. */
  size: number;
  /** Resolves when the lines queued so far are written. */
  drained: Promise<void>;
  /** A write is scheduled or under way. */
  busy: boolean;
  /** The write scheduled for the next turn, while it has not started. */
  scheduled: ReturnType<typeof setImmediate> | undefined;
  /** Resolves `drained`. */
  settle: () => void;
  handle: FileHandle | undefined;
  /** The timer that closes the file once it has had no lines for `keepOpenMs`. */
  idle: ReturnType<typeof setTimeout> | undefined;
  /** When the last lines were written (`Date.now()`). */
  wroteAt: number;
  /** Counts the times the file was let go: lines queued between two of them go to one file. */
  opening: number;
  onError: (error: unknown) => void;
}

// One queue per file for the whole process: two exporters (or two runtimes) on the same file
// still write one chunk at a time, in the order the events happened.
const queues = new Map<string, FileQueue>();
// Folders made once per process: a write does not ask for them again.
const madeFolders = new Set<string>();

/**
 * Queues `line` and a newline for `path`. The lines queued in one turn of the event loop go out
 * together on the next: one write of whole lines to a file opened to append (O_APPEND), so other
 * processes appending to the same file never cut a line in two, and the run that queued them is
 * not kept waiting.
 */
export function appendLine(path: string, line: string, onError: (error: unknown) => void): void {
  let queue = queues.get(path);
  if (queue === undefined) {
    queue = {
      path,
      pending: [],
      size: 0,
      drained: Promise.resolve(),
      busy: false,
      scheduled: undefined,
      settle: () => {},
      handle: undefined,
      idle: undefined,
      wroteAt: 0,
      opening: 0,
      onError,
    };
    if (queues.size === 0) process.once('exit', writeAllNow);
    queues.set(path, queue);
  }
  queue.onError = onError;
  queue.pending.push(line);
  queue.size += line.length;
  if (queue.size >= writeAtChars && queue.handle !== undefined) writePending(queue);
  if (queue.busy) return;
  queue.busy = true;
  const target = queue;
  queue.drained = new Promise((resolve) => {
    target.settle = resolve;
    target.scheduled = setImmediate(() => {
      target.scheduled = undefined;
      void drain(target).then(resolve);
    });
  });
}

/**
 * Which opening of `path` the next line queued goes into: lines queued under the same number
 * are written to the same file (a move or a failed write between them makes another number).
 */
export function fileOpening(path: string): number {
  return queues.get(path)?.opening ?? 0;
}

/**
 * Resolves when every line queued for `path` so far is written. With the file open, the lines
 * queued are written then and there, and the promise is already resolved: a run that flushes
 * its log does not wait for the next turn of the event loop (which runs whatever else is due
 * then, timers and the engine's deferred work, on the flushing run's time).
 */
export function drained(path: string): Promise<void> {
  const queue = queues.get(path);
  if (queue === undefined) return Promise.resolve();
  if (queue.scheduled !== undefined && queue.handle !== undefined) {
    clearImmediate(queue.scheduled);
    queue.scheduled = undefined;
    if (queue.pending.length > 0) writePending(queue);
    drainEnded(queue);
    queue.settle();
  }
  return queue.busy ? queue.drained : Promise.resolve();
}

/** Writes what is queued for `path`, then closes the file (the next line opens it again). */
export async function closeFile(path: string): Promise<void> {
  const queue = queues.get(path);
  if (queue === undefined) return;
  while (queue.busy) await queue.drained;
  clearTimeout(queue.idle);
  queue.idle = undefined;
  await release(queue);
}

/**
 * At exit, the lines not yet written (a run that ended just before `process.exit()`) are
 * written then and there, each file's in one write.
 */
function writeAllNow(): void {
  for (const queue of queues.values()) {
    if (queue.pending.length === 0) continue;
    try {
      const fd = queue.handle?.fd ?? openNow(queue.path);
      writeLines(fd, '', queue.pending);
      queue.pending = [];
      queue.size = 0;
    } catch (error) {
      queue.onError(error);
    }
  }
}

function openNow(path: string): number {
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, 'a', 0o600);
}

async function drain(queue: FileQueue): Promise<void> {
  while (queue.pending.length > 0) {
    try {
      let lead = '';
      if (queue.handle === undefined) {
        queue.handle = await openForAppend(queue.path);
        // A line cut short by a crash gets its newline first, so the next line reads whole.
        if (!(await endsWithNewline(queue.handle))) lead = '\n';
      }
      writePending(queue, lead);
    } catch (error) {
      queue.pending = [];
      queue.size = 0;
      queue.onError(error);
      // The file may be gone or broken: the next lines open it again.
      await release(queue);
    }
  }
  drainEnded(queue);
}

function drainEnded(queue: FileQueue): void {
  queue.busy = false;
  queue.wroteAt = Date.now();
  if (queue.handle !== undefined && queue.idle === undefined) closeWhenIdle(queue, keepOpenMs);
}

/**
 * Closes the file after `delayMs`, or later if lines came meanwhile: one timer for the whole
 * time the file is open, not one per write.
 */
function closeWhenIdle(queue: FileQueue, delayMs: number): void {
  queue.idle = setTimeout(() => {
    queue.idle = undefined;
    if (queue.handle === undefined) return;
    const idleMs = Date.now() - queue.wroteAt;
    if (queue.busy || idleMs < keepOpenMs) closeWhenIdle(queue, Math.max(1, keepOpenMs - idleMs));
    else void release(queue);
  }, delayMs);
  queue.idle.unref?.();
}

/** Writes the queued lines to the open file, or drops them and closes it when that fails. */
function writePending(queue: FileQueue, lead = ''): void {
  const lines = queue.pending;
  queue.pending = [];
  queue.size = 0;
  try {
    writeLines(queue.handle!.fd, lead, lines);
  } catch (error) {
    queue.onError(error);
    void release(queue);
  }
}

async function release(queue: FileQueue): Promise<void> {
  const handle = queue.handle;
  queue.handle = undefined;
  queue.opening++;
  await handle?.close().catch(queue.onError);
}

/**
 * One write of whole lines, made at once: a turn's lines (a short run's are some 15 KB) go to
 * the page cache in tens of microseconds, less than handing them to the thread pool costs (a
 * thread woken, a promise settled). A short write (a full disk, a signal) writes the rest
 * after.
 */
function writeLines(fd: number, lead: string, lines: readonly string[]): void {
  const text = `${lead}${lines.join('\n')}\n`;
  let offset = writeSync(fd, text);
  if (offset === Buffer.byteLength(text)) return;
  const buffer = Buffer.from(text, 'utf8');
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

async function endsWithNewline(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/**
 * Opens `path` to append (and to read its last byte), making its folder the first time (and
 * again if it was removed).
 */
async function openForAppend(path: string): Promise<FileHandle> {
  const folder = dirname(path);
  if (madeFolders.has(folder)) {
    try {
      return await open(path, 'a+', 0o600);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
  await mkdir(folder, { recursive: true });
  madeFolders.add(folder);
  return open(path, 'a+', 0o600);
}
