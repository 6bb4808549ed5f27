import { describe, expect, it } from 'vitest';
import { balancedOrder } from '../bench/lib/order';

/** Over one full cycle of rows: how often each item follows each other, and sits in each place. */
function tally(count: number) {
  const items = Array.from({ length: count }, (_, index) => index);
  const rows = count % 2 === 1 ? 2 * count : count;
  const follows = new Map<string, number>();
  const places = new Map<string, number>();
  for (let repeat = 0; repeat < rows; repeat++) {
    const order = balancedOrder(items, repeat);
    expect([...order].sort()).toEqual(items);
    order.forEach((item, place) => {
      places.set(`${item}@${place}`, (places.get(`${item}@${place}`) ?? 0) + 1);
      if (place > 0) {
        const pair = `${order[place - 1]}>${item}`;
        follows.set(pair, (follows.get(pair) ?? 0) + 1);
      }
    });
  }
  return { follows, places };
}

describe('balancedOrder (the peer and overhead benchmarks run their runners in it)', () => {
  it.each([2, 3, 4, 5, 6])('puts each of %i items after every other one equally often', (count) => {
    const { follows, places } = tally(count);
    const perCycle = count % 2 === 1 ? 2 : 1;
    expect(follows.size).toBe(count * (count - 1));
    expect(new Set(follows.values())).toEqual(new Set([perCycle]));
    expect(places.size).toBe(count * count);
    expect(new Set(places.values())).toEqual(new Set([perCycle]));
  });

  it('is not a rotation, where one runner follows the same one almost every time', () => {
    const rotated = (repeat: number) => [0, 1, 2, 3].map((index) => (index + repeat) % 4);
    const predecessor = (order: number[], item: number) => order[order.indexOf(item) - 1];
    const rotation = [0, 1, 2, 3].map((repeat) => predecessor(rotated(repeat), 2));
    const balanced = [0, 1, 2, 3].map((repeat) =>
      predecessor(balancedOrder([0, 1, 2, 3], repeat), 2),
    );
    expect(rotation.filter((item) => item === 1)).toHaveLength(3);
    expect(new Set(balanced.filter((item) => item !== undefined)).size).toBe(3);
  });

  it('keeps a single item as it is', () => {
    expect(balancedOrder(['only'], 3)).toEqual(['only']);
  });
});
