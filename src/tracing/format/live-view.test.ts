import { describe, expect, it } from 'vitest';
import type { HotpathEvents } from '../events';
import { createPaint, stripAnsi } from './ansi';
import { LiveRun } from './live-view';

const plain = createPaint(false);
const labels = (line: string) => line.trim().split(/ +/);
const esc = String.fromCharCode(27);
const ownColours = new RegExp(`${esc}\\[\\d+m`, 'g');

function planEvent(plan: Record<string, unknown>): HotpathEvents['plan'][0] {
  return { plan: { criticalPath: [], steps: [], ...plan } } as never;
}

function startEvent(stepId: string, atMs: number): HotpathEvents['step:start'][0] {
  return { stepId, kind: 'llm', atMs } as never;
}

describe('LiveRun', () => {
  it('draws ids from events inert and within the width', () => {
    const live = new LiveRun(`digest\x1b]0;pwned\x07${'-long'.repeat(30)}`);
    live.plan(planEvent({ durationMs: 4000 }));
    live.start(startEvent('out\x1b[2Jline', 0));
    const lines = live.render(1000, 60, createPaint(true));
    // Only the colours the view paints itself are left.
    expect(lines.join('\n').replace(ownColours, '')).not.toContain(esc);
    expect(Math.max(...lines.map((line) => [...stripAnsi(line)].length))).toBeLessThanOrEqual(60);
    expect(stripAnsi(lines[2]!)).toMatch(/^ {2}outline /);
    expect(live.render(1000, 60, plain)[0]).toMatch(/^digest-long.*…$/);
  });

  it('starts the axis and the clock of a deferred run at its first step', () => {
    const wait = 2 * 3_600_000;
    const live = new LiveRun('digest');
    live.plan(planEvent({ durationMs: wait + 6000, deferred: { delayMs: wait } }));
    expect(live.render(wait / 4, 80, plain)[0]).toBe(
      'digest waiting for cheaper prices: starts in 1 h 30 min',
    );
    live.start(startEvent('outline', wait));
    const [header, axis, row] = live.render(wait + 3000, 80, plain);
    expect(header).toBe('digest running 3.00 s, after waiting 2 h 00 min · $0 so far');
    expect(labels(axis!)).toEqual(['0s', '1s', '2s', '3s', '4s', '5s']);
    // Half the planned work has gone: the bar fills about half the axis.
    const cells = row!.match(/░+/)![0].length;
    expect(cells).toBeGreaterThan(25);
    expect(cells).toBeLessThan(35);
  });

  it('says a step read back from a store was cached or resumed', () => {
    const live = new LiveRun('digest');
    live.plan(planEvent({ durationMs: 4000 }));
    for (const [stepId, source] of [
      ['outline', 'cache'],
      ['join', 'resumed'],
    ] as const) {
      live.start(startEvent(stepId, 0));
      live.end({ stepId, kind: 'llm', status: 'ok', endMs: 0, costUsd: 0, source } as never);
    }
    const rows = live.render(10, 80, plain).slice(2);
    expect(rows[0]).toMatch(/^ {2}outline .* cached$/);
    expect(rows[1]).toMatch(/^ {2}join .* resumed$/);
  });
});
