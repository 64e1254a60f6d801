import { spreadsheetCsv } from '../export/spreadsheet-csv';
import type { RowView } from '../../../shared/api';
import type { Campaign } from './campaign';

export const REPORT_COLUMNS = [
  'msisdn',
  'message',
  'segments',
  'status',
  'code',
  'description',
  'transid',
  'sent_at',
  'delivered_at',
  /** How the final status became known: "delivery report", or "status lookup" (Send SMS API). */
  'settled_by',
] as const;

/** The delivery report: every original column, then what was sent and what became of it. */
export function buildReportCsv(campaign: Campaign): string {
  return spreadsheetCsv([...campaign.table.columns, ...REPORT_COLUMNS], reportRows(campaign));
}

function* reportRows(campaign: Campaign): Generator<string[]> {
  const cancelled = campaign.state === 'cancelled';
  for (let row = 0; row < campaign.size; row++) {
    const r = campaign.rowView(row);
    yield [
      ...r.values,
      r.msisdn ?? '',
      r.message,
      String(r.segments),
      statusCell(r, cancelled),
      r.code ?? '',
      r.description ?? '',
      r.transid ?? '',
      r.sentAt ?? '',
      r.deliveredAt ?? '',
      settledBy(campaign, row, r),
    ];
  }
}

function settledBy(campaign: Campaign, row: number, r: RowView): string {
  if (campaign.settledByLookup(row)) return 'status lookup';
  return r.deliveredAt !== null ? 'delivery report' : '';
}

/** A row's status as the report words it: why it was skipped, and that a cancelled campaign's unsent rows never will be. */
function statusCell(r: RowView, cancelled: boolean): string {
  if (r.status === 'skipped') return `skipped: ${r.reason ?? ''}`;
  if (r.status === 'ready' && cancelled) return 'not sent: cancelled';
  return r.status;
}

/** The rows that will not be sent, with the reason, so the list can be fixed and imported again. */
export function buildSkippedCsv(campaign: Campaign): string {
  return spreadsheetCsv(
    [...campaign.table.columns, 'row', 'skip_reason', 'empty_placeholders'],
    skippedRows(campaign),
  );
}

function* skippedRows(campaign: Campaign): Generator<string[]> {
  for (let row = 0; row < campaign.size; row++) {
    const reason = campaign.reasonOf(row);
    if (reason === null) continue;
    const p = campaign.prepared(row);
    yield [...campaign.table.values(row), String(row + 1), reason, p.emptyPlaceholders.join(' ')];
  }
}
