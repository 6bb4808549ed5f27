import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../../errors';
import { createEventHub } from '../event-hub';
import { stripAnsi } from '../format/ansi';
import type { StepRecord } from '../records';
import { consoleExporter } from './console';
import { detectColor } from './terminal';

afterEach(() => vi.useRealTimers());

const esc = String.fromCharCode(27);

const usage = { inputTokens: 10, cachedInputTokens: 0, outputTokens: 20, reasoningTokens: 0 };
const item = (index: number, endMs: number): StepRecord => ({
  runId: 'r',
  stepId: 'answers',
  kind: 'llm',
  item: index,
  status: 'ok',
  model: 'deepseek-flash',
  lane: 'cheap',
  attempt: 1,
  startMs: 0,
  firstTokenMs: 500,
  endMs,
  durationMs: endMs,
  usage,
  costUsd: 0.0001,
});

function fakeTerminal() {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY: true, columns: 80, write: (text: string) => writes.push(text) },
  };
}

describe('consoleExporter', () => {
  it('subscribes only to chain:end when there is no live view', () => {
    const hub = createEventHub(() => {});
    const off = consoleExporter({ write: () => {}, live: false }).attach(hub);
    expect(hub.has('chain:end')).toBe(true);
    expect(hub.has('step:start')).toBe(false);
    expect(hub.has('step:first-token')).toBe(false);
    off();
    expect(hub.has('chain:end')).toBe(false);
  });

  it('redraws a live view at most once per refresh, with map progress and retries', () => {
    vi.useFakeTimers();
    const { writes, stream } = fakeTerminal();
    const hub = createEventHub(() => {});
    const printed: string[] = [];
    const off = consoleExporter({
      stream,
      write: (text) => printed.push(text),
      refreshMs: 100,
    }).attach(hub);
    hub.emit('chain:start', { runId: 'r', chain: 'research', startedAt: 0 });
    hub.emit('step:start', {
      runId: 'r',
      stepId: 'answers',
      kind: 'map',
      atMs: 0,
      items: 3,
      lane: 'cheap',
    });
    for (const index of [0, 1, 2]) {
      hub.emit('step:start', { runId: 'r', stepId: 'answers', kind: 'llm', item: index, atMs: 0 });
    }
    hub.emit('step:retry', {
      runId: 'r',
      stepId: 'answers',
      item: 1,
      model: 'deepseek-flash',
      attempt: 2,
      delayMs: 100,
      reason: 'rate-limit',
      error: '429',
    });
    hub.emit('step:end', item(0, 900));
    expect(writes).toHaveLength(0); // nothing drawn on the hot path
    vi.advanceTimersByTime(100);
    expect(writes).toHaveLength(1);
    const frame = stripAnsi(writes[0]!);
    expect(frame).toContain('research running');
    expect(frame).toMatch(/answers 1\/3 ↻1/);
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    vi.advanceTimersByTime(100); // keeps animating while the run is in flight
    expect(writes).toHaveLength(2);
    expect(writes[1]!.startsWith(`${esc}[`)).toBe(true); // redrawn in place, from the top
    off();
    expect(writes.at(-1)).toMatch(new RegExp(`^${esc}\\[\\d+F${esc}\\[J$`)); // erased
    vi.advanceTimersByTime(500);
    expect(writes).toHaveLength(3);
    expect(printed).toEqual([]);
  });

  it('respects NO_COLOR and FORCE_COLOR', () => {
    const tty = { isTTY: true, write: () => {} };
    expect(detectColor(tty, {})).toBe(true);
    expect(detectColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(detectColor({ write: () => {} }, { FORCE_COLOR: '1' })).toBe(true);
    expect(detectColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(detectColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(detectColor({ write: () => {} }, {})).toBe(false);
  });
});

describe('consoleExporter option checks', () => {
  it.each([
    [{ widht: 60 }, 'Unknown option `widht` of `consoleExporter`; did you mean `width`?'],
    [{ width: 0 }, 'Expected `width` to be a whole number from 40 up, got `0` (number)'],
    [{ width: 39 }, 'Expected `width` to be a whole number from 40 up, got `39` (number)'],
    [{ live: 'yes' }, 'Expected `live` to be a boolean, got `yes` (string)'],
    [{ color: 1 }, 'Expected `color` to be a boolean'],
    [{ refreshMs: -1 }, 'Expected `refreshMs` to be a number from 0 up'],
    [{ write: 'stdout' }, 'Expected `write` to be a function'],
    [{ stream: {} }, 'Expected `stream` to be a stream with `write(text)`'],
    [{ secrets: [1] }, 'Expected `secrets` to be an array of strings'],
  ])('refuses %j, naming the option', (options, message) => {
    let caught: unknown;
    try {
      consoleExporter(options as never);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain(message);
  });
});
