/** Counts what was taken within a sliding window and refuses what would exceed the limit. */
export class RateWindow {
  private readonly taken: { at: number; count: number }[] = [];
  private total = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  tryTake(count: number): boolean {
    const t = this.now();
    while (this.taken.length > 0 && (this.taken[0]?.at ?? t) <= t - this.windowMs) {
      this.total -= this.taken.shift()?.count ?? 0;
    }
    if (this.total + count > this.limit) return false;
    this.taken.push({ at: t, count });
    this.total += count;
    return true;
  }
}
