import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { CommandLineHandlers, Handlers } from '../dispatch';
import { DeskError } from '../errors';
import type { Inbox } from '../inbox/inbox';
import type { CampaignRegistry } from './campaign-registry';
import { buildDashboard } from './dashboard';
import { buildReportCsv, buildSkippedCsv } from './report';
import { buildRowDetails } from './row-details';

/** What a campaign's results read as: the delivery report (CSV, workbook), its dashboard, a row's history. */
export class CampaignReports {
  constructor(
    private readonly registry: CampaignRegistry,
    private readonly inbox: Inbox,
  ) {}

  readonly handlers: Pick<
    Handlers,
    | 'campaigns.report'
    | 'campaigns.reportXlsx'
    | 'campaigns.exportSkipped'
    | 'campaigns.row'
    | 'campaigns.dashboard'
  > = {
    'campaigns.report': ({ id }) => this.report(id),
    'campaigns.reportXlsx': ({ id, timeZone }) => this.reportXlsx(id, timeZone),
    'campaigns.exportSkipped': async ({ id }) => {
      const { campaign } = await this.registry.campaign(id);
      return { fileName: `${campaign.definition.name}-skipped.csv`, csv: buildSkippedCsv(campaign) };
    },
    'campaigns.row': async ({ id, row }) => {
      const { campaign } = await this.registry.campaign(id);
      if (row >= campaign.size) throw new DeskError('invalid-row', 'That row does not exist.');
      return buildRowDetails(campaign, row, this.inbox.repliesTo(id, row));
    },
    'campaigns.dashboard': async ({ id }) =>
      buildDashboard((await this.registry.campaign(id)).campaign, this.inbox.figuresOf(id)),
  };

  readonly commandLineHandlers: Pick<CommandLineHandlers, 'cli.writeReportXlsx'> = {
    'cli.writeReportXlsx': async ({ id, timeZone, path }) => {
      await this.writeReportXlsxFile(id, timeZone, path);
      return {};
    },
  };

  async report(id: string): Promise<{ fileName: string; csv: string }> {
    const { campaign } = await this.registry.campaign(id);
    return { fileName: `${campaign.definition.name}-report.csv`, csv: buildReportCsv(campaign) };
  }

  /**
   * The delivery report as an Excel workbook, streamed to a `.part` file renamed to `path` once complete, so
   * that a failure never leaves half a workbook under the name asked for.
   */
  private async writeReportXlsxFile(id: string, timeZone: string, path: string): Promise<void> {
    const part = `${path}.part`;
    const output = createWriteStream(part);
    try {
      await this.writeReportXlsx(id, timeZone, output);
      await rename(part, path);
    } catch (error) {
      output.destroy();
      await rm(part, { force: true });
      throw error;
    }
  }

  /** The delivery report as an Excel workbook, streamed to `output`. */
  async writeReportXlsx(id: string, timeZone: string, output: Writable): Promise<void> {
    const { campaign } = await this.registry.campaign(id);
    // exceljs is large: loaded only when a workbook is asked for.
    const { writeReportXlsx } = await import('./report-xlsx');
    await writeReportXlsx(campaign, timeZone, output);
  }

  /** The delivery report as an Excel workbook for the app to offer as a download (bounded in size). */
  async reportXlsx(id: string, timeZone: string): Promise<{ fileName: string; base64: string }> {
    const { campaign } = await this.registry.campaign(id);
    const { reportXlsxBytes } = await import('./report-xlsx');
    const bytes = await reportXlsxBytes(campaign, timeZone);
    return { fileName: `${campaign.definition.name}-report.xlsx`, base64: bytes.toString('base64') };
  }
}
