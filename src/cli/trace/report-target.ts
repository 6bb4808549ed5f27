import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/**
 * Why `hotpath trace` must not write its HTML report to `out`, or nothing: `out` is one of the
 * trace logs it reads, or an existing file that is not an HTML report (`--html` in front of the
 * files takes the first log as its value, `--html a.jsonl b.jsonl`), which writing would lose.
 */
export function reportTargetProblem(out: string, files: readonly string[]): string | undefined {
  const target = canonical(out);
  if (files.some((file) => canonical(file) === target)) {
    return `--html OUT \`${out}\` is one of the trace logs to read; give the report a file of its own (\`${htmlName(out)}\`)`;
  }
  const head = firstBytes(out);
  if (head !== undefined && head.trim() !== '' && !/^\s*<(!doctype html|html)/i.test(head)) {
    return `--html OUT \`${out}\` exists and is not an HTML report; the report would replace it (\`--html\` takes the word after it as OUT)`;
  }
  return undefined;
}

/** The real path of a file that exists (through links), else its absolute path. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The start of an existing file, or `undefined` when there is none to read. */
function firstBytes(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(64);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function htmlName(path: string): string {
  return `${basename(path).replace(/\.[^.]*$/, '')}.html`;
}
