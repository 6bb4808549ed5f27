import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, createRuntime, createVirtualClock, fn, models } from 'hotpath';
import { jsonlExporter, readTraceLog } from 'hotpath/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { research } from '../examples/research';
import { trace as traceCommand } from '../src/cli/commands/trace';
import { createEventHub } from '../src/tracing/event-hub';
import { traceLogVersion } from '../src/tracing/log/log-line';
import { runCommand } from './helpers/run-command';

const planted = 'sk-planted-KEY-0123456789abcdef';
const envKey = 'env-secret-value-9f8e7d6c5b4a';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function tempLog() {
  return join(mkdtempSync(join(tmpdir(), 'hotpath-trace-')), 'logs', 'traces.jsonl');
}

const runCli = (args: string[]) => runCommand(traceCommand, args);

describe('JSONL trace log', () => {
  it('round-trips: three concurrent runs written, read back by the CLI with the same totals', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path });
    const runs = await Promise.all(
      [1, 2, 3].map((seed) =>
        createRuntime({
          models: models.emulated({ clock: createVirtualClock(), seed }),
          exporters: [log],
        }).run(research, { question: 'Why are diffusion LLMs fast?' }),
      ),
    );
    await log.flush!();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(JSON.parse(line).v).toBe(traceLogVersion);
    const { runs: read, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    expect(read).toHaveLength(3);
    for (const { trace } of runs) {
      const back = read.find((run) => run.runId === trace.runId)!.trace!;
      expect(back.costUsd).toBe(trace.costUsd);
      expect(back.durationMs).toBe(trace.durationMs);
      expect(back.usage).toEqual(trace.usage);
      expect(back.criticalPath).toEqual(trace.criticalPath);
    }

    const last = runs.find(({ trace }) => trace.runId === read.at(-1)!.runId)!.trace;
    const text = await runCli([path]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`run ${last.runId} (3 of 3)`);
    expect(text.out).toContain(
      `finished in ${(last.durationMs / 1000).toFixed(2)} s for $${last.costUsd.toFixed(6)}`,
    );
    expect(text.out).toMatch(/3 runs of research \(0 failed\): p50/);
    expect(text.out).toMatch(/deepseek-flash\s+\d+\s+\d/);

    const json = await runCli([path, '--json', '--run', runs[0]!.trace.runId.slice(0, 8)]);
    const parsed = JSON.parse(json.out);
    expect(parsed.run.runId).toBe(runs[0]!.trace.runId);
    expect(parsed.run.costUsd).toBe(runs[0]!.trace.costUsd);
    expect(parsed.runs).toHaveLength(3);
    const total = runs.reduce((sum, { trace }) => sum + trace.costUsd, 0);
    expect(parsed.aggregates[0].totalCostUsd).toBeCloseTo(total, 12);

    expect((await runCli([path, '--run', 'nope'])).code).toBe(1);
    expect((await runCli([])).code).toBe(2);
  });

  it('reads back each trace whole, its step records from the step:end lines', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path });
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock(), seed: 4 }),
      exporters: [log],
    });
    const failing = chain('failing', { input: z.object({ question: z.string() }) })
      .step(
        'ok',
        fn(() => 1),
      )
      .step(
        'fail',
        { needs: ['ok'] },
        fn(() => {
          throw new Error('no');
        }),
      );
    const { trace } = await runtime.run(research, { question: 'Why are diffusion LLMs fast?' });
    const failed = await runtime.run(failing, { question: 'q' }).catch((error) => error.trace);
    await log.flush();
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const end = lines.find((line) => line.event === 'chain:end' && line.runId === trace.runId);
    // The records are written once, in the step:end lines; the run's id once per line.
    expect(end.data).not.toHaveProperty('steps');
    expect(end.data).not.toHaveProperty('runId');
    const { runs, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    for (const expected of [trace, failed]) {
      expect(expected?.steps.length).toBeGreaterThan(0);
      const back = runs.find((run) => run.runId === expected.runId)!.trace;
      expect(back).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    expect(Object.keys(trace.items)).toEqual(['answers']);
  });

  it('keeps the step records in chain:end when it does not write step:end lines', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path, events: ['chain:start', 'chain:end'] });
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [log],
    });
    const { trace } = await runtime.run(research, { question: 'q' });
    await log.flush();
    const { runs, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    expect(runs[0]!.lines.map((line) => line.event)).toEqual(['chain:start', 'chain:end']);
    expect(runs[0]!.trace).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  it('keeps the step records in chain:end when it heard only some step:end lines', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path });
    const runtime = createRuntime({ models: models.emulated({ clock: createVirtualClock() }) });
    // Attached once the run's first step has ended: its line is not in the log.
    const once = runtime.on('step:end', () => {
      once();
      log.attach(runtime);
    });
    const { trace } = await runtime.run(research, { question: 'q' });
    await log.flush();
    const { runs, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    const ends = runs[0]!.lines.filter((line) => line.event === 'step:end');
    const records = trace.steps.length + Object.values(trace.items).flat().length;
    expect(ends).toHaveLength(records - 1);
    expect(runs[0]!.trace).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  it('writes a plan as it was decided, without working out what it keeps for reading', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path });
    const hub = createEventHub(() => {});
    log.attach(hub);
    const notYet = () => {
      throw new Error('worked out on read');
    };
    const step = { stepId: 's', model: 'm', lane: 'fast', slackMs: 0, critical: true };
    const lazyStep = Object.defineProperty({ ...step, stepId: 't' }, 'reason', {
      get: notYet,
      enumerable: true,
    });
    const plan = {
      chain: 'c',
      objective: 'balanced',
      durationMs: 10,
      costUsd: 0.1,
      steps: [{ ...step, reason: 'the only model' }, lazyStep],
      get durationPercentiles() {
        return notYet();
      },
      get frontier() {
        return notYet();
      },
      get baselines() {
        return notYet();
      },
      explain: () => 'a table',
    };
    hub.emit('plan', { runId: 'r', plan } as never);
    await log.flush();
    const line = JSON.parse(readFileSync(path, 'utf8'));
    expect(line.data).toEqual({
      plan: {
        chain: 'c',
        objective: 'balanced',
        durationMs: 10,
        costUsd: 0.1,
        steps: [
          { ...step, reason: 'the only model' },
          { ...step, stepId: 't' },
        ],
      },
    });
  });

  it('writes a plan that runs reuse once per file, and reads it back into each run', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path });
    const hub = createEventHub(() => {});
    log.attach(hub);
    const step = { stepId: 's', model: 'm', lane: 'fast', slackMs: 0, critical: true };
    const planOf = (durationMs: number) => ({
      chain: 'c',
      objective: 'balanced',
      durationMs,
      costUsd: 0.1,
      steps: [{ ...step, reason: 'the only model' }],
    });
    const [reused, other] = [planOf(10), planOf(20)];
    const planned = [reused, reused, other, reused, reused];
    planned.forEach((plan, index) => {
      hub.emit('plan', { runId: `r${index}`, plan } as never);
    });
    await log.close();
    // The file let go (rotation, a failed write): the next line holds the plan again.
    hub.emit('plan', { runId: 'r5', plan: reused } as never);
    await log.close();

    const text = readFileSync(path, 'utf8');
    const written = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).data);
    expect(written.map((data) => data.samePlanAs ?? 'plan')).toEqual([
      'plan',
      'r0',
      'plan',
      'plan',
      'r3',
      'plan',
    ]);
    const { runs, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    expect(runs.map((run) => run.lines[0]!.data)).toEqual(
      [...planned, reused].map((plan, index) => ({ runId: `r${index}`, plan })),
    );
  });

  it('writes the last lines of a process that exits without flushing', async () => {
    const path = tempLog();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/jsonl-exit-child.ts'],
      { env: { ...process.env, HOTPATH_TEST_LOG: path }, encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(0);
    const { runs, problems } = await readTraceLog(path);
    expect(problems).toEqual([]);
    expect(runs[0]?.trace?.status).toBe('ok');
  });

  it('holds no API key, header or prompt by default', async () => {
    vi.stubEnv('OPENAI_API_KEY', envKey);
    const path = tempLog();
    const log = jsonlExporter({ path });
    const leaky = chain('leaky', { input: z.object({ question: z.string() }) }).step(
      'fail',
      fn(({ input }) => {
        throw new Error(`upstream said no to ${input.question} with ${envKey}`);
      }),
    );
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [log],
    });
    await runtime.run(research, { question: `What is ${planted}?` });
    await expect(runtime.run(leaky, { question: `key ${planted}` })).rejects.toThrow();
    // What a runtime may hand over: a prompt, headers, an error with its request attached.
    const hub = createEventHub(() => {});
    log.attach(hub);
    hub.emit('step:start', {
      runId: 'synthetic',
      stepId: 's',
      kind: 'llm',
      atMs: 0,
      prompt: `Summarise ${planted}`,
      headers: { authorization: `Bearer ${envKey}` },
    } as never);
    const error = Object.assign(new Error('HTTP 401'), {
      requestBodyValues: { prompt: 'p' },
      responseHeaders: { 'x-api-key': envKey },
    });
    hub.emit('step:error', { runId: 'synthetic', stepId: 's', error });
    await log.flush!();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('"event":"step:error"');
    expect(text).not.toContain(planted);
    expect(text).not.toContain(envKey);
    expect(text).not.toMatch(/authorization|x-api-key|requestBodyValues|Summarise|What is/i);
    expect(text).not.toContain('Split into 5-8 web queries'); // the research prompt
  });

  it('keeps prompts when asked, still without keys', async () => {
    const path = tempLog();
    const log = jsonlExporter({
      path,
      include: { prompts: true },
      secrets: ['hunter2-long-secret'],
    });
    const hub = createEventHub(() => {});
    log.attach(hub);
    hub.emit('chain:start', {
      runId: 'r',
      chain: 'c',
      startedAt: 1,
      input: { q: 'hello hunter2-long-secret' },
    });
    hub.emit('step:start', {
      runId: 'r',
      stepId: 's',
      kind: 'llm',
      atMs: 0,
      prompt: `Ask ${planted}`,
    });
    await log.flush!();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('hello [redacted]');
    expect(text).toContain('Ask [redacted]');
  });

  it('counts retries from the log in the aggregates', async () => {
    const path = tempLog();
    const log = jsonlExporter({ path });
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [log],
    });
    // The runtime's own retries are being built; a synthetic retry line stands in for them here.
    runtime.on('step:first-token', (event) => {
      if (event.stepId === 'plan') {
        const hub = createEventHub(() => {});
        log.attach(hub);
        hub.emit('step:retry', {
          runId: event.runId,
          stepId: 'plan',
          model: event.model,
          attempt: 2,
          delayMs: 250,
          reason: 'rate-limit',
          error: '429',
        });
      }
    });
    await runtime.run(research, { question: 'q' });
    await runtime.run(research, { question: 'q' });
    await log.flush!();
    const { out } = await runCli([path]);
    expect(out).toMatch(/^plan\s+2\s+.*\s+0\s+2$/m);
    expect(out).toMatch(/^mercury-2\s+4\s+.*\s+0\s+2$/m);
    // Both retries were for a rate limit.
    expect(out).toContain('429s: plan 2 · fallbacks: none');
  });
});
