/**
 * The rows whose outcome is unknown and when each was sent, kept as rows move in and out of unknown, so that
 * what the campaign's view says of them costs the rows that changed, not a pass over every row. Rows sent in
 * one batch share their time: the latest is found again among the distinct times only.
 */
export class UnknownRows {
  private readonly sentAt = new Map<number, number>();
  /** How many unknown rows were sent at each time (NaN: no time recorded). */
  private readonly byTime = new Map<number, number>();
  private latestTime: number | null = null;

  get size(): number {
    return this.sentAt.size;
  }

  /** The row is unknown, sent at `sentAt` (an ISO time, or null when none was recorded). */
  add(row: number, sentAt: string | null): void {
    const time = Date.parse(sentAt ?? '');
    const before = this.sentAt.get(row);
    if (before !== undefined) {
      if (Object.is(before, time)) return;
      this.remove(row);
    }
    this.sentAt.set(row, time);
    const key = timeKey(time);
    this.byTime.set(key, (this.byTime.get(key) ?? 0) + 1);
    if (this.latestTime !== null) this.latestTime = Math.max(this.latestTime, key);
  }

  remove(row: number): void {
    const time = this.sentAt.get(row);
    if (time === undefined) return;
    this.sentAt.delete(row);
    const key = timeKey(time);
    const left = (this.byTime.get(key) as number) - 1;
    if (left > 0) this.byTime.set(key, left);
    else {
      this.byTime.delete(key);
      if (this.latestTime === key) this.latestTime = null;
    }
  }

  clear(): void {
    this.sentAt.clear();
    this.byTime.clear();
    this.latestTime = null;
  }

  /** The latest time an unknown row was sent (a row without one counts as sent at 0); null when none is unknown. */
  latest(): number | null {
    if (this.sentAt.size === 0) return null;
    if (this.latestTime === null) {
      let latest = -Infinity;
      for (const key of this.byTime.keys()) latest = Math.max(latest, key);
      this.latestTime = latest;
    }
    return this.latestTime;
  }

  /** The unknown rows, in row order, whose send time passes `keep`. */
  rows(keep: (sentAt: number) => boolean = () => true): number[] {
    const rows: number[] = [];
    for (const [row, time] of this.sentAt) if (keep(time)) rows.push(row);
    return rows.sort((a, b) => a - b);
  }
}

/** A row without a send time counts as sent at 0 for the latest time, as a pass over the rows counted it. */
function timeKey(time: number): number {
  return time || 0;
}
