import type { EventPayload } from '../../../shared/api';

export type SendProgress = EventPayload<'send.progress'>;

const WINDOW_MS = 5000;

/** Rows answered so far, the recent rate and the time left, for progress bars. */
export class ProgressMeter {
  private readonly answered: { at: number; count: number }[] = [];
  private readonly started: number;

  constructor(
    private readonly campaignId: string,
    private readonly total: number,
    private done: number,
    /** The target rate, used for the estimate until there is a measured one. */
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  add(count: number): void {
    this.done += count;
    this.answered.push({ at: this.now(), count });
  }

  snapshot(): SendProgress {
    const t = this.now();
    while ((this.answered[0]?.at ?? t) < t - WINDOW_MS) this.answered.shift();
    const recent = this.answered.reduce((sum, a) => sum + a.count, 0);
    const span = Math.min(WINDOW_MS, t - this.started) / 1000;
    const perSecond = span > 0.2 ? recent / span : 0;
    const left = this.total - this.done;
    const pace = perSecond > 0 ? perSecond : this.rate;
    return {
      campaignId: this.campaignId,
      done: this.done,
      total: this.total,
      perSecond: Math.round(perSecond * 10) / 10,
      etaSeconds: left === 0 ? 0 : Number.isFinite(pace) && pace > 0 ? Math.ceil(left / pace) : null,
    };
  }
}
