import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { StepError } from '../errors';
import { createEmulatedPool } from '../models/emulated-pool';
import type { MapExecutor, RemoteError } from './map-executor';
import { createRuntime } from './runtime';

const topics = chain('topics', { input: z.object({ topics: z.array(z.string()) }) }).map(
  'answers',
  ({ input }) => input.topics,
  llm({ prompt: (topic: string) => `About ${topic}` }),
);

/** An executor whose every item fails with `error`, as a worker would report it. */
const failingWith = (error: RemoteError): MapExecutor => ({
  async runItems(execution) {
    for (let index = 0; index < execution.items.length; index++)
      execution.onItem({ index, ok: false, error });
  },
});

async function failureOf(error: RemoteError): Promise<StepError> {
  const runtime = createRuntime({
    models: createEmulatedPool({ clock: createVirtualClock() }),
    executor: failingWith(error),
  });
  const failed = await runtime.run(topics, { topics: ['a', 'b'] }).catch((caught) => caught);
  expect(StepError.isInstance(failed)).toBe(true);
  return failed as StepError;
}

describe('map items failed on an executor', () => {
  it("fail with `'worker'` when the worker gave no step's reason", async () => {
    const failed = await failureOf({ name: 'HotpathWorkerError', message: 'job stalled twice' });
    expect(failed.reason).toBe('worker');
    expect(failed.stepId).toBe('answers');
    expect(failed.message).toContain('job stalled twice');
  });

  it("keep the worker's step reason", async () => {
    const failed = await failureOf({ name: 'StepError', message: 'timed out', reason: 'timeout' });
    expect(failed.reason).toBe('timeout');
  });
});
