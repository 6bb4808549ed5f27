import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { mergeTraceLogs, parseTraceLog } from '../../tracing/log/parse-log';
import { formatCalibration, toOverrides } from '../calibrate/format-calibration';
import { measureModels } from '../calibrate/measure-models';
import { reportLogProblems } from '../log-problems';
import { readProblem } from '../read-problem';
import type { Command } from '.';

const help = `Usage: hotpath calibrate LOG... [--json] [--out FILE]

Reads JSONL trace logs written by jsonlExporter (hotpath/node) and prints, per model, what the
calls measured against the catalog: first token and output speed (p50/p90), error and 429 rates.

Options:
  --json       print the calibration as JSON: per model samples, timeToFirstTokenMs and
               outputTokensPerSecond as { p50, p90 }, errorRate, rateLimitedRate
  --out FILE   write profile overrides (measured first token and speed of each catalog model
               with at least 5 calls) for models.withOverrides(pool, overrides) to load
  -h, --help   show this help

Example:
  hotpath calibrate .hotpath/traces.jsonl --out .hotpath/profiles.json`;

/** `hotpath calibrate LOG...`: measured model speeds and failure rates against the catalog. */
export const calibrate: Command = {
  summary: 'measure models from trace logs against the catalog; --out profile overrides',
  async run(args) {
    let parsed: ReturnType<typeof readArgs>;
    try {
      parsed = readArgs(args);
    } catch (error) {
      console.error(`hotpath calibrate: ${(error as Error).message}\n\n${help}`);
      return 2;
    }
    const { values, positionals: files } = parsed;
    if (values.help) {
      console.log(help);
      return 0;
    }
    if (files.length === 0) {
      console.error(`hotpath calibrate: expected at least one trace log LOG\n\n${help}`);
      return 2;
    }
    const logs = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        console.error(`hotpath calibrate: cannot read \`${file}\`: ${readProblem(error)}`);
        return 1;
      }
      logs.push(parseTraceLog(text, file));
    }
    const log = mergeTraceLogs(logs);
    if (reportLogProblems('calibrate', log, files)) return 1;
    const calibration = measureModels(log.runs);
    if (calibration.calls === 0) {
      console.error(`hotpath calibrate: no model calls in ${files.join(', ')}`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(calibration, null, 2));
    else console.log(formatCalibration(calibration, files));
    if (values.out !== undefined) {
      const { overrides, skipped } = toOverrides(calibration, files);
      await writeFile(values.out, `${JSON.stringify(overrides, null, 2)}\n`);
      const written = Object.keys(overrides.models);
      const note = skipped.length > 0 ? `; left out ${skipped.join(', ')}` : '';
      console.error(
        `hotpath calibrate: wrote ${values.out} (${written.length === 0 ? 'no model' : written.join(', ')})${note}`,
      );
    }
    return 0;
  },
};

function readArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
