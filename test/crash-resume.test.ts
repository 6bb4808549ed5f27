import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatedPool, createRuntime, fromEnv, RunStoreError } from 'hotpath';
import {
  createFileRunStore,
  type Emulator,
  type EmulatorRequestLogEntry,
  startEmulator,
} from 'hotpath/node';
import { createPostgresRunStore } from 'hotpath/postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findProfile } from '../src/models/catalog';
import { computeCost } from '../src/models/cost';
import { crashChain, crashPrompt } from './fixtures/crash-chain';

// Acceptance: a child process runs a 200-item map against the HTTP emulator with a run store and
// is SIGKILLed after about half the items; this process, trying while the dead one's lease still
// runs, is refused and told when it lapses; a new child then resumes the same run id. The emulator's
// request log shows who asked for what.
const timeScale = 25;
const seed = 11;
// Long enough that a child starved of CPU on 2 busy cores (vitest runs two files at once) still
// renews it (every third of it) before the kill; a 3 s lease once lapsed before the check.
const leaseMs = 6000;
const root = new URL('..', import.meta.url).pathname;
const folder = await mkdtemp(join(tmpdir(), 'hotpath-crash-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

interface ChildResult {
  ok: boolean;
  output?: string[];
  costUsd?: number;
  durable?: { called: number; resumed: number; resumedCostUsd: number };
  sources?: Record<string, number>;
  message?: string;
  reason?: string;
  leaseExpiresAt?: number;
}

function envFor(emulator: Emulator, store: string, runId: string) {
  return {
    ...process.env,
    HOTPATH_EMULATOR_URL: emulator.url,
    HOTPATH_EMULATOR_TIME_SCALE: String(timeScale),
    HOTPATH_TEST_STORE: store,
    HOTPATH_TEST_RUN_ID: runId,
    HOTPATH_TEST_LEASE_MS: String(leaseMs),
  };
}

function startChild(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  result: Promise<ChildResult | undefined>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crash-child.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  const result = new Promise<ChildResult | undefined>((resolve) => {
    child.on('close', () => {
      const line = stdout.trim().split('\n').pop();
      resolve(line ? (JSON.parse(line) as ChildResult) : undefined);
    });
  });
  return { child, result };
}

/** What the emulator billed for a request, at its price window. */
const cost = (request: EmulatorRequestLogEntry) =>
  computeCost(
    findProfile(request.model)!.pricing,
    {
      inputTokens: request.inputTokens,
      cachedInputTokens: request.cachedInputTokens,
      outputTokens: request.outputTokens,
      reasoningTokens: 0,
    },
    request.startedAt,
  );

async function crashAndResume(store: string, runId: string) {
  const emulator = await startEmulator({ timeScale, seed, requestLog: true });
  try {
    const first = startChild(envFor(emulator, store, runId));
    // Kill it once about half the items have been answered.
    const killedAt = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        if (emulator.stats().requestLog!.filter((request) => request.completed).length >= 100) {
          clearInterval(poll);
          first.child.kill('SIGKILL');
          resolve(Date.now());
        }
      }, 2);
    });
    expect(await first.result).toBeUndefined();
    // What reached the emulator before the process was gone was in flight at the kill.
    const atKill = emulator.stats().requestLog!.length;

    // The dead process's lease still runs: this process (another one) is refused, and told when
    // the lease lapses.
    const refused = await tryInThisProcess(store, runId);
    expect(RunStoreError.isInstance(refused) && refused.reason, String(refused)).toBe('lease-held');
    expect((refused as Error).message).toMatch(
      /holds its lease\) until \d{4}-\d\d-\d\dT[\d:.]+Z, [\d.]+ s from now/,
    );
    const lapse = (refused as RunStoreError).leaseExpiresAt!;
    expect(lapse).toBeGreaterThan(Date.now());
    await new Promise((resolve) => setTimeout(resolve, lapse - Date.now() + 20));

    const resumed = await startChild(envFor(emulator, store, runId)).result;
    expect(resumed?.ok).toBe(true);
    return { emulator, killedAt, atKill, resumed: resumed!, log: emulator.stats().requestLog! };
  } finally {
    await emulator.close();
  }
}

/** A run of the same id from the test's own process: resolves to the error it was refused with. */
async function tryInThisProcess(where: string, runId: string): Promise<unknown> {
  const store = where.startsWith('postgres')
    ? await createPostgresRunStore({ connectionString: where })
    : createFileRunStore({ dir: where });
  try {
    const runtime = createRuntime({ models: createEmulatedPool(), store, leaseMs });
    await runtime.run(crashChain, { count: 200 }, { runId });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await store.close?.();
  }
}

async function uninterrupted() {
  const emulator = await startEmulator({ timeScale, seed });
  try {
    const env = {
      HOTPATH_EMULATOR_URL: emulator.url,
      HOTPATH_EMULATOR_TIME_SCALE: String(timeScale),
    };
    const runtime = createRuntime({
      models: fromEnv({ env, log: false }),
      hedge: false,
      timeouts: { firstTokenMs: 3_600_000, totalMs: 3_600_000, idleMs: 3_600_000 },
    });
    const { output, trace } = await runtime.run(crashChain, { count: 200 });
    return { output, costUsd: trace.costUsd };
  } finally {
    await emulator.close();
  }
}

const reference = uninterrupted();
/** Items a crash can cost at the fixture's concurrency of 8: those in flight and the unwritten. */
const lostAtMost = 4 * 8;

function checkAcceptance(
  outcome: Awaited<ReturnType<typeof crashAndResume>>,
  expected: Awaited<typeof reference>,
) {
  const { log, atKill, resumed } = outcome;
  const byPrompt = new Map<string, EmulatorRequestLogEntry[]>();
  for (const request of log)
    byPrompt.set(request.prompt, [...(byPrompt.get(request.prompt) ?? []), request]);
  // Every item was asked for; twice only if it was lost at the kill: in flight, or finished with
  // its entry not yet written. At concurrency 8 that is at most 4 x 8 (see the README's bound).
  const prompts = Array.from({ length: 200 }, (_, index) => crashPrompt(index));
  for (const prompt of prompts) expect(byPrompt.get(prompt)?.length ?? 0).toBeGreaterThanOrEqual(1);
  expect(byPrompt.size).toBe(200);
  const twice = [...byPrompt.values()].filter((requests) => requests.length > 1);
  for (const requests of twice) {
    expect(requests).toHaveLength(2);
    expect(requests[0]!.number).toBeLessThanOrEqual(atKill);
  }
  expect(twice.length).toBeLessThanOrEqual(lostAtMost);
  // The second process asked only for what the journal did not hold.
  const afterKill = log.length - atKill;
  expect(resumed.durable!.called).toBe(afterKill);
  expect(resumed.durable!.resumed + resumed.durable!.called).toBe(200);
  expect(resumed.durable!.resumed).toBeGreaterThanOrEqual(100 - lostAtMost);
  expect(resumed.sources).toEqual({
    resumed: resumed.durable!.resumed,
    call: resumed.durable!.called,
  });
  // Same output as a run that was never interrupted, for the same seed.
  expect(resumed.output).toEqual(expected.output);
  // The trace's spend is what the emulator served for the answers used: each item's last
  // request (the first of an item asked twice was cut off by the kill, or never journaled).
  const served = [...byPrompt.values()].reduce(
    (total, requests) => total + cost(requests.at(-1)!),
    0,
  );
  expect(resumed.costUsd!).toBeCloseTo(served, 12);
  // Not compared with the reference run's spend: each call is priced at its start's window, and a
  // DeepSeek peak boundary (01:00, 04:00, 06:00, 10:00 UTC) between the two runs changes it.
  const wasted = twice.reduce((total, requests) => total + cost(requests[0]!), 0);
  const all = log.reduce((total, request) => total + cost(request), 0);
  expect(all).toBeCloseTo(served + wasted, 12);
  return {
    twice: twice.length,
    resumed: resumed.durable!.resumed,
    called: resumed.durable!.called,
  };
}

describe('crash and resume over HTTP', () => {
  it('file store: a SIGKILLed run resumes without paying twice', async () => {
    const outcome = await crashAndResume(join(folder, 'store'), 'crash-file');
    const figures = checkAcceptance(outcome, await reference);
    console.log(`[crash-resume file] ${JSON.stringify(figures)}`);
  }, 180_000);

  const url = inject('postgresUrl');
  it.skipIf(url === '')(
    `PostgreSQL store: the same${url === '' ? ` (skipped: ${inject('postgresSkip')})` : ''}`,
    async () => {
      const outcome = await crashAndResume(url, `crash-pg-${process.pid}`);
      const figures = checkAcceptance(outcome, await reference);
      console.log(`[crash-resume postgres] ${JSON.stringify(figures)}`);
    },
    180_000,
  );
});
