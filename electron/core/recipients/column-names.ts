/** Column names from a header row: empty names become `Column 3`, repeated ones `name 2`. */
export function uniqueColumnNames(header: readonly string[], width: number): string[] {
  const seen = new Map<string, number>();
  const names = Array.from({ length: Math.max(header.length, width) }, (_, i) => header[i] ?? '');
  return names.map((raw, i) => {
    const base = raw.trim() || `Column ${i + 1}`;
    const count = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), count);
    return count === 1 ? base : `${base} ${count}`;
  });
}
