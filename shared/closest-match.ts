/**
 * How many single-character insertions, deletions, substitutions or swaps of neighbours turn `a` into `b`
 * (the optimal string alignment distance): a swap, the commonest slip in typing, counts once.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (before[j - 2] as number) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The candidates nearest to `word` (case-insensitive), best first, at most `maxDistance` edits away; ties keep
 * the candidates' order.
 */
export function closestMatches(
  word: string,
  candidates: readonly string[],
  maxDistance: number,
  limit = 3,
): string[] {
  const lower = word.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter((c) => c.distance <= maxDistance)
    .sort((x, y) => x.distance - y.distance)
    .slice(0, limit)
    .map((c) => c.candidate);
}
