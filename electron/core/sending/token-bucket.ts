import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The messages-per-second limit shared by every request of a campaign: a token bucket whose credit never
 * exceeds half a take. A take goes out when its turn has come, one turn after the last, so a timer that
 * fires a little late loses no time; a stall (a slow disk, a busy event loop, a sleeping laptop) is never
 * made up by a burst: whoever wakes first takes the turn, the others wait for theirs.
 */
export class TokenBucket {
  private next: number;
  private heldUntil = -Infinity;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.next = now();
  }

  /** Waits until `count` tokens are this caller's; rejects when `signal` aborts first. */
  async take(count: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.perSecond === Infinity) return;
    const cost = (count / this.perSecond) * 1000;
    for (;;) {
      const t = this.now();
      // Half a turn of lateness is absorbed; beyond that the turn is lost rather than made up.
      const start = Math.max(this.next, t - cost / 2, this.heldUntil);
      if (start <= t) {
        this.next = start + cost;
        return;
      }
      await sleep(start - t, undefined, { signal });
    }
  }

  /** Nobody takes tokens for `ms` (the service asked to slow down); credit does not build up meanwhile. */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }
}
