import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** The longest period a frequency cap can span: older messages are dropped when a history is compacted. */
export const MAX_CAP_DAYS = 90;
const DAY_SECONDS = 86_400;
const KEPT_SECONDS = MAX_CAP_DAYS * DAY_SECONDS;
/** A history is rewritten once it holds this many more lines than twice its live messages. */
const COMPACT_SLACK = 10_000;
const SERVICE_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** In a line, the number of a message whose number could not be read. */
const UNREADABLE = -1;

/** What a service's history could not read: each such line counts as one more message to every number. */
export interface HistoryDamage {
  /** Damaged lines still within the longest cap period. */
  lines: number;
  /** Until when the last of them counts (seconds since the epoch). */
  until: number;
}

/**
 * Every message a service accepted for a number in the last 90 days, with its time: one append-only file a
 * service under `contact-history/`. A message is written (and synced) before its request goes out, so a crash
 * can only count a message that never went, never lose one that did; a refusal or a release takes it back with a
 * line of its own. Test messages are not recorded.
 */
export class ContactHistory {
  private readonly services = new Map<string, ServiceHistory>();
  /** Grows with every change: checks made against an older version are out of date. */
  version = 0;

  private constructor(
    private readonly dir: string,
    /** Seconds since the epoch. */
    readonly now: () => number,
  ) {}

  static async open(dir: string, now: () => number = () => Date.now() / 1000): Promise<ContactHistory> {
    await mkdir(dir, { recursive: true });
    return new ContactHistory(dir, now);
  }

  /** How many messages `msisdn` (E.164) received through the service in the last `days` days. */
  async count(serviceId: string, msisdn: string, days: number): Promise<number> {
    return (await this.service(serviceId)).count(keyOf(msisdn), this.now() - days * DAY_SECONDS);
  }

  /** A counter for many numbers at once, as the history stands now (see `version`). */
  async counter(serviceId: string, days: number): Promise<(msisdn: string) => number> {
    const history = await this.service(serviceId);
    const since = this.now() - days * DAY_SECONDS;
    return (msisdn) => history.count(keyOf(msisdn), since);
  }

  async damage(serviceId: string): Promise<HistoryDamage | null> {
    return (await this.service(serviceId)).damage(this.now() - KEPT_SECONDS);
  }

  /**
   * Of `msisdns`, those that may get one more message under `cap` (null: no cap) now: each is counted at once, before it is sent,
   * and the promise resolves once that is on disk. The check and the count happen together, so that two campaigns
   * sending at once cannot both pass the last message a number may get. Also returns the messages' time, to take
   * them back with.
   */
  async admit(
    serviceId: string,
    msisdns: readonly string[],
    cap: { messages: number; days: number } | null,
  ): Promise<{ admitted: boolean[]; at: number }> {
    const history = await this.service(serviceId);
    const at = Math.floor(this.now());
    const since = this.now() - (cap?.days ?? 0) * DAY_SECONDS;
    const admitted = msisdns.map((msisdn) => {
      const key = keyOf(msisdn);
      if (cap && history.count(key, since) >= cap.messages) return false;
      history.add([key], at);
      return true;
    });
    if (admitted.some(Boolean)) {
      this.version++;
      await history.flush();
    }
    return { admitted, at };
  }

  /**
   * Counts one message to each number now, before it is sent; resolves once that is on disk. Returns each
   * message's time, to take it back with.
   */
  async record(serviceId: string, msisdns: readonly string[]): Promise<number> {
    const history = await this.service(serviceId);
    const at = Math.floor(this.now());
    history.add(msisdns.map(keyOf), at);
    this.version++;
    await history.flush();
    return at;
  }

  /** Takes back messages `record` counted at `at`: they were never sent, or the platform refused them. */
  async takeBack(serviceId: string, msisdns: readonly string[], at: number): Promise<void> {
    const history = await this.service(serviceId);
    if (history.remove(msisdns.map(keyOf), at) === 0) return;
    this.version++;
    await history.flush();
  }

  async close(): Promise<void> {
    for (const history of this.services.values()) await (await history.ready).close();
  }

  private async service(serviceId: string): Promise<ServiceHistory> {
    if (!SERVICE_ID.test(serviceId)) throw new Error(`not a service id: ${serviceId}`);
    let history = this.services.get(serviceId);
    if (!history) {
      history = new ServiceHistory(join(this.dir, `${serviceId}.log`), this.now);
      this.services.set(serviceId, history);
    }
    return history.ready;
  }
}

function keyOf(msisdn: string): number {
  // E.164 has at most 15 digits: each number is an exact float key.
  return Number(msisdn.replace(/^\+/, ''));
}

/** One service's history: its messages by number in memory, its file appended to in groups. */
class ServiceHistory {
  /** Seconds of each message, by number: one time alone, or several. */
  private readonly times = new Map<number, number | number[]>();
  /** Times of messages whose number could not be read back (damaged lines): they count against every number. */
  private unreadable: number[] = [];
  private messages = 0;
  private lines = 0;
  private file: FileHandle | null = null;
  private pending = '';
  private writing: Promise<void> = Promise.resolve();
  readonly ready: Promise<ServiceHistory>;

  constructor(
    private readonly path: string,
    private readonly now: () => number,
  ) {
    this.ready = this.load().then(() => this);
  }

  count(key: number, since: number): number {
    let n = 0;
    const t = this.times.get(key);
    if (typeof t === 'number') n += t > since ? 1 : 0;
    else if (t) for (const at of t) if (at > since) n++;
    for (const at of this.unreadable) if (at > since) n++;
    return n;
  }

  damage(since: number): HistoryDamage | null {
    const within = this.unreadable.filter((at) => at > since);
    return within.length === 0 ? null : { lines: within.length, until: Math.max(...within) };
  }

  add(keys: readonly number[], at: number): void {
    for (const key of keys) {
      this.remember(key, at);
      this.pending += `${at} ${key}\n`;
    }
  }

  remove(keys: readonly number[], at: number): number {
    let removed = 0;
    for (const key of keys) {
      if (!this.forget(key, at)) continue;
      removed++;
      this.pending += `-${at} ${key}\n`;
    }
    return removed;
  }

  /** Writes and syncs what was added; concurrent callers share a write. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.pending === '') return;
      const text = this.pending;
      this.pending = '';
      const file = await this.handle();
      await file.write(text);
      await file.datasync();
      this.lines += countLines(text);
      if (this.lines > 2 * this.messages + COMPACT_SLACK) await this.compact();
    });
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file?.close();
    this.file = null;
  }

  private remember(key: number, at: number): void {
    const t = this.times.get(key);
    if (t === undefined) this.times.set(key, at);
    else if (typeof t === 'number') this.times.set(key, [t, at]);
    else t.push(at);
    this.messages++;
  }

  private forget(key: number, at: number): boolean {
    const t = this.times.get(key);
    if (t === at) this.times.delete(key);
    else if (Array.isArray(t) && t.includes(at)) t.splice(t.indexOf(at), 1);
    else return false;
    this.messages--;
    return true;
  }

  /**
   * Reads the file as a stream. A torn last line (a crash while appending: its message was never sent) is cut. A
   * damaged line counts as a message to every number, at the time of the next readable line (or now): a number
   * may be held back too long, never let through.
   */
  private async load(): Promise<void> {
    let rest = '';
    let damagedSince = 0;
    const line = (text: string, start: number, end: number) => {
      this.lines++;
      if (!parseLine(text, start, end)) {
        damagedSince++;
        return;
      }
      for (; damagedSince > 0; damagedSince--) this.unreadable.push(read.at);
      if (read.key === UNREADABLE) this.unreadable.push(read.at);
      else if (read.takeBack) this.forget(read.key, read.at);
      else this.remember(read.key, read.at);
    };
    try {
      for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
        const text = rest + (chunk as string);
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          line(text, start, end);
          start = end + 1;
        }
        rest = text.slice(start);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return;
    }
    if (rest !== '') await truncate(this.path, (await stat(this.path)).size - Buffer.byteLength(rest));
    const now = Math.floor(this.now());
    for (; damagedSince > 0; damagedSince--) this.unreadable.push(now);
    if (this.unreadable.length > 0) {
      console.error(
        `${this.path}: ${this.unreadable.length} damaged line(s); each counts as a message to every number.`,
      );
    }
    if (this.lines > 2 * this.messages + COMPACT_SLACK || this.hasExpired(now)) await this.compact();
  }

  private hasExpired(now: number): boolean {
    const cutoff = now - KEPT_SECONDS;
    for (const t of this.times.values()) {
      if (typeof t === 'number' ? t <= cutoff : t.some((at) => at <= cutoff)) return true;
    }
    return this.unreadable.some((at) => at <= cutoff);
  }

  /** Rewrites the file with the messages of the last 90 days only, unreadable ones as `?`; then swaps it in. */
  private async compact(): Promise<void> {
    const cutoff = Math.floor(this.now()) - KEPT_SECONDS;
    const out: string[] = [];
    this.messages = 0;
    for (const [key, t] of this.times) {
      const kept = (typeof t === 'number' ? [t] : t).filter((at) => at > cutoff);
      if (kept.length === 0) this.times.delete(key);
      else this.times.set(key, kept.length === 1 ? (kept[0] as number) : kept);
      this.messages += kept.length;
      for (const at of kept) out.push(`${at} ${key}\n`);
    }
    this.unreadable = this.unreadable.filter((at) => at > cutoff);
    this.messages += this.unreadable.length;
    for (const at of this.unreadable) out.push(`${at} ?\n`);
    const temp = `${this.path}.tmp`;
    const file = await open(temp, 'w');
    try {
      for (let i = 0; i < out.length; i += 10_000) await file.write(out.slice(i, i + 10_000).join(''));
      await file.datasync();
    } finally {
      await file.close();
    }
    await this.file?.close();
    this.file = null;
    await rename(temp, this.path);
    this.lines = out.length;
  }

  private async handle(): Promise<FileHandle> {
    this.file ??= await open(this.path, 'a');
    return this.file;
  }
}

const [MINUS, SPACE, QUESTION, ZERO, NINE] = ['-', ' ', '?', '0', '9'].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];

/** What `parseLine` read last: kept here rather than in an object a line, so that a million lines load lightly. */
const read = { takeBack: false, at: 0, key: 0 };

/**
 * One line, `<seconds> <E.164 digits>`: a message; with a leading `-`, one such message taken back; `?` for the
 * digits, a message whose number could not be read. False for anything else; what it read is left in `read`.
 */
function parseLine(text: string, start: number, end: number): boolean {
  let i = start;
  read.takeBack = text.charCodeAt(i) === MINUS;
  if (read.takeBack) i++;
  let at = 0;
  const atFrom = i;
  for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE && i < end; c = text.charCodeAt(++i))
    at = at * 10 + c - ZERO;
  if (i === atFrom || i - atFrom > 12 || text.charCodeAt(i++) !== SPACE) return false;
  read.at = at;
  if (text.charCodeAt(i) === QUESTION && i + 1 === end) {
    read.key = UNREADABLE;
    return true;
  }
  let key = 0;
  const keyFrom = i;
  for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE && i < end; c = text.charCodeAt(++i))
    key = key * 10 + c - ZERO;
  read.key = key;
  return i === end && i - keyFrom >= 6 && i - keyFrom <= 15;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
