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
      'Expected `startAt` to be a `Date`, an ISO 8601 string or Unix ms, got `Invalid Date` (object)',
    );
  });

  it('takes startAt as a Date, an ISO string or Unix ms, all the same instant', () => {
    const iso = '2026-12-02T02:00:00Z';
    for (const startAt of [new Date(iso), iso, Date.parse(iso)]) {
      expect(createVirtualClock({ startAt }).epochMs!()).toBe(Date.parse(iso));
    }
  });

  it.each([
    [{ startAt: 'soon' }, 'startAt', 'got `soon` (string)'],
    [{ startAt: Number.NaN }, 'startAt', 'got `NaN` (number)'],
    [{ startAt: {} }, 'startAt', 'got `{}` (object)'],
    [{ start: Number.NaN }, 'start', 'Expected `start` to be a finite number, got `NaN` (number)'],
    [{ start: '5' }, 'start', 'Expected `start` to be a finite number, got `5` (string)'],
    [
      { startat: new Date() },
      'startat',
      'Unknown option `startat` of `createVirtualClock`; did you mean `startAt`?',
    ],
  ])('refuses %j, naming the option', (options, argument, message) => {
    const make = () => createVirtualClock(options as never);
    expect(make).toThrow(message);
    try {
      make();
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });

  it('takes a NaN or infinite sleep as 0, so the clock keeps a number', async () => {
    const clock = createVirtualClock({ start: 10 });
    await clock.sleep(Number.NaN);
    await clock.sleep(Number.POSITIVE_INFINITY);
    expect(clock.now()).toBe(10);
    await clock.sleep(5);
    expect(clock.now()).toBe(15);
  });

  it('keeps the emulated clock a number after an infinite sleep', async () => {
    const clock = createEmulatedClock({ timeScale: 1000 });
    await clock.sleep(Number.POSITIVE_INFINITY);
    await clock.sleep(Number.NaN);
    expect(Number.isFinite(clock.now())).toBe(true);
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
