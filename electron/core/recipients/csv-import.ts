import Papa from 'papaparse';
import { DeskError } from '../errors';

export interface RecipientTable {
  columns: string[];
  rows: string[][];
}

const PHONE_HEADER = /phone|mobile|msisdn|cell|tel|number|gsm|sms/i;
const PHONE_VALUE = /^\+?[\d\s().-]{6,20}$/;

/** Parses a recipient CSV: first line the header, delimiter detected, blank lines skipped. */
export function parseRecipientsCsv(text: string, onRows?: (rows: number) => void): RecipientTable {
  const rows: string[][] = [];
  let header: string[] | null = null;
  let failure: DeskError | null = null;
  Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t', '|'],
    step: (result, parser) => {
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        failure = new DeskError(
          'csv-malformed',
          `The file is not valid CSV: ${quoteError.message.toLowerCase()} in record ${rows.length + 2}.`,
        );
        parser.abort();
        return;
      }
      if (header === null) header = result.data;
      else rows.push(result.data);
      if (onRows && rows.length % 10_000 === 0) onRows(rows.length);
    },
  });
  if (failure) throw failure;
  if (header === null)
    throw new DeskError('csv-empty', 'The file is empty: it needs a header line and recipients.');
  if (rows.length === 0) throw new DeskError('csv-no-rows', 'The file has a header line but no recipients.');
  const columns = uniqueColumnNames(header);
  for (const row of rows) {
    if (row.length < columns.length) row.push(...Array<string>(columns.length - row.length).fill(''));
    else if (row.length > columns.length) row.length = columns.length;
  }
  onRows?.(rows.length);
  return { columns, rows };
}

function uniqueColumnNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    const base = raw.trim() || `Column ${i + 1}`;
    const count = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), count);
    return count === 1 ? base : `${base} ${count}`;
  });
}

/** The column most likely to hold phone numbers: by header name, else by its first values. */
export function detectPhoneColumn(table: RecipientTable): number | null {
  const byName = table.columns.findIndex((c) => PHONE_HEADER.test(c));
  if (byName >= 0) return byName;
  const sample = table.rows.slice(0, 50);
  let best: number | null = null;
  let bestShare = 0.5;
  for (let column = 0; column < table.columns.length; column++) {
    const share = sample.filter((r) => PHONE_VALUE.test((r[column] ?? '').trim())).length / sample.length;
    if (share >= bestShare) [best, bestShare] = [column, share + Number.EPSILON];
  }
  return best;
}
