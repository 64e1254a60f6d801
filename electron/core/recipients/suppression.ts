import { z } from 'zod';
import type { SuppressionEntry } from '../../../shared/api';
import { Journal } from '../campaigns/journal';

const Event = z.discriminatedUnion('t', [
  z.object({ t: z.literal('add'), at: z.string(), msisdn: z.string(), reason: z.string() }),
  z.object({ t: z.literal('remove'), at: z.string(), msisdn: z.string() }),
]);
type Event = z.infer<typeof Event>;

/** Numbers that must never be messaged (opt-outs), kept as an append-only journal. */
export class SuppressionList {
  /** Grows with every change, so that checks made against an older list can be told apart. */
  version = 0;

  private constructor(
    private readonly journal: Journal<Event>,
    private readonly entries: Map<string, SuppressionEntry>,
  ) {}

  static async open(path: string): Promise<SuppressionList> {
    const { journal, events } = await Journal.open(path, (v) => {
      const parsed = Event.safeParse(v);
      return parsed.success ? parsed.data : null;
    });
    const entries = new Map<string, SuppressionEntry>();
    for (const e of events) {
      if (e.t === 'add') entries.set(e.msisdn, { msisdn: e.msisdn, reason: e.reason, addedAt: e.at });
      else entries.delete(e.msisdn);
    }
    return new SuppressionList(journal, entries);
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
