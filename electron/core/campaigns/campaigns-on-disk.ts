import type { SentCampaign } from '../inbox/reply-matcher';
import type { Campaign } from './campaign';
import { CampaignFinder } from './campaign-finder';
import {
  CampaignSummaries,
  SummaryUpkeep,
  type SummaryBasisSource,
  type Summarized,
} from './campaign-summary';
import type { OpenCampaign } from './campaign-store';

/** What the campaigns on disk need from the registry of open ones. */
export interface OnDiskHost {
  /** The campaign's folder. */
  folder(id: string): string;
  storedIds(): Promise<string[]>;
  /** The campaign if it is open, without reading it. */
  opened(id: string): OpenCampaign | undefined;
  /** Opens a campaign; null when it cannot be opened (said on the console). */
  openOrSay(id: string): Promise<OpenCampaign | null>;
}

/**
 * What lets a campaign be listed and found without opening it: its summary and its indexes, kept up to date
 * while it is open and written when it leaves memory.
 */
export class CampaignsOnDisk {
  private readonly summaries: CampaignSummaries;
  private readonly upkeep: SummaryUpkeep;
  private readonly finder: CampaignFinder;

  constructor(
    private readonly host: OnDiskHost,
    basis: SummaryBasisSource,
  ) {
    this.summaries = new CampaignSummaries((id) => host.folder(id), basis);
    this.upkeep = new SummaryUpkeep(this.summaries);
    this.finder = new CampaignFinder((id) => host.folder(id), this.summaries);
  }

  /** The campaign's summary; null when it is missing, damaged or older than its files. */
  summarized(id: string): Promise<Summarized | null> {
    return this.summaries.read(id);
  }

  /** The open campaign's view may have changed: its summary is written a while later. */
  changed(campaign: Campaign): void {
    this.upkeep.later(campaign);
  }

  /** Forgets a summary waiting to be written (the campaign is being deleted). */
  drop(id: string): void {
    this.upkeep.drop(id);
    this.summaries.forget(id);
  }

  /** What lets a campaign be found without opening it: its summary and its indexes, brought up to date. */
  async leaveOnDisk(campaign: Campaign): Promise<void> {
    this.upkeep.drop(campaign.id);
    await Promise.all([this.summaries.write(campaign), this.finder.writeIndexes(campaign)]).catch(
      (error: unknown) => {
        // Only finding it is slower without them: the campaign is opened instead.
        console.error(`campaign ${campaign.id}:`, error instanceof Error ? error.message : error);
      },
    );
  }

  /** The row of a transid among campaigns not open: those whose on-disk index may hold it are opened. */
  async findTransid(transid: string): Promise<{ open: OpenCampaign; row: number } | null> {
    for (const id of await this.finder.mayHoldTransid(await this.closedIds(), transid)) {
      const open = await this.host.openOrSay(id);
      const row = open?.campaign.rowOfTransid(transid);
      if (open && row !== undefined) return { open, row };
    }
    return null;
  }

  /**
   * Among campaigns not open, those sent through `serviceId` as their summaries say; `unknown`: those whose
   * summary cannot say (they must be opened to know).
   */
  async sentThrough(serviceId: string): Promise<{ sent: SentCampaign[]; unknown: string[] }> {
    return this.finder.sentThrough(await this.closedIds(), serviceId);
  }

  /** Among campaigns sent, those that may hold a row sent to `msisdn`, opened (an on-disk index tells). */
  async openHolding(candidates: readonly SentCampaign[], msisdn: string): Promise<Campaign[]> {
    const holding: Campaign[] = [];
    for (const { id } of candidates) {
      const open =
        this.host.opened(id) ??
        ((await this.finder.mayHoldNumber(id, msisdn)) ? await this.host.openOrSay(id) : null);
      if (open) holding.push(open.campaign);
    }
    return holding;
  }

  private async closedIds(): Promise<string[]> {
    return (await this.host.storedIds()).filter((id) => !this.host.opened(id));
  }
}
