/**
 * The tenant's transactions per second, in whole clock seconds: `tps` a second are queued as usual, then burst
 * mode takes up to 1.5 × TPS, at most 100 more (page "rate-limits-for-messaging-apis"); the rest is refused.
 */
export class TpsWindow {
  private second = -1;
  private used = 0;
  private readonly burst: number;

  constructor(
    private readonly tps: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.burst = Math.min(Math.floor(tps * 0.5), 100);
  }

  /** Takes up to `count` of this second's allowance: how many go as usual, how many in burst mode. */
  take(count: number): { normal: number; burst: number } {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.used = 0;
    }
    const normal = Math.max(0, Math.min(count, this.tps - this.used));
    const burst = Math.max(0, Math.min(count - normal, this.tps + this.burst - this.used - normal));
    this.used += normal + burst;
    return { normal, burst };
  }
}
