/** How many single-character insertions, deletions or substitutions turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
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
