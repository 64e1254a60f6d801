import type { DeliveryEvent } from '../../../shared/api';
import { deliveryCodeMeaning } from '../../../shared/delivery-codes';
import { ROW_STATUSES, STATUS_INDEX, type RowStatus } from '../../../shared/status';

/** One delivery report about a row, as journaled. */
export interface ReportEntry {
  /** When the receiver took it in (ISO). */
  at: string;
  /** The platform's time stamp as it gave it; null or absent when it gave none. */
  reportedAt?: string | null;
  status: RowStatus;
  code: string | null;
  description: string | null;
  carrier: string | null;
}

const NONE = -1;
const FIRST_CAPACITY = 1024;
/** `2022-10-10T13:53:13.749+01:00`, with a space for the T, without seconds or zone, `+0100` or `Z`. */
const REPORT_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The platform's time stamp in milliseconds, or null when it cannot be read. The platform's samples
 * disagree on the zone; one without a zone is read as UTC, not as this laptop's time.
 */
export function parseReportTime(text: string | null | undefined): number | null {
  const match = text?.trim().match(REPORT_TIME);
  if (!match) return null;
  const zone = (match[3] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

/** Carrier names, descriptions and codes repeat across a campaign's reports: each is kept once. */
class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly values: (string | null)[] = [null];

  id(value: string | null): number {
    if (value === null) return 0;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The value's id, or -1 for a value not in the pool. */
  known(value: string | null): number {
    return value === null ? 0 : (this.ids.get(value) ?? -1);
  }

  value(id: number): string | null {
    return this.values[id] ?? null;
  }

  /** Every value from id 1 on. */
  list(): string[] {
    return this.values.slice(1) as string[];
  }

  static of(values: readonly string[]): StringPool {
    const pool = new StringPool();
    for (const value of values) pool.id(value);
    return pool;
  }
}

/** A DeliveryHistory's contents, copied out (a snapshot's) or to be taken in. */
export interface HistoryState {
  head: Int32Array<ArrayBuffer>;
  final: Int32Array<ArrayBuffer>;
  next: Int32Array<ArrayBuffer>;
  received: Float64Array<ArrayBuffer>;
  reported: Float64Array<ArrayBuffer>;
  status: Uint8Array<ArrayBuffer>;
  code: Uint32Array<ArrayBuffer>;
  description: Uint32Array<ArrayBuffer>;
  carrier: Uint32Array<ArrayBuffer>;
  own: Uint8Array<ArrayBuffer>;
  /** The pool's strings, from id 1 on. */
  strings: string[];
}

/**
 * Every delivery report of every row of a campaign, in columns of typed arrays (a million rows with two
 * reports each take tens of megabytes, not the hundreds an object per report would). Each row's
 * reports form a linked list in time order: the platform's time stamp when it gave one, else the time
 * received. A report posted again (same status, code, description, carrier and time stamp) is kept
 * once; the journal still holds every post.
 */
export class DeliveryHistory {
  /** Per row: its first report, and the report that gave it its final status. */
  private head: Int32Array;
  private final: Int32Array;
  private next = new Int32Array(FIRST_CAPACITY);
  private received = new Float64Array(FIRST_CAPACITY);
  /** NaN when the platform gave no readable time stamp. */
  private reported = new Float64Array(FIRST_CAPACITY);
  private status = new Uint8Array(FIRST_CAPACITY);
  private code = new Uint32Array(FIRST_CAPACITY);
  private description = new Uint32Array(FIRST_CAPACITY);
  private carrier = new Uint32Array(FIRST_CAPACITY);
  /** 1: the report came with the row's own transid (or from the status lookup). */
  private own = new Uint8Array(FIRST_CAPACITY);
  private count = 0;
  private strings = new StringPool();

  constructor(rows: number) {
    this.head = new Int32Array(rows).fill(NONE);
    this.final = new Int32Array(rows).fill(NONE);
  }

  /** A copy of what the history holds (its arrays cut to the reports recorded). */
  state(): HistoryState {
    const n = this.count;
    return {
      head: this.head.slice(),
      final: this.final.slice(),
      next: this.next.slice(0, n),
      received: this.received.slice(0, n),
      reported: this.reported.slice(0, n),
      status: this.status.slice(0, n),
      code: this.code.slice(0, n),
      description: this.description.slice(0, n),
      carrier: this.carrier.slice(0, n),
      own: this.own.slice(0, n),
      strings: this.strings.list(),
    };
  }

  /** Takes in what `state` copied out, for as many rows as this history has; false when it does not fit them. */
  restore(state: HistoryState): boolean {
    const n = state.next.length;
    const columns = [
      state.received,
      state.reported,
      state.status,
      state.code,
      state.description,
      state.carrier,
    ];
    if (state.head.length !== this.head.length || state.final.length !== this.final.length) return false;
    if ([...columns, state.own].some((c) => c.length !== n)) return false;
    const pool = state.strings.length;
    const entries = (a: Int32Array) => a.every((e) => e >= NONE && e < n);
    const strings = (a: Uint32Array) => a.every((id) => id <= pool);
    if (!entries(state.head) || !entries(state.final) || !entries(state.next)) return false;
    if (!strings(state.code) || !strings(state.description) || !strings(state.carrier)) return false;
    if (!state.status.every((s) => s < ROW_STATUSES.length)) return false;
    this.head = state.head;
    this.final = state.final;
    this.next = state.next;
    this.received = state.received;
    this.reported = state.reported;
    this.status = state.status;
    this.code = state.code;
    this.description = state.description;
    this.carrier = state.carrier;
    this.own = state.own;
    this.strings = StringPool.of(state.strings);
    this.count = n;
    return true;
  }

  /** Reports recorded (repeats not counted). */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays (the string pool aside). */
  get byteLength(): number {
    return [
      this.head,
      this.final,
      this.next,
      this.received,
      this.reported,
      this.status,
      this.code,
      this.description,
      this.carrier,
      this.own,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }

  /** Whether the row's history holds this report already, come with the row's own transid (a report posted again). */
  hasOwn(row: number, report: Omit<ReportEntry, 'at'>): boolean {
    const { same } = this.find(row, report, NaN);
    return same !== NONE && this.own[same] === 1;
  }

  /** Adds a report to the row's history; returns its entry, or the entry it repeats. */
  add(row: number, report: ReportEntry, own = false): number {
    const received = Date.parse(report.at);
    const status = STATUS_INDEX.get(report.status) as number;
    const code = this.strings.id(report.code);
    const description = this.strings.id(report.description);
    const carrier = this.strings.id(report.carrier);
    const { same, before, reported } = this.find(row, report, received);
    if (same !== NONE) {
      if (own) this.own[same] = 1;
      return same;
    }

    if (this.count === this.next.length) this.grow();
    const e = this.count++;
    this.received[e] = received;
    this.reported[e] = reported;
    this.status[e] = status;
    this.code[e] = code;
    this.description[e] = description;
    this.carrier[e] = carrier;
    this.own[e] = own ? 1 : 0;
    if (before === NONE) {
      this.next[e] = this.head[row] as number;
      this.head[row] = e;
    } else {
      this.next[e] = this.next[before] as number;
      this.next[before] = e;
    }
    return e;
  }

  /** Marks the report that gave the row its final status: its time is the row's `deliveredAt`. */
  settle(row: number, entry: number): void {
    this.final[row] = entry;
  }

  /** The row has no final report after all: the one it had was overruled. */
  unsettle(row: number): void {
    this.final[row] = NONE;
  }

  /** When the row's final report was made (the platform's time stamp, else the time received); null before. */
  deliveredAtMs(row: number): number | null {
    const e = this.final[row] as number;
    return e === NONE ? null : this.timeOf(e);
  }

  deliveredAt(row: number): string | null {
    const ms = this.deliveredAtMs(row);
    return ms === null ? null : new Date(ms).toISOString();
  }

  /** The carrier named by the final report, else by the latest report that named one. */
  carrierOf(row: number): string | null {
    const final = this.final[row] as number;
    if (final !== NONE && this.carrier[final] !== 0) return this.strings.value(this.carrier[final] as number);
    let carrier: string | null = null;
    for (let e = this.head[row] as number; e !== NONE; e = this.next[e] as number) {
      if (this.carrier[e] !== 0) carrier = this.strings.value(this.carrier[e] as number);
    }
    return carrier;
  }

  /** The row's reports in time order. */
  events(row: number): DeliveryEvent[] {
    const events: DeliveryEvent[] = [];
    for (let e = this.head[row] as number; e !== NONE; e = this.next[e] as number) {
      const code = this.strings.value(this.code[e] as number);
      const reported = this.reported[e] as number;
      events.push({
        receivedAt: new Date(this.received[e] as number).toISOString(),
        reportedAt: Number.isNaN(reported) ? null : new Date(reported).toISOString(),
        status: ROW_STATUSES[this.status[e] as number] as RowStatus,
        code,
        description: this.strings.value(this.description[e] as number),
        meaning: deliveryCodeMeaning(code),
        carrier: this.strings.value(this.carrier[e] as number),
      });
    }
    return events;
  }

  /** The entry the report repeats, else NONE and the entry it goes after (by time; NONE: first). */
  private find(
    row: number,
    report: Omit<ReportEntry, 'at'>,
    received: number,
  ): { same: number; before: number; reported: number } {
    const reported = parseReportTime(report.reportedAt) ?? NaN;
    const status = STATUS_INDEX.get(report.status) as number;
    // Looked up, not added: a string never seen matches no entry.
    const code = this.strings.known(report.code);
    const description = this.strings.known(report.description);
    const carrier = this.strings.known(report.carrier);
    const time = Number.isNaN(reported) ? received : reported;
    let before = NONE;
    for (let e = this.head[row] as number; e !== NONE; e = this.next[e] as number) {
      const same =
        this.status[e] === status &&
        this.code[e] === code &&
        this.description[e] === description &&
        this.carrier[e] === carrier &&
        Object.is(this.reported[e], reported);
      if (same) return { same: e, before, reported };
      if (this.timeOf(e) <= time) before = e;
    }
    return { same: NONE, before, reported };
  }

  private timeOf(entry: number): number {
    const reported = this.reported[entry] as number;
    return Number.isNaN(reported) ? (this.received[entry] as number) : reported;
  }

  private grow(): void {
    const capacity = Math.max(FIRST_CAPACITY, this.next.length * 2);
    const grown = <T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const array = make(capacity);
      array.set(old);
      return array;
    };
    this.next = grown(this.next, (n) => new Int32Array(n));
    this.received = grown(this.received, (n) => new Float64Array(n));
    this.reported = grown(this.reported, (n) => new Float64Array(n));
    this.status = grown(this.status, (n) => new Uint8Array(n));
    this.code = grown(this.code, (n) => new Uint32Array(n));
    this.description = grown(this.description, (n) => new Uint32Array(n));
    this.carrier = grown(this.carrier, (n) => new Uint32Array(n));
    this.own = grown(this.own, (n) => new Uint8Array(n));
  }
}
