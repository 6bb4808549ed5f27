import { describe, expect, it } from 'vitest';
import { createEventHub } from '../tracing/event-hub';
import type { RunTrace, StepRecord } from '../tracing/records';
import { maskingHub } from './mask-secrets';

const key = 'sk-planted0123456789abcdef';
const mask = (text: string) => text.split(key).join('[redacted]');

const record = (fields: Partial<StepRecord>): StepRecord =>
  ({
    runId: 'r',
    stepId: 'answer',
    kind: 'llm',
    status: 'error',
    attempt: 1,
    startMs: 0,
    endMs: 1,
    durationMs: 1,
    usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    costUsd: 0,
    ...fields,
  }) as StepRecord;

describe('maskingHub', () => {
  it('masks the error of a record, of each step and item of a trace, and its warnings', () => {
    const hub = createEventHub((_event, error) => {
      throw error;
    });
    const heard: unknown[] = [];
    hub.on('step:end', (payload) => heard.push(payload));
    hub.on('chain:end', (payload) => heard.push(payload));
    const masking = maskingHub(hub, mask);
    const ended = record({ error: `401: Incorrect API key provided: ${key}` });
    masking.emit('step:end', ended);
    const trace = {
      steps: [record({ error: `refused ${key}` })],
      items: { map: [record({ item: 0 }), record({ item: 1, error: `at ${key}` })] },
      warnings: [{ source: 'exporter', message: `sink said ${key}` }],
    } as unknown as RunTrace;
    masking.emit('chain:end', trace);
    expect(ended.error).toBe('401: Incorrect API key provided: [redacted]');
    expect(trace.steps[0]!.error).toBe('refused [redacted]');
    expect(trace.items.map![1]!.error).toBe('at [redacted]');
    expect(trace.items.map![0]!.error).toBeUndefined();
    expect(trace.warnings[0]!.message).toBe('sink said [redacted]');
    expect(heard).toEqual([ended, trace]);
  });

  it('masks errors of retries deep inside, as they carry the provider response', () => {
    const hub = createEventHub((_event, error) => {
      throw error;
    });
    const masking = maskingHub(hub, mask);
    const cause = Object.assign(new Error(`body: ${key}`), { responseBody: `{"key":"${key}"}` });
    const payload = { runId: 'r', stepId: 'a', error: new Error('failed', { cause }) };
    masking.emit('step:error', payload as never);
    expect(cause.message).toBe('body: [redacted]');
    expect(cause.responseBody).toBe('{"key":"[redacted]"}');
  });
});
