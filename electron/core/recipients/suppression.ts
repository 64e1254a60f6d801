import { z } from 'zod';
import type { StoredFileDamage, SuppressionEntry } from '../../../shared/api';
import { Journal, type DamagedLine } from '../campaigns/journal';
import { listSome, storedFileDamage } from '../storage/damaged-lines';

const Event = z.discriminatedUnion('t', [
  z.object({ t: z.literal('add'), at: z.string(), msisdn: z.string(), reason: z.string() }),
  z.object({ t: z.literal('remove'), at: z.string(), msisdn: z.string() }),
]);
type Event = z.infer<typeof Event>;

/** A number as the list stores it, whole: its closing quote read too, so that a line cut short yields none. */
const STORED_NUMBER = /"(\+[1-9]\d{6,14})"/g;
const STORED_AT = /"at"\s*:\s*"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/;
/** The reason given to a number read from a damaged line. */
export const RECOVERED_REASON = 'read from a damaged line of the opt-out list';

/** Numbers that must never be messaged (opt-outs), kept as an append-only journal. */
export class SuppressionList {
  /** Grows with every change, so that checks made against an older list can be told apart. */
  version = 0;

  private constructor(
    private readonly journal: Journal<Event>,
    private readonly entries: Map<string, SuppressionEntry>,
    /** What the user is told about the lines that could not be read; null when every line could. */
    readonly damage: StoredFileDamage | null,
  ) {}

  /**
   * Reads the list back. A damaged line is never taken as letting a number be messaged: the number it names, when
   * one can still be read whole, counts as opted out at that place in the list (a later readable line may still
   * remove it); a damaged line that names none is reported, so that the user checks the list before sending.
   */
  static async open(path: string): Promise<SuppressionList> {
    const events: Event[] = [];
    const damaged: DamagedLine[] = [];
    const recovered = new Set<string>();
    const journal = await Journal.stream(
      path,
      (v) => {
        const parsed = Event.safeParse(v);
        return parsed.success ? parsed.data : null;
      },
      {
        tornTail: 'kept',
        sink: {
          event: (e) => events.push(e),
          damaged: (line) => {
            damaged.push(line);
            const at = STORED_AT.exec(line.text)?.[1] ?? '';
            // Two lines run together name two numbers: each counts.
            for (const [, msisdn] of line.text.matchAll(STORED_NUMBER)) {
              recovered.add(msisdn as string);
              events.push({ t: 'add', at, msisdn: msisdn as string, reason: RECOVERED_REASON });
            }
          },
        },
      },
    );
    const entries = new Map<string, SuppressionEntry>();
    for (const e of events) {
      if (e.t === 'add') entries.set(e.msisdn, { msisdn: e.msisdn, reason: e.reason, addedAt: e.at });
      else entries.delete(e.msisdn);
    }
    return new SuppressionList(journal, entries, optOutDamage(damaged, [...recovered]));
  }

  has = (msisdn: string): boolean => this.entries.has(msisdn);

  get size(): number {
    return this.entries.size;
  }

  /** Adds E.164 numbers; returns how many were not already listed. */
  async add(numbers: readonly string[], reason: string): Promise<number> {
    const at = new Date().toISOString();
    const fresh = [...new Set(numbers)].filter((n) => !this.entries.has(n));
    await this.journal.appendAll(fresh.map((msisdn): Event => ({ t: 'add', at, msisdn, reason })));
    for (const msisdn of fresh) this.entries.set(msisdn, { msisdn, reason, addedAt: at });
    if (fresh.length > 0) this.version++;
    return fresh.length;
  }

  async remove(numbers: readonly string[]): Promise<number> {
    const at = new Date().toISOString();
    const listed = [...new Set(numbers)].filter((n) => this.entries.has(n));
    await this.journal.appendAll(listed.map((msisdn): Event => ({ t: 'remove', at, msisdn })));
    for (const msisdn of listed) this.entries.delete(msisdn);
    if (listed.length > 0) this.version++;
    return listed.length;
  }

  list(
    search: string | undefined,
    offset: number,
    limit: number,
  ): { total: number; entries: SuppressionEntry[] } {
    const needle = search?.trim().toLowerCase() ?? '';
    const all = [...this.entries.values()]
      .filter((e) => needle === '' || e.msisdn.includes(needle) || e.reason.toLowerCase().includes(needle))
      .sort((a, b) => b.addedAt.localeCompare(a.addedAt) || a.msisdn.localeCompare(b.msisdn));
    return { total: all.length, entries: all.slice(offset, offset + limit) };
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}

/** What the list's damaged lines mean for sending: the numbers read from them, and those that may be missing. */
function optOutDamage(
  damaged: readonly DamagedLine[],
  recovered: readonly string[],
): StoredFileDamage | null {
  const unread = damaged.filter((d) => d.text.match(STORED_NUMBER) === null).length;
  const assumed: string[] = [];
  if (recovered.length > 0)
    assumed.push(
      `${listSome(recovered)} ${recovered.length === 1 ? 'was' : 'were'} read from ${damaged.length === 1 ? 'it' : 'them'} and ${recovered.length === 1 ? 'is' : 'are'} treated as opted out.`,
    );
  if (unread > 0)
    assumed.push(
      `${unread === 1 ? 'One damaged line names' : `${unread.toLocaleString('en-US')} damaged lines name`} no number that can be read: a number that opted out may be missing from the list and could be messaged. Check the list before sending, and add again any number you know opted out.`,
    );
  return storedFileDamage('Opt-out list', damaged, assumed);
}
