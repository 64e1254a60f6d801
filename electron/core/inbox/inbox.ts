import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InboxEntry, type InboxDropped, type StoredFileDamage } from '../../../shared/api';
import type { Campaign } from '../campaigns/campaign';
import type { InboxFigures } from '../campaigns/dashboard';
import { Journal } from '../campaigns/journal';
import { spreadsheetCsv } from '../export/spreadsheet-csv';
import type { IncomingMessage } from '../receiver/webhook-schemas';
import { PhoneNormalizer } from '../recipients/phone-numbers';
import { SANDBOX_ID } from '../services';
import type { SettingsStore } from '../settings/settings-store';
import { storedFileDamage } from '../storage/damaged-lines';
import { droppedNote, type Rotation } from '../storage/rotating-files';
import { customerSide, digitsOrId } from './customer-side';
import { OptOutKeywords } from './opt-out-keywords';
import { ReplyMatcher, sentThrough, type SentCampaign } from './reply-matcher';

/** A reply as journaled: what the inbox shows, and the platform's payload as it came. */
const Stored = InboxEntry.extend({ tid: z.string().nullable().default(null), raw: z.unknown() });
type Stored = z.infer<typeof Stored>;

/** A reply journaled before replies were linked (only the Sandbox's plain `/mo` took them then). */
const Earlier = z.object({
  at: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  text: z.string(),
  raw: z.unknown(),
});

export interface ReplyContext {
  /** Every campaign sent: those sent through the reply's service tell which side of the reply is the customer. */
  campaigns: Iterable<SentCampaign>;
  /** Among `candidates`, the campaigns that may hold a row sent to `msisdn`, opened. */
  holding(candidates: readonly SentCampaign[], msisdn: string): Promise<Campaign[]>;
  serviceName: string;
  /** Adds the number to the opt-out list; resolves once that is recorded. */
  optOut(msisdn: string, reason: string): Promise<void>;
}

export interface InboxQuery {
  serviceId?: string;
  search?: string;
  offset: number;
  limit: number;
}

export const INBOX_CSV_COLUMNS = [
  'received_at',
  'service',
  'from',
  'msisdn',
  'to',
  'text',
  'campaign',
  'row',
  'action',
] as const;

/** Up to 192 MB of replies on disk, and what of them is shown held in memory. */
export const INBOX_ROTATION: Rotation = { maxBytes: 64 * 1024 * 1024, keep: 2 };

/**
 * Every reply received, journaled with its raw payload, linked to the campaign row it answers. The oldest are
 * dropped to keep the file within its bound (a flood of long replies cannot stop the app from starting).
 */
export class Inbox {
  private readonly matcher = new ReplyMatcher();

  private constructor(
    private readonly journal: Journal<Stored>,
    /** Oldest first. */
    private readonly entries: InboxEntry[],
    /** Each entry's key in `taken`, null for a reply without a `tid`. */
    private readonly keys: (string | null)[],
    /** Each reply's service and platform id (`tid`), so that a post the platform retries is taken once. */
    private readonly taken: Set<string>,
    readonly keywords: OptOutKeywords,
    private readonly rotation: Rotation,
    /** What the user is told about the lines that could not be read; null when every line could. */
    readonly damage: StoredFileDamage | null,
  ) {}

  static async open(path: string, settings: SettingsStore, rotation = INBOX_ROTATION): Promise<Inbox> {
    let earlier = 0;
    const { journal, events, damaged } = await Journal.open(
      path,
      (value): Stored | null => {
        const stored = Stored.safeParse(value);
        if (stored.success) return stored.data;
        const old = Earlier.safeParse(value);
        if (!old.success) return null;
        return {
          id: `earlier-${earlier++}`,
          serviceId: SANDBOX_ID,
          from: old.data.from,
          msisdn: senderNumber(old.data.from, null),
          to: old.data.to,
          text: old.data.text,
          receivedAt: old.data.at,
          match: null,
          action: null,
          tid: null,
          raw: old.data.raw,
        };
      },
      rotation,
      // A reply is a customer's word: a line cut short is kept for whoever can still read it.
      'kept',
    );
    const keys = events.map((e) => (e.tid === null ? null : takenKey(e.serviceId, e.tid)));
    return new Inbox(
      journal,
      events.map(({ raw: _raw, tid: _tid, ...entry }) => entry),
      keys,
      new Set(keys.filter((k) => k !== null)),
      new OptOutKeywords(settings),
      rotation,
      storedFileDamage('Inbox', damaged, [
        damaged.length === 1
          ? 'The reply on it is not shown, nor exported.'
          : 'The replies on them are not shown, nor exported.',
      ]),
    );
  }

  /**
   * Links a reply to the row it answers, opts the sender out when it is an opt-out keyword, and journals it.
   * The opt-out is recorded first: a reply journaled as an opt-out always is one. A reply the platform posts
   * again (same service and `tid`) is not recorded twice: null.
   */
  async record(
    serviceId: string,
    message: IncomingMessage,
    context: ReplyContext,
  ): Promise<InboxEntry | null> {
    const key = message.tid === null ? null : takenKey(serviceId, message.tid);
    if (key !== null) {
      if (this.taken.has(key)) return null;
      // Taken before the first wait, so that a retry arriving meanwhile is not recorded too.
      this.taken.add(key);
    }
    try {
      return await this.take(serviceId, message, context, key);
    } catch (error) {
      if (key !== null) this.taken.delete(key);
      throw error;
    }
  }

  private async take(
    serviceId: string,
    message: IncomingMessage,
    context: ReplyContext,
    key: string | null,
  ): Promise<InboxEntry> {
    const receivedAt = new Date().toISOString();
    const candidates = sentThrough(context.campaigns, serviceId);
    const { from, to } = customerSide(
      message,
      new Set(candidates.map((c) => digitsOrId(c.definition.senderId))),
    );
    const msisdn = senderNumber(from, candidates[0]?.definition.defaultCountry ?? null);
    const target = msisdn ? this.matcher.match(await context.holding(candidates, msisdn), msisdn) : null;
    const keyword = msisdn ? this.keywords.match(message.text) : null;
    if (msisdn && keyword) await context.optOut(msisdn, `replied "${keyword}" to ${context.serviceName}`);
    const entry: InboxEntry = {
      id: randomUUID(),
      serviceId,
      from,
      msisdn,
      to,
      text: message.text,
      receivedAt,
      match: target && {
        campaignId: target.campaign.id,
        campaignName: target.campaign.definition.name,
        row: target.row,
      },
      action: keyword ? 'opted-out' : null,
    };
    const before = this.journal.dropped?.lines ?? 0;
    await this.journal.append({ ...entry, tid: message.tid, raw: message.raw });
    this.forget((this.journal.dropped?.lines ?? 0) - before);
    this.entries.push(entry);
    this.keys.push(key);
    return entry;
  }

  /** What was dropped to keep the inbox within its bound; null while nothing was. */
  dropped(): InboxDropped | null {
    const note = droppedNote(this.journal.dropped, this.rotation);
    return note && { ...note, keptSince: this.entries[0]?.receivedAt ?? null };
  }

  /** The oldest file was just deleted: its replies leave memory too, as they would at the next start. */
  private forget(count: number): void {
    if (count <= 0) return;
    this.entries.splice(0, count);
    for (const key of this.keys.splice(0, count)) if (key !== null) this.taken.delete(key);
  }

  /** Newest first. `search` is looked for in the numbers (digits alone match however they are written) and the text. */
  list({ serviceId, search, offset, limit }: InboxQuery): { total: number; entries: InboxEntry[] } {
    const found = this.newestFirst(serviceId, search);
    return { total: found.length, entries: found.slice(offset, offset + limit) };
  }

  /** The replies linked to one row of a campaign, oldest first. */
  repliesTo(campaignId: string, row: number): InboxEntry[] {
    return this.entries.filter((e) => e.match?.campaignId === campaignId && e.match.row === row);
  }

  /** How many replies a campaign's rows got, and how many of them opted out. */
  figuresOf(campaignId: string): InboxFigures {
    let replies = 0;
    let optOuts = 0;
    for (const e of this.entries) {
      if (e.match?.campaignId !== campaignId) continue;
      replies++;
      if (e.action === 'opted-out') optOuts++;
    }
    return { replies, optOuts };
  }

  /** The replies as a spreadsheet-safe CSV (a reply's text is a stranger's: formulas are neutralized). */
  exportCsv(serviceId: string | undefined, serviceName: (id: string) => string): string {
    return spreadsheetCsv(
      INBOX_CSV_COLUMNS,
      this.newestFirst(serviceId, undefined).map((e) => [
        e.receivedAt,
        serviceName(e.serviceId),
        e.from,
        e.msisdn ?? '',
        e.to ?? '',
        e.text,
        e.match?.campaignName ?? '',
        e.match ? String(e.match.row + 1) : '',
        e.action ?? '',
      ]),
    );
  }

  close(): Promise<void> {
    return this.journal.close();
  }

  private newestFirst(serviceId: string | undefined, search: string | undefined): InboxEntry[] {
    const needle = search?.trim().toLowerCase() ?? '';
    const digits = needle.replace(/[\s\-().+]/g, '');
    const byDigits = /^\d+$/.test(digits);
    const found: InboxEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as InboxEntry;
      if (serviceId !== undefined && e.serviceId !== serviceId) continue;
      if (
        needle !== '' &&
        !e.text.toLowerCase().includes(needle) &&
        !e.from.toLowerCase().includes(needle) &&
        !(byDigits && (e.msisdn ?? e.from).replace(/\D/g, '').includes(digits))
      )
        continue;
      found.push(e);
    }
    return found;
  }
}

/**
 * The sender in E.164. The platform gives numbers with their country code but without the plus, so that
 * reading comes first; then, for a national number, the country of the service's latest campaign.
 */
export function senderNumber(from: string, country: string | null): string | null {
  const digits = from.replace(/[\s\-().]/g, '');
  if (/^\+?\d+$/.test(digits)) {
    const international = new PhoneNormalizer('US').normalize(`+${digits.replace(/^\+/, '')}`);
    if (international) return international;
  }
  return country === null ? null : new PhoneNormalizer(country).normalize(from);
}

function takenKey(serviceId: string, tid: string): string {
  return `${serviceId}\u0000${tid}`;
}
