import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CampaignView, SendApi } from '../../../shared/api';
import type { Campaign } from './campaign';
import { CampaignDefinition } from './definition';
import { isStartMissed } from './missed-start';

/**
 * What History shows of a campaign, kept in its folder (summary.json) so that listing campaigns reads a small
 * file instead of replaying every journal. A summary stands only while what it was made from stands: the
 * journal (its size and time), the definition (its content), the service's API (it sets the text limit) and,
 * for a campaign whose rows still follow the opt-out list, that list's file. Otherwise the campaign is opened.
 */

/** Bigger than any summary of a sound campaign (the definition is not in it); a bigger one is not written. */
export const MAX_SUMMARY_BYTES = 64 * 1024;
const FILE = 'summary.json';

/** The view's fields that are the campaign's own, not its definition's. */
const Derived = CampaignView.pick({
  rowCount: true,
  phoneColumnChoice: true,
  state: true,
  problem: true,
  counts: true,
  skipCounts: true,
  emptyValueRows: true,
  numbersWithoutPlus: true,
  plusCountry: true,
  totalSegments: true,
  messageLength: true,
  error: true,
  errorDetail: true,
  scheduledAt: true,
  unknownResendableAt: true,
  testSend: true,
  startedAt: true,
  endedAt: true,
  journalDamage: true,
}).strict();
type Derived = z.infer<typeof Derived>;

const Basis = z.object({
  journal: z.string(),
  definition: z.string(),
  textApi: SendApi,
  /** The opt-out list's file as the rows last followed it; null when no row follows it any more. */
  optOuts: z.string().nullable(),
});
type Basis = z.infer<typeof Basis>;

const Summary = z.object({
  format: z.literal(1),
  basis: Basis,
  /** The service the campaign was sent through; null while it has not been sent. */
  sentThrough: z.string().nullable(),
  /** Derived fields as the view gives them at no price and no grace (`unknownResendableAt` is the latest send). */
  view: Derived,
});
export type Summary = z.infer<typeof Summary>;

/** What a summary depends on outside the campaign. */
export interface SummaryBasisSource {
  /** The API of a service by id (a removed service: Messaging API v1's, as the campaign takes it). */
  textApi(serviceId: string): SendApi;
  /** Path of the opt-out list's file. */
  optOutsPath: string;
}

/** A campaign as its summary shows it: its definition and its summary. */
export interface Summarized {
  def: CampaignDefinition;
  summary: Summary;
}

/** What finding a campaign by a report or a reply needs of its summary. */
export interface SentBy {
  def: CampaignDefinition;
  /** The service it was sent through; null while it has not been sent. */
  sentThrough: string | null;
}

export class CampaignSummaries {
  /**
   * What the summaries read or written by this process say of finding each campaign, so that each report does not
   * read every closed campaign's summary (about 700 bytes each, so 500 campaigns take well under a megabyte). A sent
   * campaign's definition and service no longer change; a draft's entry holds while its journal's stamp does.
   */
  private readonly known = new Map<string, SentBy & { journal: string }>();

  constructor(
    private readonly folder: (id: string) => string,
    private readonly source: SummaryBasisSource,
  ) {}

  /** The campaign's definition and service as its summary says, from memory once known; null as `read` says. */
  async sentBy(id: string): Promise<SentBy | null> {
    const known = this.known.get(id);
    if (known) {
      const { journal, ...sentBy } = known;
      if (sentBy.sentThrough !== null) return sentBy;
      if (journal === (await fileStamp(join(this.folder(id), 'journal.ndjson')))) return sentBy;
    }
    await this.read(id);
    const read = this.known.get(id);
    return read ? { def: read.def, sentThrough: read.sentThrough } : null;
  }

  /** The campaign is deleted. */
  forget(id: string): void {
    this.known.delete(id);
  }

  /** Writes the campaign's summary, atomically; removes it when it would be over the bound. */
  async write(campaign: Campaign): Promise<void> {
    const dir = this.folder(campaign.id);
    // Read before the view is taken: what changes meanwhile makes the summary look older, never newer.
    const journal = await fileStamp(join(dir, 'journal.ndjson'));
    const optOuts = await fileStamp(this.source.optOutsPath);
    const { definition, state } = campaign;
    const view = campaign.view(0, 0);
    const summary: Summary = {
      format: 1,
      basis: {
        journal,
        definition: definitionHash(CampaignDefinition.parse(definition)),
        textApi: view.messageLength.api,
        optOuts: followsOptOuts(campaign, view) ? optOuts : null,
      },
      sentThrough: campaign.isStarted ? (campaign.sentThrough?.id ?? definition.serviceId) : null,
      view: pickDerived(view),
    };
    const text = JSON.stringify(summary);
    const path = join(dir, FILE);
    if (Buffer.byteLength(text) > MAX_SUMMARY_BYTES || state === 'sending') {
      this.known.delete(campaign.id);
      await rm(path, { force: true });
      return;
    }
    await writeAtomic(path, text);
    this.known.set(campaign.id, { def: definition, sentThrough: summary.sentThrough, journal });
  }

  /** The campaign's definition and summary when the summary stands; null when it is missing, damaged or stale. */
  async read(id: string): Promise<Summarized | null> {
    const dir = this.folder(id);
    this.known.delete(id);
    try {
      const [summaryText, defText] = await Promise.all([
        readFile(join(dir, FILE), 'utf8'),
        readFile(join(dir, 'campaign.json'), 'utf8'),
      ]);
      if (summaryText.length > MAX_SUMMARY_BYTES) return null;
      const parsed = Summary.safeParse(JSON.parse(summaryText));
      const def = CampaignDefinition.safeParse(JSON.parse(defText));
      if (!parsed.success || !def.success) return null;
      const { basis } = parsed.data;
      if (basis.definition !== definitionHash(def.data)) return null;
      if (basis.textApi !== this.source.textApi(def.data.serviceId)) return null;
      if (basis.journal !== (await fileStamp(join(dir, 'journal.ndjson')))) return null;
      // What finding the campaign needs stands whatever became of the opt-out list since.
      this.known.set(id, { def: def.data, sentThrough: parsed.data.sentThrough, journal: basis.journal });
      if (basis.optOuts !== null && basis.optOuts !== (await fileStamp(this.source.optOutsPath))) return null;
      return { def: def.data, summary: parsed.data };
    } catch {
      // Missing or unreadable: the campaign is opened instead.
      return null;
    }
  }
}

/** The view `Campaign.view(price, grace)` gives, from a summary. */
export function summaryView(
  { def, summary }: Summarized,
  pricePerSegment: number,
  unknownGraceMs: number,
): CampaignView {
  const { view } = summary;
  const latestUnknown = view.unknownResendableAt;
  // The nonce of the campaign's Idempotency-Keys stays in the core, as in `Campaign.view`.
  const { keyNonce, ...shown } = def;
  // Which rows wait for their window depends on the hour: a summary lists them as ready.
  const { waiting, ...counts } = view.counts;
  if (waiting) counts.ready = (counts.ready ?? 0) + waiting;
  return {
    ...shown,
    ...view,
    counts,
    nextWindowAt: null,
    // Worked out from the clock when the campaign is opened.
    windowPreview: null,
    estimatedCost: view.totalSegments * pricePerSegment,
    startMissed: view.scheduledAt !== null && isStartMissed(view.scheduledAt),
    unknownResendableAt:
      latestUnknown === null ? null : new Date(Date.parse(latestUnknown) + unknownGraceMs).toISOString(),
    receiverWarning: null,
  };
}

/** Whether opening the campaign would check some of its rows against the opt-out list as it then stands. */
function followsOptOuts(campaign: Campaign, view: CampaignView): boolean {
  return !campaign.isStarted || (view.counts.ready ?? 0) > 0 || (view.skipCounts['opted-out'] ?? 0) > 0;
}

function pickDerived(view: CampaignView): Derived {
  const derived: Record<string, unknown> = {};
  for (const key of Object.keys(Derived.shape)) derived[key] = view[key as keyof CampaignView];
  return derived as Derived;
}

function definitionHash(def: CampaignDefinition): string {
  return createHash('sha256').update(JSON.stringify(def)).digest('base64url');
}

/** A file's size and time of change, or 'none' when it does not exist. */
export async function fileStamp(path: string): Promise<string> {
  try {
    const { size, mtimeMs } = await stat(path);
    return `${size}:${mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  // One name per write: two writes of one summary at once must not truncate each other's file before its rename.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.write(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

/** How long after a change a campaign's summary is written: changes come by the thousand while sending. */
export const SUMMARY_EVERY_MS = 2_000;

/** Writes the summaries of open campaigns a while after they change, and at once when asked (closing). */
export class SummaryUpkeep {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; campaign: Campaign }>();

  constructor(
    private readonly summaries: CampaignSummaries,
    private readonly everyMs = SUMMARY_EVERY_MS,
  ) {}

  /** The campaign's view may have changed. */
  later(campaign: Campaign): void {
    if (this.timers.has(campaign.id)) return;
    const timer = setTimeout(() => void this.flush(campaign.id), this.everyMs);
    timer.unref();
    this.timers.set(campaign.id, { timer, campaign });
  }

  /** Writes the campaign's summary now if a change waits to be written. */
  async flush(id: string): Promise<void> {
    const waiting = this.timers.get(id);
    if (!waiting) return;
    this.drop(id);
    await this.summaries.write(waiting.campaign).catch((error: unknown) => {
      // Only the listing is slower without it: the campaign is opened instead.
      console.error(`campaign ${id}: summary not written:`, error instanceof Error ? error.message : error);
    });
  }

  /** Forgets a change waiting to be written (the campaign is being deleted). */
  drop(id: string): void {
    clearTimeout(this.timers.get(id)?.timer);
    this.timers.delete(id);
  }
}
