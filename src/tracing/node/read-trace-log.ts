import { readFile } from 'node:fs/promises';
import { mergeTraceLogs, type ParsedTraceLog, parseTraceLog } from '../log/parse-log';

/**
 * Reads one or more JSONL trace logs (as written by `jsonlExporter`): every run found, oldest
 * first, with its trace and its retry, fallback and hedge counts. Node-only.
 *
 * @example
 * ```ts
 * const { runs } = await readTraceLog('.hotpath/traces.jsonl');
 * console.log(formatWaterfall(runs.at(-1)!.trace!));
 * ```
 */
export async function readTraceLog(paths: string | readonly string[]): Promise<ParsedTraceLog> {
  const list = typeof paths === 'string' ? [paths] : paths;
  const logs = await Promise.all(
    list.map(async (path) => parseTraceLog(await readFile(path, 'utf8'), path)),
  );
  return mergeTraceLogs(logs);
}
