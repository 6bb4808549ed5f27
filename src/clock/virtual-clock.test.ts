import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createSystemClock } from './clock';
import { createEmulatedClock } from './emulated-clock';
import { createVirtualClock } from './virtual-clock';

describe('createVirtualClock', () => {
  it('wakes sleepers in time order and jumps time to each wake-up', async () => {
    const clock = createVirtualClock();
    const woke: Array<[string, number]> = [];
    await Promise.all([
      clock.sleep(300).then(() => woke.push(['c', clock.now()])),
      clock.sleep(100).then(() => woke.push(['a', clock.now()])),
      clock.sleep(200).then(() => woke.push(['b', clock.now()])),
    ]);
    expect(woke).toEqual([
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
  });

  it('adds sleeps made after waking to the new time', async () => {
    const clock = createVirtualClock({ start: 50 });
    await clock.sleep(10);
    await clock.sleep(15);
    expect(clock.now()).toBe(75);
  });

  it('rejects with the abort reason and forgets the sleeper', async () => {
    const clock = createVirtualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await clock.sleep(5);
    expect(clock.now()).toBe(5);
  });

  it('knows the calendar from startAt, and has none without it', async () => {
    const clock = createVirtualClock({ startAt: new Date('2026-12-02T02:00:00Z') });
    await clock.sleep(90 * 60_000);
    expect(new Date(clock.epochMs!()).toISOString()).toBe('2026-12-02T03:30:00.000Z');
    expect(createVirtualClock().epochMs).toBeUndefined();
    expect(() => createVirtualClock({ startAt: new Date('nope') })).toThrow(
      'Expected `startAt` to be a valid date, got `Invalid Date`',
    );
  });

  it('refuses bad clock options with an InvalidArgumentError naming the option', () => {
    const thrown = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const cases: [() => unknown, string][] = [
      [() => createVirtualClock({ startAt: new Date('nope') }), 'startAt'],
      [() => createSystemClock({ timeScale: 0 }), 'timeScale'],
      [() => createSystemClock({ timeScale: Number.POSITIVE_INFINITY }), 'timeScale'],
      [() => createEmulatedClock({ timeScale: -1 }), 'timeScale'],
    ];
    for (const [make, argument] of cases) {
      const error = thrown(make);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });
});
