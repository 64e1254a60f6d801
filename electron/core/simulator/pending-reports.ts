import type { DeliveryJob } from './dr-scheduler.js';

const INITIAL_SLOTS = 1024;

/**
 * The destinations whose delivery reports are still to post, kept in columns so that a large backlog costs bytes,
 * not objects: a slot each, reused once its reports are posted. A slot's transid, msisdn and callbackData are one
 * flat string (cut by two lengths), its notify URL an id into a table of the distinct ones, and its two reports a
 * byte (the index of each in the scheduler's table of outcomes, 4 bits apiece).
 */
export class PendingReports {
  private texts: (string | undefined)[] = [];
  private cuts = new Uint32Array(2 * INITIAL_SLOTS);
  /** 0: no notify URL; otherwise 1 + the URL's id. */
  private urlIds = new Uint32Array(INITIAL_SLOTS);
  private reports = new Uint8Array(INITIAL_SLOTS);
  private freeSlots = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private used = 0;
  private live = 0;
  private readonly urls = new InternedStrings();

  /** Destinations with a report still to post. */
  get size(): number {
    return this.live;
  }

  /** Keeps a destination whose reports are outcomes `first` then `second` (each 0..15); returns its slot. */
  add(job: DeliveryJob, first: number, second: number): number {
    const slot = this.freeCount > 0 ? (this.freeSlots[--this.freeCount] as number) : this.fresh();
    // join() builds one flat string: concatenation would keep the three parts alive behind it.
    this.texts[slot] = [job.transid, job.msisdn, job.callbackData].join('');
    this.cuts[2 * slot] = job.transid.length;
    this.cuts[2 * slot + 1] = job.transid.length + job.msisdn.length;
    this.urlIds[slot] = job.notifyurl === null ? 0 : 1 + this.urls.take(job.notifyurl);
    this.reports[slot] = first | (second << 4);
    this.live++;
    return slot;
  }

  job(slot: number): DeliveryJob {
    const text = this.texts[slot] ?? '';
    const transidEnd = this.cuts[2 * slot] as number;
    const msisdnEnd = this.cuts[2 * slot + 1] as number;
    const url = this.urlIds[slot] as number;
    return {
      notifyurl: url === 0 ? null : this.urls.get(url - 1),
      transid: text.slice(0, transidEnd),
      msisdn: text.slice(transidEnd, msisdnEnd),
      callbackData: text.slice(msisdnEnd),
    };
  }

  /** The outcome index of the slot's first (0) or second (1) report. */
  report(slot: number, which: 0 | 1): number {
    const both = this.reports[slot] as number;
    return which === 0 ? both & 0x0f : both >> 4;
  }

  release(slot: number): void {
    this.texts[slot] = undefined;
    const url = this.urlIds[slot] as number;
    if (url !== 0) this.urls.release(url - 1);
    this.freeSlots[this.freeCount++] = slot;
    this.live--;
  }

  private fresh(): number {
    if (this.used === this.reports.length) {
      const capacity = 2 * this.reports.length;
      this.cuts = grown(this.cuts, 2 * capacity);
      this.urlIds = grown(this.urlIds, capacity);
      this.reports = grown(this.reports, capacity);
      this.freeSlots = grown(this.freeSlots, capacity);
    }
    return this.used++;
  }
}

/** Strings kept once each while something refers to them, by a small id reused once nothing does. */
class InternedStrings {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly refs: number[] = [];
  private readonly freeIds: number[] = [];

  take(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.freeIds.pop() ?? this.values.length;
      this.ids.set(value, id);
      this.values[id] = value;
      this.refs[id] = 0;
    }
    this.refs[id] = (this.refs[id] ?? 0) + 1;
    return id;
  }

  get(id: number): string {
    return this.values[id] ?? '';
  }

  release(id: number): void {
    const refs = (this.refs[id] ?? 1) - 1;
    this.refs[id] = refs;
    if (refs > 0) return;
    this.ids.delete(this.values[id] ?? '');
    this.values[id] = '';
    this.freeIds.push(id);
  }
}

/** Slots in the order they fall due, each with its time (performance.now()), in a ring that grows as needed. */
export class DueRing {
  private slots = new Int32Array(INITIAL_SLOTS);
  private dues = new Float64Array(INITIAL_SLOTS);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** When the first slot falls due; Infinity when there is none. */
  get nextDue(): number {
    return this.count === 0 ? Infinity : (this.dues[this.head] as number);
  }

  push(slot: number, due: number): void {
    if (this.count === this.slots.length) this.grow();
    const at = (this.head + this.count) % this.slots.length;
    this.slots[at] = slot;
    this.dues[at] = due;
    this.count++;
  }

  /** Takes the first slot; the ring must not be empty. */
  shift(): number {
    const slot = this.slots[this.head] as number;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    return slot;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const dues = new Float64Array(2 * this.slots.length);
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) % this.slots.length;
      slots[i] = this.slots[at] as number;
      dues[i] = this.dues[at] as number;
    }
    this.slots = slots;
    this.dues = dues;
    this.head = 0;
  }
}

function grown<T extends Uint8Array | Uint32Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
