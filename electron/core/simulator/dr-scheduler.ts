import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { postJson } from './post-json.js';
import { mulberry32 } from './seeded-random.js';

export interface DeliveryJob {
  /** Where the reports go; null: none is posted (the message's status still moves on). */
  notifyurl: string | null;
  /** Told each status as the message reaches it, whether or not its report can be posted. */
  onStatus?: (outcome: DeliveryOutcome) => void;
  transid: string;
  msisdn: string;
  callbackData: string;
}

export interface DeliveryOutcome {
  code: string;
  description: string;
  deliveryStatus: 'Submitted' | 'Delivered' | 'Un-Delivered' | 'Failed';
}

export interface FailedPost {
  url: string;
  reason: string;
}

const SUBMITTED: DeliveryOutcome = { code: '7501', description: 'Submitted', deliveryStatus: 'Submitted' };
const DELIVERED: DeliveryOutcome = { code: '7500', description: 'Delivered', deliveryStatus: 'Delivered' };
export const UNDELIVERED_OUTCOMES: readonly DeliveryOutcome[] = [
  { code: '7203', description: 'Unknown subscriber', deliveryStatus: 'Un-Delivered' },
  { code: '7207', description: 'Out of coverage', deliveryStatus: 'Un-Delivered' },
  { code: '7206', description: 'SIM full', deliveryStatus: 'Un-Delivered' },
  { code: '7201', description: 'Failed at operator', deliveryStatus: 'Failed' },
];

export const SIMULATED_CARRIER = 'SIMTEL';

export interface DrSchedulerOptions {
  submittedDelayMs: number;
  finalDelayMs: number;
  /** 0..1 share of destinations whose final report is not 'Delivered'. */
  failureShare: number;
  seed: number;
  /** How many more times a report the notify URL did not take is posted again, with growing pauses. */
  retries?: number;
}

/** How reports misbehave, as the platform's sometimes do. */
export interface ReportFaults {
  /** Every report is posted twice. */
  duplicate?: boolean;
  /** The final report is posted before 'Submitted'. */
  outOfOrder?: boolean;
  /** No report is posted at all, as when the receiver slept through them; statuses still move on. */
  lost?: boolean;
}

const FIRST_RETRY_MS = 200;
const MAX_RETRY_PAUSE_MS = 3000;

/** Posts a 'Submitted' then a final delivery report for each scheduled destination, in that order. */
export class DrScheduler {
  faults: ReportFaults = {};
  readonly failedPosts: FailedPost[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly cancellation = new AbortController();
  private readonly random: () => number;

  constructor(private readonly options: DrSchedulerOptions) {
    if (!(options.failureShare >= 0 && options.failureShare <= 1)) {
      throw new RangeError(`failureShare must be between 0 and 1, got ${options.failureShare}`);
    }
    this.random = mulberry32(options.seed);
    // Every pending report listens on this one signal.
    setMaxListeners(0, this.cancellation.signal);
  }

  schedule(job: DeliveryJob): void {
    // The outcome is drawn now so that a given seed gives the same outcomes regardless of network timing.
    this.track(this.deliver(job, this.drawFinalOutcome(), this.options));
  }

  /** Posts both reports at once; resolves when they have been answered (used to beat the send's response). */
  deliverNow(job: DeliveryJob): Promise<void> {
    const final = this.drawFinalOutcome();
    return this.track(this.deliver(job, final, { submittedDelayMs: 0, finalDelayMs: 0 }));
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  cancel(): void {
    this.cancellation.abort();
  }

  private drawFinalOutcome(): DeliveryOutcome {
    if (this.random() >= this.options.failureShare) return DELIVERED;
    const index = Math.floor(this.random() * UNDELIVERED_OUTCOMES.length);
    return UNDELIVERED_OUTCOMES[index] ?? DELIVERED;
  }

  private track(run: Promise<void>): Promise<void> {
    const tracked = run.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return tracked;
  }

  private async deliver(
    job: DeliveryJob,
    final: DeliveryOutcome,
    delays: Pick<DrSchedulerOptions, 'submittedDelayMs' | 'finalDelayMs'>,
  ): Promise<void> {
    const { signal } = this.cancellation;
    const [first, second] = this.faults.outOfOrder ? [final, SUBMITTED] : [SUBMITTED, final];
    const times = this.faults.duplicate ? 2 : 1;
    try {
      await sleep(delays.submittedDelayMs, undefined, { signal });
      for (let i = 0; i < times; i++) await this.post(job, first);
      await sleep(delays.finalDelayMs, undefined, { signal });
      for (let i = 0; i < times; i++) await this.post(job, second);
    } catch {
      // Only cancellation gets here: the sleeps reject when aborted and post() never throws.
    }
  }

  private async post(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void> {
    job.onStatus?.(outcome);
    if (job.notifyurl === null || this.faults.lost) return;
    const { signal } = this.cancellation;
    const report = deliveryReport(job, outcome);
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const status = await postJson(job.notifyurl, report, signal);
        if (status < 300) return;
        reason = `HTTP ${status}`;
      } catch (error) {
        if (signal.aborted) return;
        reason = error instanceof Error ? error.message : String(error);
      }
      if (attempt >= (this.options.retries ?? 0)) {
        this.failedPosts.push({ url: job.notifyurl, reason });
        return;
      }
      const pause = Math.min(MAX_RETRY_PAUSE_MS, FIRST_RETRY_MS * 2 ** attempt);
      try {
        await sleep(pause, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}

function deliveryReport(job: DeliveryJob, outcome: DeliveryOutcome) {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        timeStamp: new Date().toISOString(),
        Description: outcome.description,
        code: outcome.code,
        messageCount: '1',
        deliveryChannel: 'SMS',
        additionalInfo: '',
        destination: job.msisdn.replace(/^\+/, ''),
        destinationType: 'msisdn',
        deliveryStatus: outcome.deliveryStatus,
      },
      carrier: SIMULATED_CARRIER,
      subtid: '',
      transid: job.transid,
      callbackData: job.callbackData,
      // The documented samples (page "sms-outbound-webhooks") leave it empty: rows are found by transid or callbackData.
      correlationid: '',
    },
  };
}
