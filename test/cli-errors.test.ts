import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, createRuntime, createVirtualClock, deepseekFlash, llm, models } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { plan } from '../src/cli/commands/plan';
import { trace } from '../src/cli/commands/trace';
import { loadModule } from '../src/cli/load-module';

afterEach(() => vi.restoreAllMocks());

async function cli(command: typeof plan, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text = '') => out.push(String(text)));
  vi.spyOn(console, 'error').mockImplementation((text = '') => err.push(String(text)));
  vi.spyOn(console, 'info').mockImplementation((text = '') => err.push(String(text)));
  const code = await command.run(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const noStack = /\n\s+at |\(file:\/\/|node:internal/;

describe('hotpath trace on what is not a trace log', () => {
  it('says so in one line, and counts the skipped lines past the first few', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-not-a-log-'));
    const notLog = join(dir, 'package.json');
    writeFileSync(notLog, `${'{\n  "name": "x",\n'.repeat(50)}}\n`);
    const wrong = await cli(trace, [notLog]);
    expect(wrong.code).toBe(1);
    expect(wrong.err.split('\n')).toEqual([
      `hotpath trace: \`${notLog}\` is not a hotpath trace log: none of 101 lines read as one (first: ${notLog}:1: not JSON)`,
    ]);
    // A log with a few broken lines names three and counts the rest.
    const log = join(dir, 'traces.jsonl');
    const exporter = jsonlExporter({ path: log });
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    await runtime.run(chain('one', { input: z.object({}) }).step('a', llm({ prompt: 'x' })), {});
    await exporter.close();
    appendFileSync(log, 'broken\n'.repeat(5));
    const partly = await cli(trace, [log]);
    expect(partly.code).toBe(0);
    const lines = partly.err.split('\n');
    expect(lines.filter((line) => line.includes(': not JSON'))).toHaveLength(3);
    expect(lines).toContain('hotpath trace: skipped 2 more lines');
  });
});

describe('hotpath plan reports a mistake in one line', () => {
  it.each([
    [['examples/research.ts', '--input', '{question:'], '`--input` is not JSON'],
    [['examples/research.ts', '--input', '{"question":42}'], '`question`'],
    [['examples/nope.ts'], 'cannot find the module `examples/nope.ts`'],
    [['examples/research.ts', '--inptu', '{}'], "Unknown option '--inptu'"],
  ])('%j', async (args, message) => {
    const { code, err } = await cli(plan, args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).not.toMatch(noStack);
  });

  it('loads a .ts module through tsx when Node cannot', async () => {
    const unknownExtension = async () => {
      throw Object.assign(new TypeError('Unknown file extension ".ts"'), {
        code: 'ERR_UNKNOWN_FILE_EXTENSION',
      });
    };
    const module = await loadModule('examples/research.ts', unknownExtension);
    expect(Object.keys(module)).toContain('research');
  }, 30_000);
});

describe('hotpath trace', () => {
  let dir: string;
  let log: string;
  let endLine: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotpath-cli-'));
    log = join(dir, 'traces.jsonl');
    const pool = models.emulated({
      clock: createVirtualClock(),
      faults: [
        // The first call is retried after a 429; the retry's 429 asks for 10 minutes: a fallback.
        {
          fault: { kind: 'rate-limit', retryAfterSeconds: 0 },
          model: deepseekFlash.id,
          requests: [1],
        },
        {
          fault: { kind: 'rate-limit', retryAfterSeconds: 600 },
          model: deepseekFlash.id,
          requests: [2],
        },
      ],
    });
    const exporter = jsonlExporter({ path: log });
    const runtime = createRuntime({ models: pool, exporters: [exporter], hedge: false });
    const answer = chain('answer', { input: z.object({ q: z.string() }) }).step(
      'answer',
      llm({ prompt: 'hi', lane: 'cheap' }),
    );
    for (let run = 0; run < 3; run++) await runtime.run(answer, { q: 'x' });
    await exporter.flush?.();
    endLine = readFileSync(log, 'utf8')
      .split('\n')
      .findLast((line) => line.includes('"chain:end"'))!;
  });

  it('counts 429s and fallbacks in the aggregates', async () => {
    const text = readFileSync(log, 'utf8');
    const retries429 = text.split('\n').filter((line) => line.includes('"reason":"rate-limit"'));
    const fallbacks = text.split('\n').filter((line) => line.includes('"step:fallback"'));
    expect(retries429.length).toBeGreaterThan(0);
    expect(fallbacks.length).toBeGreaterThan(0);
    const { code, out } = await cli(trace, [log, '--json']);
    expect(code).toBe(0);
    const { aggregates } = JSON.parse(out) as {
      aggregates: { steps: { rateLimited: number; fallbacks: number }[] }[];
    };
    const step = aggregates[0]!.steps[0]!;
    // The 429 that switched models at once (Retry-After 600 s) counts too.
    expect(step.rateLimited).toBe(retries429.length + 1);
    expect(step.fallbacks).toBe(fallbacks.length);
    const table = await cli(trace, [log]);
    expect(table.out).toContain('429s: answer 2 · fallbacks: answer 1');
    const cheap = deepseekFlash.id;
    expect(table.out).toContain(`429s: ${cheap} 2 · fallbacks: ${cheap} 1`);
    for (const line of table.out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('names a trace log that is not there, in one line', async () => {
    const missing = join(dir, 'missing.jsonl');
    const { code, err } = await cli(trace, [missing]);
    expect(code).toBe(1);
    expect(err).toBe(`hotpath trace: cannot read \`${missing}\`: no such file`);
  });

  it('skips malformed and partial chain:end lines with a warning naming the line', async () => {
    const path = join(dir, 'broken.jsonl');
    writeFileSync(path, readFileSync(log, 'utf8'));
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').length;
    appendFileSync(path, `${endLine.slice(0, endLine.length / 2)}\n`);
    appendFileSync(
      path,
      '{"v":1,"event":"chain:end","runId":"partial","at":1,"data":{"chain":"c"}}\n',
    );
    const { code, out, err } = await cli(trace, [path]);
    expect(code).toBe(0);
    expect(err).toContain(`broken.jsonl:${lines + 1}: not JSON`);
    expect(err).toContain(`broken.jsonl:${lines + 2}: a chain:end line without a whole trace`);
    expect(out).toContain('answer');
  });

  it('never throws on a chain:end line with any field missing or of the wrong kind', async () => {
    const line = JSON.parse(endLine) as { data: Record<string, unknown> };
    for (const key of Object.keys(line.data)) {
      for (const value of [undefined, null, 'x', 7, [], {}]) {
        const path = join(dir, `field-${key}.jsonl`);
        writeFileSync(
          path,
          `${JSON.stringify({ ...line, data: { ...line.data, [key]: value } })}\n`,
        );
        for (const args of [[path], [path, '--json'], [path, '--html', join(dir, 'out.html')]]) {
          const { code, err } = await cli(trace, args);
          expect([0, 1], `${key}=${JSON.stringify(value)} ${args.join(' ')}: ${err}`).toContain(
            code,
          );
          expect(err).not.toMatch(noStack);
        }
      }
    }
  }, 60_000);
});
