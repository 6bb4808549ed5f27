/**
 * The name in `names` closest to `given` by edit distance (letter case ignored), when it is close
 * enough to be a likely typo: at most a third of the name's letters, and at least two, differ.
 */
export function nearestName(given: string, names: Iterable<string>): string | undefined {
  const target = given.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const distance = editDistance(target, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(given.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, before[j - 2]! + 1);
      }
      current.push(distance);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The end of a message about the unknown name `given`: ``did you mean `outputTokensPerSecond`?``
 * for a likely typo of one of `names`, else ``expected one of `a`, `b` `` (or `otherwise`).
 */
export function nameHint(given: string, names: readonly string[], otherwise?: string): string {
  const near = nearestName(given, names);
  if (near !== undefined) return `did you mean \`${near}\`?`;
  return otherwise ?? `expected one of ${names.map((name) => `\`${name}\``).join(', ')}`;
}
