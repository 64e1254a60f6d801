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
  const rows = campaign.table.rows.map((values, i) => {
    const r = campaign.rowView(i);
    return [
      ...values,
      r.msisdn ?? '',
      r.message,
      r.status === 'skipped' ? `skipped: ${r.reason ?? ''}` : r.status,
      r.code ?? '',
      r.description ?? '',
      r.transid ?? '',
      r.sentAt ?? '',
      r.updatedAt ?? '',
    ];
  });
  return Papa.unparse(
    { fields: [...campaign.table.columns, ...REPORT_COLUMNS], data: rows },
    { newline: '\r\n' },
  );
}
