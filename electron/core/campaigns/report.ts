import { statusInWords } from '../../../shared/status-words';
import type { RowView } from '../../../shared/api';
import { spreadsheetCsv } from '../export/spreadsheet-csv';
import type { Campaign } from './campaign';

/** What a report column holds: text, a number, or a moment (an ISO 8601 time, or none). */
export type ReportValue =
  { kind: 'text'; text: string } | { kind: 'number'; number: number } | { kind: 'time'; iso: string | null };

interface RowFacts {
  view: RowView;
  cancelled: boolean;
  settledByLookup: boolean;
}

type OwnColumn =
  | { name: string; kind: 'text'; value: (r: RowFacts) => string | null }
  | { name: string; kind: 'number'; value: (r: RowFacts) => number }
  | { name: string; kind: 'time'; value: (r: RowFacts) => string | null };

/**
 * The columns the report adds after the recipient file's own, in order. They start with `cd_`
 * (Campaign Desk) so that a recipient file's own `Status` or `Code` is never mistaken for ours.
 */
const OWN_COLUMNS: readonly OwnColumn[] = [
  { name: 'cd_number', kind: 'text', value: (r) => r.view.msisdn },
  { name: 'cd_message', kind: 'text', value: (r) => r.view.message },
  { name: 'cd_segments', kind: 'number', value: (r) => r.view.segments },
  { name: 'cd_status', kind: 'text', value: (r) => statusCode(r.view, r.cancelled) },
  { name: 'cd_status_text', kind: 'text', value: (r) => statusInWords(r.view, r.cancelled) },
  { name: 'cd_code', kind: 'text', value: (r) => r.view.code },
  { name: 'cd_description', kind: 'text', value: (r) => r.view.description },
  { name: 'cd_transid', kind: 'text', value: (r) => r.view.transid },
  { name: 'cd_sent_at', kind: 'time', value: (r) => r.view.sentAt },
  { name: 'cd_delivered_at', kind: 'time', value: (r) => r.view.deliveredAt },
  // How the final status became known: "delivery report", or "status lookup" (Send SMS API).
  { name: 'cd_settled_by', kind: 'text', value: settledBy },
];

export const REPORT_COLUMNS: readonly string[] = OWN_COLUMNS.map((c) => c.name);

/** What each of the report's own columns holds, in order. */
export const REPORT_COLUMN_KINDS: readonly ReportValue['kind'][] = OWN_COLUMNS.map((c) => c.kind);

function valueOf(column: OwnColumn, facts: RowFacts): ReportValue {
  switch (column.kind) {
    case 'text':
      return { kind: 'text', text: column.value(facts) ?? '' };
    case 'number':
      return { kind: 'number', number: column.value(facts) };
    case 'time':
      return { kind: 'time', iso: column.value(facts) };
  }
}

/**
 * The header of a report: the recipient file's columns as they are, then ours, each made distinct from
 * every name before it (compared without case or surrounding spaces) by the first free `_2`, `_3`, …
 * `suffix` decorates our names (the xlsx export names the time zone of its times).
 */
export function reportHeader(
  recipientColumns: readonly string[],
  suffix: (column: number) => string = () => '',
): string[] {
  const taken = new Set(recipientColumns.map(nameKey));
  const header = [...recipientColumns];
  REPORT_COLUMNS.forEach((base, column) => {
    for (let n = 1; ; n++) {
      const name = `${base}${n === 1 ? '' : `_${n}`}${suffix(column)}`;
      if (taken.has(nameKey(name))) continue;
      taken.add(nameKey(name));
      header.push(name);
      return;
    }
  });
  return header;
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Each row of the report: the recipient's own cells as imported, then our columns' values. */
export function* reportRows(
  campaign: Campaign,
): Generator<{ values: readonly string[]; own: ReportValue[] }> {
  const cancelled = campaign.state === 'cancelled';
  for (let row = 0; row < campaign.size; row++) {
    const facts = { view: campaign.rowView(row), cancelled, settledByLookup: campaign.settledByLookup(row) };
    yield { values: facts.view.values, own: OWN_COLUMNS.map((c) => valueOf(c, facts)) };
  }
}

/** The delivery report as CSV: every original column, then what was sent and what became of it. */
export function buildReportCsv(campaign: Campaign): string {
  return spreadsheetCsv(reportHeader(campaign.table.columns), csvRows(campaign));
}

function* csvRows(campaign: Campaign): Generator<string[]> {
  for (const { values, own } of reportRows(campaign)) yield [...values, ...own.map(csvCell)];
}

function csvCell(value: ReportValue): string {
  if (value.kind === 'number') return String(value.number);
  if (value.kind === 'time') return value.iso ?? '';
  return value.text;
}

function settledBy({ view, settledByLookup }: RowFacts): string {
  if (settledByLookup) return 'status lookup';
  return view.deliveredAt !== null ? 'delivery report' : '';
}

/** A row's status code: why it was skipped, and that a cancelled campaign's unsent rows never will be. */
function statusCode(r: RowView, cancelled: boolean): string {
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
