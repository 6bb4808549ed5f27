import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors';
import { jsonlExporter } from './jsonl-exporter';

const path = '/tmp/hotpath-never-written/trace.jsonl';

function refusal(options: unknown): InvalidArgumentError {
  let caught: unknown;
  try {
    jsonlExporter(options as never);
  } catch (error) {
    caught = error;
  }
  expect(InvalidArgumentError.isInstance(caught)).toBe(true);
  return caught as InvalidArgumentError;
}

describe('jsonlExporter option checks', () => {
  it.each([
    [
      {},
      'path',
      'Expected `path` to be the path of the log file (a non-empty string), got `undefined` (undefined)',
    ],
    [
      { path: '' },
      'path',
      'Expected `path` to be the path of the log file (a non-empty string), got `` (string)',
    ],
    [undefined, 'options', 'Expected `options` to be an object, got `undefined` (undefined)'],
    [
      { path, flushMs: 5 },
      'flushMs',
      'Unknown option `flushMs` of `jsonlExporter`; the options are `path`',
    ],
    [
      { path, event: ['chain:end'] },
      'event',
      'Unknown option `event` of `jsonlExporter`; did you mean `events`?',
    ],
    [
      { path, events: ['step:ends'] },
      'events',
      'Unknown event `step:ends` in `events` of `jsonlExporter`; did you mean `step:end`?',
    ],
    [{ path, events: ['zzzzzzzz'] }, 'events', 'the events are `chain:start`'],
    [
      { path, events: 'chain:end' },
      'events',
      'Expected `events` to be an array of strings, got `chain:end` (string)',
    ],
    [
      { path, include: { prompt: true } },
      'include.prompt',
      'Unknown option `include.prompt` of `jsonlExporter`; did you mean `include.prompts`?',
    ],
    [
      { path, include: { outputs: 'yes' } },
      'include.outputs',
      'Expected `include.outputs` to be a boolean',
    ],
    [{ path, secrets: 'sk-1' }, 'secrets', 'Expected `secrets` to be an array of strings'],
    [{ path, onError: 'warn' }, 'onError', 'Expected `onError` to be a function'],
  ])('refuses %j, naming the option', (options, argument, message) => {
    const error = refusal(options);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });

  it('accepts every documented option', () => {
    const exporter = jsonlExporter({
      path,
      include: { prompts: true, outputs: false },
      secrets: ['s'],
      events: ['chain:start', 'step:end', 'chain:end'],
      onError: () => {},
    });
    expect(exporter.name).toBe('jsonl');
  });
});
