import type { CampaignRegistry } from '../campaigns/campaign-registry';
import type { OpenCampaign } from '../campaigns/campaign-store';
import type { JournalEvent } from '../campaigns/journal-events';
import { ReportRepeats } from '../campaigns/report-repeats';
import type { Handlers } from '../dispatch';
import { parseRef } from '../sending/correlation-id';
import type { Receiver } from './receiver';
import type { ReportLogs, ReportPayload, UnmatchedReport } from './report-logs';
import type { DeliveryReport } from './webhook-schemas';

type RowOf = { open: OpenCampaign; row: number };

/** Delivery reports from the receiver: each finds its row (or test message), is journaled, or is kept as unmatched. */
export class DeliveryIntake {
  /** Reports since the start that named no row (the receiver counts the rest of ReceiverStats). */
  private unmatchedReports = 0;
  private readonly repeats = new ReportRepeats();

  constructor(
    private readonly registry: CampaignRegistry,
    private readonly reportLogs: ReportLogs,
    private readonly receiver: Pick<Receiver, 'stats'>,
  ) {}

  readonly handlers: Pick<Handlers, 'receiver.stats'> = {
    'receiver.stats': async () => ({
      ...this.receiver.stats(),
      unmatched: this.unmatchedReports,
      unmatchedDropped: this.reportLogs.unmatchedDropped,
      payloadsDropped: this.reportLogs.payloadsDropped,
    }),
  };

  async record(reports: DeliveryReport[]): Promise<void> {
    const at = new Date().toISOString();
    const byCampaign = new Map<OpenCampaign, JournalEvent[]>();
    const unmatched: UnmatchedReport[] = [];
    const payloads: ReportPayload[] = [];
    const claimed: string[] = [];
    for (const report of reports) {
      const test = report.status ? await this.locateTest(report) : null;
      if (test && report.status) {
        const events = byCampaign.get(test.open) ?? [];
        events.push({
          t: 'test-dr',
          at,
          test: test.test,
          status: report.status,
          code: report.code,
          description: report.description,
        });
        byCampaign.set(test.open, events);
        payloads.push({ at, campaignId: test.open.campaign.id, test: test.test, raw: report.raw });
        continue;
      }
      const target = report.status ? await this.locate(report) : null;
      if (!target || !report.status) {
        unmatched.push({
          at,
          raw: report.raw,
          reason: report.status ? 'no matching row' : 'no delivery state',
        });
        continue;
      }
      if (!target.open.campaign.acceptsReport(target.row, report.transid)) {
        unmatched.push({ at, raw: report.raw, reason: 'names its row without the transid of its reports' });
        continue;
      }
      if (!this.repeats.claim(target.open.campaign, target.row, report, claimed)) continue;
      const events = byCampaign.get(target.open) ?? [];
      events.push({
        t: 'dr',
        at,
        row: target.row,
        status: report.status,
        code: report.code,
        description: report.description,
        transid: report.transid,
        carrier: report.carrier,
        reportedAt: report.timestamp,
      });
      byCampaign.set(target.open, events);
      payloads.push({ at, campaignId: target.open.campaign.id, row: target.row, raw: report.raw });
    }
    await Promise.all([
      this.reportLogs.unmatched(unmatched),
      this.reportLogs.payloads(payloads),
      ...[...byCampaign].map(([open, events]) => this.registry.record(open, events)),
    ]).finally(() => this.repeats.release(claimed));
    this.unmatchedReports += unmatched.length;
  }

  /** Finds the test message a report is about, by its reference (`<campaign>.t<test>`) in either field. */
  private async locateTest(report: DeliveryReport): Promise<{ open: OpenCampaign; test: number } | null> {
    const ref = parseRef(report.correlationid ?? report.callbackData);
    if (ref?.kind !== 'test') return null;
    const { campaignId, test } = ref;
    const open = await this.openOrLoad(campaignId);
    return open && test < open.campaign.testCount ? { open, test } : null;
  }

  /**
   * Finds a report's row: by the row reference in its correlation id, else by transid, else by the reference in
   * its callbackData (the platform's reports often leave the correlation id empty; page "sms-outbound-webhooks").
   */
  private async locate(report: DeliveryReport): Promise<RowOf | null> {
    const byCorrelation = await this.rowOfRef(report.correlationid, report);
    if (byCorrelation !== undefined) return byCorrelation;
    if (report.transid) {
      const found =
        this.findTransid(report.transid) ?? (await this.registry.onDisk.findTransid(report.transid));
      // callbackData naming another sent row contradicts the transid: neither is trusted.
      if (found) return this.namesOtherRow(report.callbackData, found) ? null : found;
    }
    return (await this.rowOfRef(report.callbackData, report)) ?? null;
  }

  /** Whether `ref` names a sent row of an open campaign other than `row`. */
  private namesOtherRow(ref: string | null, row: RowOf): boolean {
    const named = parseRef(ref);
    if (named?.kind !== 'row') return false;
    const open = this.registry.opened(named.campaignId);
    return (
      open !== undefined && open.campaign.wasSent(named.row) && (open !== row.open || named.row !== row.row)
    );
  }

  /** The sent row a reference names; null when its transid contradicts it; undefined when it names none. */
  private async rowOfRef(ref: string | null, report: DeliveryReport): Promise<RowOf | null | undefined> {
    const named = parseRef(ref);
    if (named?.kind !== 'row') return undefined;
    const { campaignId, row } = named;
    const open = await this.openOrLoad(campaignId);
    if (!open?.campaign.wasSent(row)) return undefined;
    if (!report.transid || open.campaign.transidOf(row) === report.transid) return { open, row };
    // A transid already known for another row contradicts the reference: neither is trusted.
    const other = this.findTransid(report.transid);
    return !other || (other.open === open && other.row === row) ? { open, row } : null;
  }

  private findTransid(transid: string): RowOf | null {
    for (const open of this.registry.openCampaigns()) {
      const row = open.campaign.rowOfTransid(transid);
      if (row !== undefined) return { open, row };
    }
    return null;
  }

  private async openOrLoad(id: string): Promise<OpenCampaign | null> {
    return this.registry.opened(id) ?? (await this.registry.campaign(id).catch(() => null));
  }
}
