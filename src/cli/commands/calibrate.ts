import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { minLearnedSamples } from '../../scheduler/learned-pool';
import { mergeTraceLogs, parseTraceLog } from '../../tracing/log/parse-log';
import { formatCalibration, toOverrides } from '../calibrate/format-calibration';
import { type Calibration, measureModels } from '../calibrate/measure-models';
import { mergeOverrides, readEarlierOverrides } from '../calibrate/merge-overrides';
import { reportLogProblems } from '../log-problems';
import { readProblem } from '../read-problem';
import type { Command } from '.';

const help = `Usage: hotpath calibrate LOG... [--json] [--out FILE]

Reads JSONL trace logs written by jsonlExporter (hotpath/node) and prints, per model, what the
calls measured against the catalog: first token and output speed (p50/p90), error and 429 rates.

Options:
  --json       print the calibration as JSON: per model samples, ok, timeToFirstTokenMs,
               firstTokenLessPrefillMs and outputTokensPerSecond as { p50, p90, samples },
               errorRate, rateLimitedRate
  --out FILE   write profile overrides for models.withOverrides(pool, overrides) to load: the
               measured first token (prefill left out) and speed of each catalog model with
               both measured in at least 5 calls. An existing FILE is merged into: the models
               measured now get new figures and the others keep theirs. Nothing is written, and
               the exit code is 1, when no model qualifies, when FILE is one of the LOGs, or when
               it holds no overrides. A missing folder of FILE is created.
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
    if (values.out !== undefined && (await isOneOf(values.out, files))) {
      console.error(
        `hotpath calibrate: expected \`--out\` to name a file other than the trace logs it reads, got \`${values.out}\`, one of the LOGs`,
      );
      return 1;
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
    return values.out === undefined ? 0 : writeOverrides(values.out, calibration, files);
  },
};

/**
 * Writes the overrides of `calibration` into `out`, merged into the overrides already there;
 * writes nothing when no model qualifies or `out` holds something else. The exit code.
 */
async function writeOverrides(
  out: string,
  calibration: Calibration,
  files: readonly string[],
): Promise<number> {
  const { overrides, skipped } = toOverrides(calibration, files);
  const written = Object.keys(overrides.models);
  const leftOut = skipped.length > 0 ? `left out ${skipped.join(', ')}` : '';
  if (written.length === 0) {
    console.error(
      `hotpath calibrate: wrote nothing to ${out}: no model has its first token and speed each measured in ${minLearnedSamples} calls; ${leftOut}`,
    );
    return 1;
  }
  let earlier: string | undefined;
  try {
    earlier = await readFile(out, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') {
      console.error(`hotpath calibrate: cannot write \`--out\` \`${out}\`: ${writeProblem(error)}`);
      return 1;
    }
  }
  const read = earlier === undefined ? undefined : readEarlierOverrides(earlier);
  if (read !== undefined && 'problem' in read) {
    console.error(
      `hotpath calibrate: expected \`--out\` \`${out}\` to be a profile overrides file to merge into, but ${read.problem}; it is left as it was (give another --out, or remove it)`,
    );
    return 1;
  }
  const merged = mergeOverrides(read?.overrides, overrides);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(merged.overrides, null, 2)}\n`);
  } catch (error) {
    console.error(`hotpath calibrate: cannot write \`--out\` \`${out}\`: ${writeProblem(error)}`);
    return 1;
  }
  const kept = merged.kept.length > 0 ? `; kept ${merged.kept.join(', ')} from it` : '';
  console.error(
    `hotpath calibrate: wrote ${out} (${written.join(', ')})${kept}${leftOut && `; ${leftOut}`}`,
  );
  return 0;
}

/** Whether `path` is the same file as one of `files` (another name or a link to it counts). */
async function isOneOf(path: string, files: readonly string[]): Promise<boolean> {
  const identity = async (file: string) => {
    const found = await stat(file).catch(() => undefined);
    return found && `${found.dev}:${found.ino}`;
  };
  const target = await identity(path);
  if (target === undefined) return false;
  for (const file of files) if ((await identity(file)) === target) return true;
  return false;
}

function writeProblem(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EACCES') return 'no permission to write it';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a folder on its path is a file';
  return readProblem(error);
}

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
