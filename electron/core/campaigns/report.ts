import Papa from 'papaparse';
import type { Campaign } from './campaign';

export const REPORT_COLUMNS = [
  'msisdn',
  'message',
  'status',
  'code',
  'description',
  'transid',
  'sent_at',
  'updated_at',
] as const;

/** The delivery report: every original column, then what was sent and what became of it. */
export function buildReportCsv(campaign: Campaign): string {
  const data: string[][] = [];
  for (let row = 0; row < campaign.size; row++) {
    const r = campaign.rowView(row);
    data.push([
      ...r.values,
      r.msisdn ?? '',
      r.message,
      r.status === 'skipped' ? `skipped: ${r.reason ?? ''}` : r.status,
      r.code ?? '',
      r.description ?? '',
      r.transid ?? '',
      r.sentAt ?? '',
      r.updatedAt ?? '',
    ]);
  }
  return Papa.unparse({ fields: [...campaign.table.columns, ...REPORT_COLUMNS], data }, { newline: '\r\n' });
}

/** The rows that will not be sent, with the reason, so the list can be fixed and imported again. */
export function buildSkippedCsv(campaign: Campaign): string {
  const data: string[][] = [];
  for (let row = 0; row < campaign.size; row++) {
    const reason = campaign.reasonOf(row);
    if (reason === null) continue;
    const p = campaign.prepared(row);
    data.push([...campaign.table.values(row), String(row + 1), reason, p.emptyPlaceholders.join(' ')]);
  }
  return Papa.unparse(
    { fields: [...campaign.table.columns, 'row', 'skip_reason', 'empty_placeholders'], data },
    { newline: '\r\n' },
  );
}
