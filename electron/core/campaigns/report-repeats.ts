import type { DeliveryReport } from '../receiver/webhook-schemas';
import type { Campaign } from './campaign';

/**
 * Tells a delivery report the platform posts again (a retry) from a new one, so that it is journaled once. A repeat
 * is a report about the same row, with the row's own transid, the same delivery state and code, description and
 * carrier, and the same `timeStamp`. A report without a time stamp or transid is never taken for a repeat: two
 * such reports cannot be told apart.
 */
export class ReportRepeats {
  /** Reports being journaled: a retry arriving meanwhile is not journaled too. */
  private readonly inFlight = new Set<string>();

  /** Whether to journal the report; if so, its key is added to `claimed`, to `release` once it is recorded. */
  claim(campaign: Campaign, row: number, report: DeliveryReport, claimed: string[]): boolean {
    if (!report.status || report.transid === null || report.timestamp === null) return true;
    if (report.transid !== campaign.transidOf(row)) return true;
    const key = JSON.stringify([
      campaign.id,
      row,
      report.transid,
      report.status,
      report.code,
      report.description,
      report.carrier,
      report.timestamp,
    ]);
    if (this.inFlight.has(key)) return false;
    const entry = {
      status: report.status,
      code: report.code,
      description: report.description,
      carrier: report.carrier,
      reportedAt: report.timestamp,
    };
    if (campaign.history.hasOwn(row, entry)) return false;
    this.inFlight.add(key);
    claimed.push(key);
    return true;
  }

  release(claimed: readonly string[]): void {
    for (const key of claimed) this.inFlight.delete(key);
  }
}
