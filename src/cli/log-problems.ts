import type { ParsedTraceLog } from '../tracing/log/parse-log';

/** How many skipped lines a command names before it counts the rest. */
const namedProblems = 3;

/**
 * Tells on stderr which lines of a trace log `command` skipped: the first few by name, the rest
 * as a count, and, when not one line read as a trace log line, that the files are no trace log
 * (a file given by mistake is one line, not one per line). Returns whether they were none.
 */
export function reportLogProblems(
  command: string,
  log: ParsedTraceLog,
  files: readonly string[],
): boolean {
  const { problems } = log;
  if (problems.length === 0) return false;
  if (log.runs.length === 0) {
    console.error(
      `hotpath ${command}: ${files.map((file) => `\`${file}\``).join(', ')} ${files.length === 1 ? 'is' : 'are'} not a hotpath trace log: none of ${problems.length} line${problems.length === 1 ? '' : 's'} read as one (first: ${problems[0]})`,
    );
    return true;
  }
  for (const problem of problems.slice(0, namedProblems)) {
    console.error(`hotpath ${command}: skipped ${problem}`);
  }
  const more = problems.length - namedProblems;
  if (more > 0) {
    console.error(`hotpath ${command}: skipped ${more} more line${more === 1 ? '' : 's'}`);
  }
  return false;
}
