/**
 * The order to run `items` in on repetition `repeat`: rows of a balanced Latin square (Williams'
 * design), so that over `items.length` repetitions (twice that for an odd count) every item runs
 * once in each position and right after every other item equally often.
 *
 * A plain rotation (`[...items.slice(r), ...items.slice(0, r)]`) keeps every neighbour: the item
 * after a heavy allocator (`streamText`) follows it in all but one repetition of each cycle and
 * pays its garbage collections, which biases a comparison against that one item.
 */
export function balancedOrder<T>(items: readonly T[], repeat: number): T[] {
  const n = items.length;
  if (n < 2) return [...items];
  // First row 0, 1, n-1, 2, n-2, ...; row r adds r to each (mod n).
  const first: number[] = [];
  for (let low = 0, high = n - 1, k = 0; first.length < n; k++)
    first.push(k === 0 ? 0 : k % 2 === 1 ? ++low : high--);
  const row = repeat % n;
  const order = first.map((index) => items[(index + row) % n]!);
  // An odd count needs each row reversed as well to balance who follows whom.
  const mirrored = n % 2 === 1 && Math.floor(repeat / n) % 2 === 1;
  return mirrored ? order.reverse() : order;
}
