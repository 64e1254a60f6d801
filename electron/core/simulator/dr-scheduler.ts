import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { DueRing, PendingReports } from './pending-reports.js';
import { postJson } from './post-json.js';
import { mulberry32 } from './seeded-random.js';

export interface DeliveryJob {
  /** Where the reports go; null: none is posted (the message's status still moves on). */
  notifyurl: string | null;
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

/** Every outcome a report can carry, so that a pending report is an index into it. */
const OUTCOMES: readonly DeliveryOutcome[] = [SUBMITTED, DELIVERED, ...UNDELIVERED_OUTCOMES];
const SUBMITTED_INDEX = 0;
const DELIVERED_INDEX = 1;

export const SIMULATED_CARRIER = 'SIMTEL';

export interface DrSchedulerOptions {
  submittedDelayMs: number;
  finalDelayMs: number;
  /** 0..1 share of destinations whose final report is not 'Delivered'. */
  failureShare: number;
  seed: number;
  /** How many more times a report the notify URL did not take is posted again, with growing pauses. */
  retries?: number;
  /** Told each status a destination reaches, whether or not its report can be posted. */
  onStatus?: (transid: string, outcome: DeliveryOutcome) => void;
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
/**
 * Reports being posted at once, each over its own kept-alive connection: enough that a receiver answering only
 * once a report is on disk (posts arriving together share a write) is not kept waiting, and few enough that
 * neither side runs out of sockets. The rest wait in order.
 */
export const MAX_POSTS_IN_FLIGHT = 128;
/** Failed posts remembered in `failedPosts`; later ones are only counted. */
const FAILED_POSTS_KEPT = 1000;

/**
 * Posts a 'Submitted' then a final delivery report for each scheduled destination, in that order. Reports wait in
 * two queues (first and second report of each destination, each in the order it falls due) and go out through a
 * bounded pool of kept-alive connections, so that a large campaign costs memory per pending report, never a socket;
 * the pending destinations are kept in columns (`PendingReports`), a hundred-odd bytes each.
 */
export class DrScheduler {
  faults: ReportFaults = {};
  readonly failedPosts: FailedPost[] = [];
  private failedCount = 0;
  /** Replaced, not emptied, on cancel: posts still in flight release their slots into the one they came from. */
  private pending = new PendingReports();
  private readonly first = new DueRing();
  private readonly second = new DueRing();
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private idlers: (() => void)[] = [];
  private readonly cancellation = new AbortController();
  private readonly random: () => number;
  private readonly connections = new Agent({ connections: MAX_POSTS_IN_FLIGHT });

  constructor(private readonly options: DrSchedulerOptions) {
    if (!(options.failureShare >= 0 && options.failureShare <= 1)) {
      throw new RangeError(`failureShare must be between 0 and 1, got ${options.failureShare}`);
    }
    this.random = mulberry32(options.seed);
    // Every report in flight listens on this one signal.
    setMaxListeners(0, this.cancellation.signal);
  }

  /** How many reports could not be posted, including those beyond the ones kept in `failedPosts`. */
  get failedPostCount(): number {
    return this.failedCount;
  }

  /** Destinations with a report still to post, including those being posted. */
  get pendingCount(): number {
    return this.pending.size;
  }

  schedule(job: DeliveryJob): void {
    if (this.cancellation.signal.aborted) return;
    // The outcome is drawn now so that a given seed gives the same outcomes regardless of network timing.
    const [first, second] = this.order(this.drawFinalOutcome());
    this.first.push(this.pending.add(job, first, second), performance.now() + this.options.submittedDelayMs);
    this.pump();
  }

  /** Posts both reports at once; resolves when they have been answered (used to beat the send's response). */
  async deliverNow(job: DeliveryJob): Promise<void> {
    const reports = this.order(this.drawFinalOutcome());
    this.inFlight++;
    try {
      for (const outcome of reports) await this.postCopies(job, OUTCOMES[outcome] as DeliveryOutcome);
    } finally {
      this.settle();
    }
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  cancel(): void {
    this.cancellation.abort();
    this.first.clear();
    this.second.clear();
    this.pending = new PendingReports();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.settle(0);
  }

  /** Cancels what is pending and closes the connections. */
  async close(): Promise<void> {
    this.cancel();
    await this.idle();
    await this.connections.close();
  }

  /** The index in OUTCOMES of a destination's final outcome. */
  private drawFinalOutcome(): number {
    if (this.random() >= this.options.failureShare) return DELIVERED_INDEX;
    return DELIVERED_INDEX + 1 + Math.floor(this.random() * UNDELIVERED_OUTCOMES.length);
  }

  private order(final: number): [number, number] {
    return this.faults.outOfOrder ? [final, SUBMITTED_INDEX] : [SUBMITTED_INDEX, final];
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.first.size === 0 && this.second.size === 0;
  }

  /** One post (or none) finished: frees its slot and wakes whoever waits for the queues to empty. */
  private settle(freed = 1): void {
    this.inFlight -= freed;
    if (!this.isIdle()) return;
    const idlers = this.idlers;
    this.idlers = [];
    for (const resolve of idlers) resolve();
  }

  /** Starts every due report there is a slot for, then waits for the next one to fall due. */
  private pump(): void {
    const now = performance.now();
    while (this.inFlight < MAX_POSTS_IN_FLIGHT) {
      const which = this.first.nextDue <= this.second.nextDue ? 0 : 1;
      const queue = which === 0 ? this.first : this.second;
      if (queue.nextDue > now) break;
      this.inFlight++;
      void this.run(this.pending, queue.shift(), which);
    }
    const wake = Math.min(this.first.nextDue, this.second.nextDue);
    if (wake === Infinity || this.inFlight >= MAX_POSTS_IN_FLIGHT || wake >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = wake;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, wake - now);
  }

  private async run(pending: PendingReports, slot: number, which: 0 | 1): Promise<void> {
    const outcome = OUTCOMES[pending.report(slot, which)] as DeliveryOutcome;
    await this.postCopies(pending.job(slot), outcome);
    if (which === 0 && pending === this.pending) {
      this.second.push(slot, performance.now() + this.options.finalDelayMs);
    } else {
      pending.release(slot);
    }
    this.settle();
    this.pump();
  }

  private async postCopies(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void> {
    const times = this.faults.duplicate ? 2 : 1;
    for (let i = 0; i < times; i++) await this.post(job, outcome);
  }

  /** Never throws: a report the notify URL did not take is retried, then recorded in failedPosts. */
  private async post(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void> {
    this.options.onStatus?.(job.transid, outcome);
    if (job.notifyurl === null || this.faults.lost) return;
    const { signal } = this.cancellation;
    const report = deliveryReport(job, outcome);
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const status = await postJson(job.notifyurl, report, signal, this.connections);
        if (status < 300) return;
        reason = `HTTP ${status}`;
      } catch (error) {
        if (signal.aborted) return;
        reason = error instanceof Error ? error.message : String(error);
      }
      if (attempt >= (this.options.retries ?? 0)) {
        this.failedCount++;
        if (this.failedPosts.length < FAILED_POSTS_KEPT)
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
