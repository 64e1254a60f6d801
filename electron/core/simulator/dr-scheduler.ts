import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { postJson } from './post-json.js';

export interface DeliveryJob {
  notifyurl: string;
  transid: string;
  correlationid: string;
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
}

/** Posts a 'Submitted' then a final delivery report for each scheduled destination, in that order. */
export class DrScheduler {
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
    if (this.cancellation.signal.aborted) return;
    // Drawn at scheduling time so that a given seed gives the same outcomes regardless of network timing.
    const final = this.drawFinalOutcome();
    const run = this.deliver(job, final).finally(() => this.pending.delete(run));
    this.pending.add(run);
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

  private async deliver(job: DeliveryJob, final: DeliveryOutcome): Promise<void> {
    const { signal } = this.cancellation;
    try {
      await sleep(this.options.submittedDelayMs, undefined, { signal });
      await this.post(job, SUBMITTED);
      await sleep(this.options.finalDelayMs, undefined, { signal });
      await this.post(job, final);
    } catch {
      // Only cancellation gets here: the sleeps reject when aborted and post() never throws.
    }
  }

  private async post(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void> {
    const { signal } = this.cancellation;
    try {
      const status = await postJson(job.notifyurl, deliveryReport(job, outcome), signal);
      if (status >= 300) this.failedPosts.push({ url: job.notifyurl, reason: `HTTP ${status}` });
    } catch (error) {
      if (signal.aborted) return;
      this.failedPosts.push({
        url: job.notifyurl,
        reason: error instanceof Error ? error.message : String(error),
      });
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
      correlationid: job.correlationid,
    },
  };
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
