import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, createRuntime, createVirtualClock, deepseekFlash, llm, models } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { calibrate } from '../src/cli/commands/calibrate';
import { traceLogVersion } from '../src/tracing/log/log-line';
import { runCommand } from './helpers/run-command';

afterEach(() => vi.restoreAllMocks());

const cli = (args: string[]) => runCommand(calibrate, args);

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'hotpath-calibrate-'));
}

const line = (event: string, data: Record<string, unknown>) =>
  JSON.stringify({ v: traceLogVersion, event, runId: 'r1', at: 0, data: { runId: 'r1', ...data } });

const record = (fields: Record<string, unknown>) =>
  line('step:end', {
    stepId: 's',
    kind: 'llm',
    status: 'ok',
    attempt: 1,
    startMs: 0,
    endMs: 0,
    durationMs: 0,
    usage: { inputTokens: 10, outputTokens: 0 },
    costUsd: 0,
    ...fields,
  });

/**
 * Ten mercury-2 calls with first tokens 100, 200, ... 1,000 ms (50 ms of it queue wait) and
 * 100k tokens in 1 s; two retries and a fallback that gave up on it; lines that are no calls.
 */
function handLog(): string {
  const lines: string[] = [];
  for (let k = 1; k <= 10; k++) {
    lines.push(
      record({
        model: 'mercury-2',
        timeToFirstTokenMs: 100 * k + 50,
        queueWaitMs: 50,
        decodeMs: 1000,
        usage: { inputTokens: 10, outputTokens: 100 * k },
      }),
    );
  }
  lines.push(
    line('step:retry', {
      stepId: 's',
      model: 'mercury-2',
      attempt: 2,
      delayMs: 0,
      reason: 'rate-limit',
      error: '429',
    }),
    line('step:retry', {
      stepId: 's',
      model: 'mercury-2',
      attempt: 3,
      delayMs: 0,
      reason: 'server-error',
      error: '500',
    }),
    line('step:fallback', {
      stepId: 's',
      from: 'mercury-2',
      to: 'deepseek-flash',
      reason: 'Retry-After 60.0 s is longer than switching costs (1.0 s)',
      failure: 'rate-limit',
    }),
    line('step:fallback', {
      stepId: 's',
      from: 'mercury-2',
      to: 'deepseek-flash',
      reason: 'the circuit of mercury-2 is open',
    }),
    // Not calls: a cached record, a map's total, a step stopped before its first attempt, code.
    record({ model: 'mercury-2', source: 'cache', timeToFirstTokenMs: 1, decodeMs: 1 }),
    record({ model: 'deepseek-flash', kind: 'map', items: 4, timeToFirstTokenMs: 9 }),
    record({ model: 'deepseek-flash', status: 'error', attempt: 0, error: 'aborted' }),
    record({ kind: 'fn' }),
    // deepseek-flash: one call that answered, one that failed for good.
    record({
      model: 'deepseek-flash',
      timeToFirstTokenMs: 1700,
      decodeMs: 2000,
      usage: { inputTokens: 5, outputTokens: 180 },
    }),
    record({ model: 'deepseek-flash', status: 'error', attempt: 3, error: 'boom' }),
  );
  return `${lines.join('\n')}\n`;
}

describe('hotpath calibrate', () => {
  it('measures each model from a log: percentiles, error and 429 rates, the catalog beside', async () => {
    const dir = tempDir();
    const path = join(dir, 'hand.jsonl');
    writeFileSync(path, handLog());
    const { code, out } = await cli([path, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    // Ten answers, two retries, one fallback after a call; the open circuit made no call.
    expect(result.models['mercury-2']).toEqual({
      samples: 13,
      ok: 10,
      timeToFirstTokenMs: { p50: 500, p90: 900, samples: 10 },
      // Less each call's prefill: 10 tokens at 40,000 tok/s.
      firstTokenLessPrefillMs: { p50: 499.75, p90: 899.75, samples: 10 },
      outputTokensPerSecond: { p50: 500, p90: 900, samples: 10 },
      errorRate: 3 / 13,
      rateLimitedRate: 2 / 13,
      catalog: { timeToFirstTokenMs: 560, outputTokensPerSecond: 750 },
    });
    expect(result.models['deepseek-flash']).toMatchObject({
      samples: 2,
      ok: 1,
      timeToFirstTokenMs: { p50: 1700, p90: 1700, samples: 1 },
      outputTokensPerSecond: { p50: 90, p90: 90, samples: 1 },
      errorRate: 0.5,
      rateLimitedRate: 0,
    });
    expect(result).toMatchObject({ runs: 1, calls: 15 });

    const table = await cli([path]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(
      /mercury-2\s+13\s+500\/900 ms \(560, -11%\)\s+500\/900 \(750, -33%\)\s+23\.1%\s+15\.4%/,
    );
  });

  it('writes overrides a pool loads: measured first token less the round trip, measured speed', async () => {
    const dir = tempDir();
    const path = join(dir, 'hand.jsonl');
    const out = join(dir, 'profiles.json');
    writeFileSync(path, handLog());
    const { code, err } = await cli([path, '--out', out]);
    expect(code).toBe(0);
    expect(err).toContain(
      `wrote ${out} (mercury-2); left out deepseek-flash (first token from 1 call, speed from 1 call; 5 needed)`,
    );
    const overrides = JSON.parse(readFileSync(out, 'utf8'));
    expect(overrides.models['mercury-2']).toMatchObject({
      timeToFirstTokenMs: 440,
      outputTokensPerSecond: 500,
      source: expect.stringContaining('p50 of 10 first tokens and 10 speeds in'),
    });
    const pool = models.withOverrides(models.emulated({ clock: createVirtualClock() }), overrides);
    expect(pool.get('mercury-2').profile).toMatchObject({
      timeToFirstTokenMs: 440,
      outputTokensPerSecond: 500,
      roundTripMs: 60,
      pricing: { outputPerMTok: 0.75 },
    });
    expect(pool.get('mercury-2').profile.source).toContain('measured by hotpath calibrate');
    expect(pool.get('deepseek-flash').profile).toBe(models.catalog['deepseek-flash']);
    expect(pool.description).toContain('profiles of mercury-2 overridden');
    // An emulated pool keeps its counters.
    expect(pool.stats().requests).toBe(0);
  });

  it('writes the first token less the prompts’ prefill, which plans add back', async () => {
    const dir = tempDir();
    const path = join(dir, 'long.jsonl');
    const out = join(dir, 'profiles.json');
    // Five mercury-2 calls of 20,000 input tokens (8,000 of them cached): 300 ms of prefill at
    // 40,000 tok/s in each 800 ms first token.
    const lines = Array.from({ length: 5 }, () =>
      record({
        model: 'mercury-2',
        timeToFirstTokenMs: 800,
        decodeMs: 1000,
        usage: { inputTokens: 20_000, cachedInputTokens: 8000, outputTokens: 750 },
      }),
    );
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect((await cli([path, '--out', out])).code).toBe(0);
    const overrides = JSON.parse(readFileSync(out, 'utf8'));
    // 800 - 300 of prefill - 60 of round trip.
    expect(overrides.models['mercury-2']).toMatchObject({ timeToFirstTokenMs: 440 });
    const { out: json } = await cli([path, '--json']);
    expect(JSON.parse(json).models['mercury-2']).toMatchObject({
      timeToFirstTokenMs: { p50: 800, p90: 800 },
      firstTokenLessPrefillMs: { p50: 500, p90: 500 },
    });
  });

  it('calibrates from a real run: 429s counted, fallbacks say why, speeds near the catalog', async () => {
    const dir = tempDir();
    const path = join(dir, 'traces.jsonl');
    const pool = models.emulated({
      clock: createVirtualClock(),
      faults: [
        // Retried at once; then a 429 whose Retry-After outlasts the switch: a fallback.
        {
          fault: { kind: 'rate-limit', retryAfterSeconds: 0 },
          model: deepseekFlash.id,
          requests: [2],
        },
        {
          fault: { kind: 'rate-limit', retryAfterSeconds: 600 },
          model: deepseekFlash.id,
          requests: [5],
        },
      ],
    });
    const exporter = jsonlExporter({ path });
    const runtime = createRuntime({ models: pool, exporters: [exporter], hedge: false });
    const fan = chain('fan', { input: z.object({ n: z.number() }) }).map(
      'items',
      ({ input }) => Array.from({ length: input.n }, (_, i) => `item ${i}`),
      llm({ prompt: (item: string) => `Summarise ${item}`, lane: 'cheap', maxOutputTokens: 200 }),
    );
    await runtime.run(fan, { n: 8 });
    await exporter.flush?.();
    const fallbacks = readFileSync(path, 'utf8')
      .split('\n')
      .filter((text) => text.includes('"step:fallback"'))
      .map((text) => JSON.parse(text).data);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatchObject({ from: deepseekFlash.id, failure: 'rate-limit' });
    const { code, out } = await cli([path, '--json']);
    expect(code).toBe(0);
    const measured = JSON.parse(out).models;
    const flash = measured['deepseek-flash'];
    // Seven items answered on it, one retried 429, one 429 given up on.
    expect(flash.samples).toBe(9);
    expect(flash.rateLimitedRate).toBeCloseTo(2 / 9, 12);
    expect(flash.errorRate).toBeCloseTo(2 / 9, 12);
    expect(measured[fallbacks[0].to].samples).toBe(1);
    // The emulator jitters speed by a few percent around the profile's 90 tok/s.
    expect(flash.outputTokensPerSecond.p50).toBeGreaterThan(80);
    expect(flash.outputTokensPerSecond.p50).toBeLessThan(100);
  });

  it('counts the 429 a step failed on for good as a 429, not as another error', async () => {
    const dir = tempDir();
    const path = join(dir, 'limited.jsonl');
    const pool = models.emulated({
      clock: createVirtualClock(),
      faults: [{ fault: { kind: 'rate-limit', retryAfterSeconds: 0 }, model: deepseekFlash.id }],
    });
    const exporter = jsonlExporter({ path });
    const runtime = createRuntime({
      models: pool,
      exporters: [exporter],
      hedge: false,
      retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const one = chain('one', { input: z.object({}) }).step(
      'answer',
      llm({ prompt: 'Say hi', models: [deepseekFlash.id] }),
    );
    const error = await runtime.run(one, {}).catch((caught: unknown) => caught);
    await exporter.flush?.();
    expect((error as { trace: { steps: { failure?: string }[] } }).trace.steps[0]!.failure).toBe(
      'rate-limit',
    );
    const { code, out } = await cli([path, '--json']);
    expect(code).toBe(0);
    // Two calls, both answered with a 429: one retried, the last the step failed on.
    expect(JSON.parse(out).models['deepseek-flash']).toMatchObject({
      samples: 2,
      errorRate: 1,
      rateLimitedRate: 1,
    });
  });

  it('measures a retried call from its own request, not from the step’s start', async () => {
    const dir = tempDir();
    const path = join(dir, 'retried.jsonl');
    const pool = models.emulated({
      clock: createVirtualClock(),
      faults: [
        { fault: { kind: 'rate-limit', retryAfterSeconds: 3 }, model: 'mercury-2', requests: [1] },
      ],
    });
    const exporter = jsonlExporter({ path });
    const runtime = createRuntime({ models: pool, exporters: [exporter], hedge: false });
    const one = chain('one', { input: z.object({}) }).step(
      'answer',
      llm({ prompt: 'Say hi', models: ['mercury-2'], maxOutputTokens: 100 }),
    );
    const { trace } = await runtime.run(one, {});
    await exporter.flush?.();
    expect(trace.steps[0]!.timeToFirstTokenMs).toBeGreaterThan(3000);
    const { code, out } = await cli([path, '--json']);
    expect(code).toBe(0);
    const mercury = JSON.parse(out).models['mercury-2'];
    expect(mercury.samples).toBe(2);
    const own =
      models.catalog['mercury-2']!.roundTripMs + models.catalog['mercury-2']!.timeToFirstTokenMs;
    expect(mercury.timeToFirstTokenMs.p50).toBeLessThan(own * 1.5);
  });

  it('says what is wrong with its input', async () => {
    const dir = tempDir();
    expect((await cli([])).code).toBe(2);
    const missing = await cli([join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `hotpath calibrate: cannot read \`${join(dir, 'nope.jsonl')}\`: no such file`,
    );
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `not json\n${record({ kind: 'fn' })}\n`);
    const empty = await cli([bad]);
    expect(empty.err).toContain(`hotpath calibrate: skipped ${bad}:1: not JSON`);
    expect(empty.err).toContain(`hotpath calibrate: no model calls in ${bad}`);
    expect(empty.code).toBe(1);
    expect((await cli([bad, '--outfile', 'x'])).err).toContain("Unknown option '--outfile'");
  });
});

describe('hotpath calibrate --out: which models qualify', () => {
  const answer = (fields: Record<string, unknown> = {}) =>
    record({
      model: 'mercury-2',
      timeToFirstTokenMs: 600,
      decodeMs: 200,
      usage: { inputTokens: 10, outputTokens: 150 },
      ...fields,
    });
  const retry = line('step:retry', {
    stepId: 's',
    model: 'mercury-2',
    attempt: 2,
    delayMs: 0,
    reason: 'server-error',
    error: '500',
  });
  const calibrateTo = async (lines: string[]) => {
    const dir = tempDir();
    const path = join(dir, 'traces.jsonl');
    const out = join(dir, 'profiles.json');
    writeFileSync(path, `${lines.join('\n')}\n`);
    return { ...(await cli([path, '--out', out])), out };
  };

  it('needs five speeds, not five answers: one that fit in one chunk measured no speed', async () => {
    const lines = [answer(), answer(), answer(), answer({ decodeMs: 0 }), answer({ decodeMs: 0 })];
    const { err } = await calibrateTo(lines);
    expect(err).toContain('left out mercury-2 (speed from 3 calls; 5 needed)');
  });

  it('takes exactly five answers among failures (no rounding of a share)', async () => {
    const { err, out } = await calibrateTo([...Array(5).fill(answer()), ...Array(9).fill(retry)]);
    expect(err).toContain(`wrote ${out} (mercury-2)`);
    expect(JSON.parse(readFileSync(out, 'utf8')).models['mercury-2'].source).toContain(
      'p50 of 5 first tokens and 5 speeds',
    );
  });

  it("tallies a model's old id with its catalog id", async () => {
    const lines = [
      ...Array(3).fill(answer({ model: 'deepseek-v4-flash' })),
      ...Array(3).fill(answer({ model: 'deepseek-flash' })),
    ];
    const { err, out } = await calibrateTo(lines);
    expect(err).toContain(`wrote ${out} (deepseek-flash)`);
    const json = JSON.parse(
      (await cli([out.replace('profiles.json', 'traces.jsonl'), '--json'])).out,
    );
    expect(Object.keys(json.models)).toEqual(['deepseek-flash']);
    expect(json.models['deepseek-flash']).toMatchObject({ samples: 6, ok: 6 });
  });
});

describe('hotpath calibrate --out: the file it writes', () => {
  const answers = (model: string, n: number) =>
    Array.from({ length: n }, () =>
      record({
        model,
        timeToFirstTokenMs: 600,
        decodeMs: 200,
        usage: { inputTokens: 10, outputTokens: 150 },
      }),
    ).join('\n');
  const setUp = (log: string) => {
    const dir = tempDir();
    const path = join(dir, 'traces.jsonl');
    writeFileSync(path, `${log}\n`);
    return { dir, path, out: join(dir, 'profiles.json') };
  };

  it('writes nothing and fails when no model qualifies, leaving earlier overrides', async () => {
    const { path, out } = setUp(answers('mercury-2', 1));
    const earlier = JSON.stringify({
      version: 1,
      models: { 'mercury-2': { timeToFirstTokenMs: 610 } },
    });
    writeFileSync(out, earlier);
    const { code, err } = await cli([path, '--out', out]);
    expect(code).toBe(1);
    expect(err).toBe(
      `hotpath calibrate: wrote nothing to ${out}: no model has its first token and speed each measured in 5 calls; left out mercury-2 (first token from 1 call, speed from 1 call; 5 needed)`,
    );
    expect(readFileSync(out, 'utf8')).toBe(earlier);
  });

  it('refuses to write over one of the logs it reads, by any name', async () => {
    const { dir, path } = setUp(answers('mercury-2', 6));
    const log = readFileSync(path, 'utf8');
    for (const out of [path, join(dir, '.', 'traces.jsonl')]) {
      const { code, err } = await cli([path, '--out', out]);
      expect(code).toBe(1);
      expect(err).toBe(
        `hotpath calibrate: expected \`--out\` to name a file other than the trace logs it reads, got \`${out}\`, one of the LOGs`,
      );
    }
    expect(readFileSync(path, 'utf8')).toBe(log);
  });

  it('refuses to write over a file that holds no overrides', async () => {
    const { dir, path, out } = setUp(answers('mercury-2', 6));
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, `${answers('mercury-2', 2)}\n`);
    const { code, err } = await cli([path, '--out', other]);
    expect(code).toBe(1);
    expect(err).toContain(
      `expected \`--out\` \`${other}\` to be a profile overrides file to merge into, but it is not JSON`,
    );
    expect(readFileSync(other, 'utf8')).toBe(`${answers('mercury-2', 2)}\n`);
    expect((await cli([path, '--out', dir])).err).toBe(
      `hotpath calibrate: cannot write \`--out\` \`${dir}\`: it is a folder, not a file`,
    );
    expect((await cli([path, '--out', out])).code).toBe(0);
  });

  it('merges into an existing file: measured models replaced (old ids too), the others kept', async () => {
    const { path, out } = setUp(`${answers('mercury-2', 5)}\n${answers('deepseek-flash', 5)}`);
    const haiku = { timeToFirstTokenMs: 500, source: 'by hand' };
    writeFileSync(
      out,
      JSON.stringify({
        version: 1,
        models: {
          'claude-haiku-4-5': haiku,
          'deepseek-v4-flash': { outputTokensPerSecond: 60 },
          'mercury-2': { outputTokensPerSecond: 702 },
        },
      }),
    );
    const { code, err } = await cli([path, '--out', out]);
    expect(code).toBe(0);
    expect(err).toBe(
      `hotpath calibrate: wrote ${out} (deepseek-flash, mercury-2); kept claude-haiku-4-5 from it`,
    );
    const written = JSON.parse(readFileSync(out, 'utf8')).models;
    expect(Object.keys(written)).toEqual(['claude-haiku-4-5', 'deepseek-flash', 'mercury-2']);
    expect(written['claude-haiku-4-5']).toEqual(haiku);
    expect(written['mercury-2'].outputTokensPerSecond).toBe(750);
  });

  it('creates the folder of a new file', async () => {
    const { dir, path } = setUp(answers('mercury-2', 5));
    const out = join(dir, 'new', 'deeper', 'profiles.json');
    expect((await cli([path, '--out', out])).code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')).models)).toEqual(['mercury-2']);
  });
});

describe('models.withOverrides', () => {
  const pool = () => models.emulated({ clock: createVirtualClock() });
  it('names the model and field of a bad override', () => {
    expect(() =>
      models.withOverrides(pool(), { models: { 'mercury-2': { outputTokensPerSecond: -1 } } }),
    ).toThrow(
      'Model profile `mercury-2`: expected `outputTokensPerSecond` to be a number above 0, got `-1`',
    );
    expect(() =>
      models.withOverrides(pool(), {
        models: { 'mercury-2': { outputTokensPerSec: 700 } },
      } as never),
    ).toThrow(
      'Unknown field `models.mercury-2.outputTokensPerSec` of profile overrides; did you mean `outputTokensPerSecond`?',
    );
    expect(() => models.withOverrides(pool(), [] as never)).toThrow(
      'Expected profile overrides to be an object with `models`',
    );
    expect(() => models.withOverrides(pool(), { version: 2, models: {} } as never)).toThrow(
      'Expected profile overrides of `version` 1, got `2`',
    );
  });
  it('matches a catalog alias and skips ids the pool lacks', () => {
    const loaded = models.withOverrides(pool(), {
      models: {
        'deepseek-v4-flash': { outputTokensPerSecond: 60 },
        'no-such-model': { outputTokensPerSecond: 1 },
      },
    });
    expect(loaded.get('deepseek-flash').profile.outputTokensPerSecond).toBe(60);
  });
});
