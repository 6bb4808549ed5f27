import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn } from '../chain';
import { createVirtualClock } from '../clock';
import { createEmulatedPool } from '../models/emulated-pool';
import { createRuntime } from '../runtime/runtime';
import { createEventHub } from './event-hub';

describe('createEventHub', () => {
  it('reports a listener that rejects as it reports one that throws', async () => {
    const heard: Array<[string, string]> = [];
    const hub = createEventHub((event, error) => heard.push([event, (error as Error).message]));
    hub.on('step:retry', () => {
      throw new Error('sync');
    });
    hub.on('step:retry', async () => {
      throw new Error('async');
    });
    hub.emit('step:retry', {
      runId: 'r',
      stepId: 's',
      model: 'm',
      attempt: 2,
      delayMs: 0,
      reason: 'timeout',
      error: 'e',
    });
    await Promise.resolve();
    expect(heard).toEqual([
      ['step:retry', 'sync'],
      ['step:retry', 'async'],
    ]);
  });
});

describe('a listener that rejects', () => {
  it('becomes a trace warning and does not stop the run', async () => {
    const runtime = createRuntime({
      models: createEmulatedPool({ clock: createVirtualClock() }),
      onStepEnd: async () => {
        throw new Error('the exporter is down');
      },
    });
    const one = chain('one', { input: z.object({}) }).step(
      'a',
      fn(() => 1),
    );
    const { output, trace } = await runtime.run(one, {});
    expect(output).toEqual({ a: 1 });
    expect(trace.warnings).toEqual([
      { source: 'listener', message: 'a `step:end` listener threw: the exporter is down' },
    ]);
  });
});
