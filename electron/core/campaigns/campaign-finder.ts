import { join } from 'node:path';
import type { SentCampaign } from '../inbox/reply-matcher';
import type { Campaign } from './campaign';
import { fileStamp, type CampaignSummaries } from './campaign-summary';
import { numberKey, removeRowIndex, searchRowIndex, transidKey, writeRowIndex } from './row-index-file';

const TRANSIDS = 'transids.idx';
const NUMBERS = 'numbers.idx';

/**
 * Finds, among campaigns that are not open, those a delivery report or a reply may be about, through each
 * campaign's summary and its on-disk indexes (transid to row, number to rows sent). A campaign whose summary or
 * index is missing, damaged or older than its journal is a candidate: opened, it says for itself.
 */
export class CampaignFinder {
  constructor(
    private readonly folder: (id: string) => string,
    private readonly summaries: CampaignSummaries,
  ) {}

  /** Writes the indexes of a campaign about to leave memory (unless they are up to date). */
  async writeIndexes(campaign: Campaign): Promise<void> {
    const dir = this.folder(campaign.id);
    if (!campaign.isStarted) {
      await Promise.all([removeRowIndex(join(dir, TRANSIDS)), removeRowIndex(join(dir, NUMBERS))]);
      return;
    }
    // Taken before the rows are read: a change meanwhile makes the index look older, never newer.
    const stamp = await this.stamp(campaign.id);
    if ((await searchRowIndex(join(dir, TRANSIDS), stamp, -1)) === null) {
      await writeRowIndex(
        join(dir, TRANSIDS),
        stamp,
        (row) => ((transid) => (transid === null ? null : transidKey(transid)))(campaign.transidOf(row)),
        campaign.size,
      );
    }
    if ((await searchRowIndex(join(dir, NUMBERS), stamp, -1)) === null) {
      await writeRowIndex(
        join(dir, NUMBERS),
        stamp,
        (row) =>
          ((msisdn) => (msisdn === null || !campaign.wasSent(row) ? null : numberKey(msisdn)))(
            campaign.msisdn(row),
          ),
        campaign.size,
      );
    }
  }

  /** Among `ids`, the campaigns that may hold a row with this transid. */
  async mayHoldTransid(ids: readonly string[], transid: string): Promise<string[]> {
    const found: string[] = [];
    for (const id of ids) {
      const sentBy = await this.summaries.sentBy(id);
      if (sentBy && sentBy.sentThrough === null) continue;
      const rows = await searchRowIndex(
        join(this.folder(id), TRANSIDS),
        await this.stamp(id),
        transidKey(transid),
      );
      if (rows === null || rows.length > 0) found.push(id);
    }
    return found;
  }

  /**
   * Among `ids`, the campaigns sent through `serviceId` as their summaries say; `unknown`: those whose summary
   * cannot say (they must be opened to know).
   */
  async sentThrough(
    ids: readonly string[],
    serviceId: string,
  ): Promise<{ sent: SentCampaign[]; unknown: string[] }> {
    const sent: SentCampaign[] = [];
    const unknown: string[] = [];
    for (const id of ids) {
      const sentBy = await this.summaries.sentBy(id);
      if (!sentBy) unknown.push(id);
      else if (sentBy.sentThrough === serviceId)
        sent.push({ id, definition: sentBy.def, isStarted: true, sentThrough: { id: serviceId } });
    }
    return { sent, unknown };
  }

  /** Whether the campaign may hold a row sent to `msisdn`. */
  async mayHoldNumber(id: string, msisdn: string): Promise<boolean> {
    const rows = await searchRowIndex(
      join(this.folder(id), NUMBERS),
      await this.stamp(id),
      numberKey(msisdn),
    );
    return rows === null || rows.length > 0;
  }

  private stamp(id: string): Promise<string> {
    return fileStamp(join(this.folder(id), 'journal.ndjson'));
  }
}
