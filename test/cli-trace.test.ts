import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, createRuntime, createVirtualClock, llm, models } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { trace } from '../src/cli/commands/trace';
import { runCommand } from './helpers/run-command';

afterEach(() => vi.restoreAllMocks());

const cli = (args: string[]) => runCommand(trace, args);

const answer = chain('answer', { input: z.object({ q: z.string() }) }).step(
  'answer',
  llm({ prompt: 'hi', maxOutputTokens: 20 }),
);

/** A trace log of runs with these ids, in this order. */
async function writeLog(path: string, runIds: readonly string[]) {
  const exporter = jsonlExporter({ path });
  const runtime = createRuntime({
    models: models.emulated({ clock: createVirtualClock() }),
    exporters: [exporter],
  });
  for (const runId of runIds) await runtime.run(answer, { q: 'x' }, { runId });
  await exporter.close?.();
}

describe('hotpath trace --html', () => {
  let dir: string;
  let log: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotpath-trace-html-'));
    log = join(dir, 'traces.jsonl');
    await writeLog(log, ['run-a', 'run-b']);
  });

  it('refuses to write the report over a trace log it reads', async () => {
    const copy = join(dir, 'c.jsonl');
    copyFileSync(log, copy);
    const { code, err } = await cli([copy, '--html', copy]);
    expect(code).toBe(1);
    expect(err).toBe(
      `hotpath trace: --html OUT \`${copy}\` is one of the trace logs to read; give the report a file of its own (\`c.html\`)`,
    );
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(log, 'utf8'));
  });

  it('refuses to replace a trace log taken as OUT when --html comes before the files', async () => {
    const first = join(dir, 'a.jsonl');
    copyFileSync(log, first);
    const { code, err } = await cli(['--html', first, log]);
    expect(code).toBe(1);
    expect(err).toContain(`--html OUT \`${first}\` exists and is not an HTML report`);
    expect(readFileSync(first, 'utf8')).toBe(readFileSync(log, 'utf8'));
  });

  it('writes over an earlier report', async () => {
    const out = join(dir, 'report.html');
    writeFileSync(out, '<!doctype html>\n<html>old</html>\n');
    const { code } = await cli([log, '--html', out]);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('run-b');
  });
});

describe('hotpath trace --run', () => {
  let log: string;
  beforeAll(async () => {
    log = join(mkdtempSync(join(tmpdir(), 'hotpath-trace-run-')), 'traces.jsonl');
    await writeLog(log, ['extract-2026-12-01', 'extract-2026-12-02', 'other']);
  });

  it('refuses a prefix of several runs, naming them', async () => {
    const { code, out, err } = await cli([log, '--run', 'extract-2026-12']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'hotpath trace: several runs start with `extract-2026-12`: extract-2026-12-01, extract-2026-12-02; give more of the id',
    );
  });

  it('takes an exact id, or the first characters of one run id', async () => {
    expect((await cli([log, '--run', 'extract-2026-12-02'])).out).toContain(
      'run extract-2026-12-02 (2 of 3)',
    );
    expect((await cli([log, '--run', 'oth'])).out).toContain('run other (3 of 3)');
  });

  it('refuses an empty --run', async () => {
    const { code, err } = await cli([log, '--run', '']);
    expect(code).toBe(2);
    expect(err).toContain(
      'hotpath trace: Expected `--run` to be a run id or its first characters, got an empty string',
    );
  });
});

describe('hotpath trace on lines that do not hold what it prints', () => {
  let log: string;
  let lines: string[];
  beforeAll(async () => {
    log = join(mkdtempSync(join(tmpdir(), 'hotpath-trace-bad-')), 'traces.jsonl');
    await writeLog(log, ['run-a', 'run-b']);
    lines = readFileSync(log, 'utf8').trimEnd().split('\n');
  });

  /** The log with `change` made to the line of `runId`'s `event`, and where that line is. */
  function changed(runId: string, event: string, change: (data: Record<string, unknown>) => void) {
    const index = lines.findIndex((raw) => {
      const line = JSON.parse(raw);
      return line.runId === runId && line.event === event;
    });
    const line = JSON.parse(lines[index]!);
    change(line.data);
    const path = `${log}.${event.replace(':', '-')}.jsonl`;
    writeFileSync(
      path,
      `${[...lines.slice(0, index), JSON.stringify(line), ...lines.slice(index + 1)].join('\n')}\n`,
    );
    return { path, where: `${path}:${index + 1}` };
  }

  it.each([
    [
      'step:end',
      'a lane that is not a string',
      (data: Record<string, unknown>): void => {
        data.lane = 5;
      },
      'lane',
    ],
    [
      'step:end',
      'calls that are not a list',
      (data: Record<string, unknown>): void => {
        data.calls = 3;
      },
      'calls',
    ],
    [
      'chain:end',
      'no model call count',
      (data: Record<string, unknown>): void => {
        delete data.calls;
      },
      'calls',
    ],
    [
      'chain:end',
      'a call count as text',
      (data: Record<string, unknown>): void => {
        data.calls = 'x';
      },
      'calls',
    ],
  ] as const)(
    'skips a %s line with %s, saying which field, and never prints NaN',
    async (event, _, change, field) => {
      const { path, where } = changed('run-b', event, change);
      const { code, out, err } = await cli([path]);
      expect(code).toBe(0);
      expect(err).toContain(`hotpath trace: skipped ${where}: a ${event} line without a whole`);
      expect(err).toContain(`(missing or malformed: ${field})`);
      // run-b has no whole trace left: the waterfall is run-a's.
      expect(out).toContain('run run-a (1 of 1)');
      expect(out).not.toContain('NaN');
    },
  );

  it('skips a chain:start line whose start is not a time', async () => {
    const { path, where } = changed('run-b', 'chain:start', (data) => {
      data.startedAt = 'soon';
    });
    const { code, out, err } = await cli([path]);
    expect(code).toBe(0);
    expect(err).toBe(
      `hotpath trace: skipped ${where}: a chain:start line (missing or malformed: startedAt)`,
    );
    expect(out).toContain('run run-b (2 of 2), ');
  });
});
