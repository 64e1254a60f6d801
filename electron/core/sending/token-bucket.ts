/** Messages-per-second limiter. Starts empty, so a campaign never opens with a burst. */
export class TokenBucket {
  private tokens = 0;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
  }

  /** Waits until `count` (at most the capacity) tokens are available, then takes them. */
  async take(count: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      if (this.tokens >= count) {
        this.tokens -= count;
        return;
      }
      const waitMs = ((count - this.tokens) / this.perSecond) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(waitMs))));
    }
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }
}
