import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
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
/**
 * Reports being posted at once, each over its own kept-alive connection: enough that a receiver answering only
 * once a report is on disk (posts arriving together share a write) is not kept waiting, and few enough that
 * neither side runs out of sockets. The rest wait in order.
 */
export const MAX_POSTS_IN_FLIGHT = 128;
/** Failed posts remembered in `failedPosts`; later ones are only counted. */
const FAILED_POSTS_KEPT = 1000;

/** What is left to post for one destination, due at `due` (performance.now()). */
interface Due {
  job: DeliveryJob;
  /** The reports still to post, in order (each twice when reports are duplicated). */
  reports: DeliveryOutcome[];
  due: number;
}

/** A first-in first-out queue whose entries are due in the order they were added. */
class DueQueue {
  private items: Due[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  peek(): Due | undefined {
    return this.items[this.head];
  }

  push(item: Due): void {
    this.items.push(item);
  }

  shift(): Due | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.items[this.head++] = undefined as unknown as Due;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * Posts a 'Submitted' then a final delivery report for each scheduled destination, in that order. Reports wait in
 * two queues (first and second report of each destination, each in the order it falls due) and go out through a
 * bounded pool of kept-alive connections, so that a large campaign costs memory per pending report, never a socket.
 */
export class DrScheduler {
  faults: ReportFaults = {};
  readonly failedPosts: FailedPost[] = [];
  private failedCount = 0;
  private readonly first = new DueQueue();
  private readonly second = new DueQueue();
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

  schedule(job: DeliveryJob): void {
    if (this.cancellation.signal.aborted) return;
    // The outcome is drawn now so that a given seed gives the same outcomes regardless of network timing.
    const final = this.drawFinalOutcome();
    this.first.push({
      job,
      reports: this.order(final),
      due: performance.now() + this.options.submittedDelayMs,
    });
    this.pump();
  }

  /** Posts both reports at once; resolves when they have been answered (used to beat the send's response). */
  async deliverNow(job: DeliveryJob): Promise<void> {
    const reports = this.order(this.drawFinalOutcome());
    this.inFlight++;
    try {
      for (const outcome of reports) await this.postCopies(job, outcome);
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

  private drawFinalOutcome(): DeliveryOutcome {
    if (this.random() >= this.options.failureShare) return DELIVERED;
    const index = Math.floor(this.random() * UNDELIVERED_OUTCOMES.length);
    return UNDELIVERED_OUTCOMES[index] ?? DELIVERED;
  }

  private order(final: DeliveryOutcome): DeliveryOutcome[] {
    return this.faults.outOfOrder ? [final, SUBMITTED] : [SUBMITTED, final];
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
      const a = this.first.peek();
      const b = this.second.peek();
      const queue = a && (!b || a.due <= b.due) ? this.first : this.second;
      const next = queue.peek();
      if (!next || next.due > now) break;
      queue.shift();
      this.inFlight++;
      void this.run(next);
    }
    const a = this.first.peek()?.due ?? Infinity;
    const b = this.second.peek()?.due ?? Infinity;
    const wake = Math.min(a, b);
    if (wake === Infinity || this.inFlight >= MAX_POSTS_IN_FLIGHT || wake >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = wake;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, wake - now);
  }

  private async run(entry: Due): Promise<void> {
    const [outcome, ...rest] = entry.reports;
    if (outcome) await this.postCopies(entry.job, outcome);
    if (rest.length > 0 && !this.cancellation.signal.aborted) {
      this.second.push({ job: entry.job, reports: rest, due: performance.now() + this.options.finalDelayMs });
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
    job.onStatus?.(outcome);
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
