import type { CellValue } from 'exceljs';

// Excel keeps 15 significant digits: past them a stored number is binary noise (0.1+0.2 → 0.30000000000000004).
const EXCEL_DIGITS = 15;
// Excel's day 0: serial numbers below 1 are times of day without a date.
const EXCEL_EPOCH_DAY = '1899-12-30';

/** A cell as the text a CSV export would hold, so that a workbook imports like its CSV. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('error' in value) return '';
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as CellValue);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text);
  return '';
}

/** The digits, never an exponent: 447400123456 stays that, not 4.474E+11, and 12 is not 12.0. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  const rounded = Number(n.toPrecision(EXCEL_DIGITS));
  const plain = String(rounded);
  if (!plain.includes('e')) return plain;
  return rounded.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 100 });
}

/** `YYYY-MM-DD`, with ` HH:MM` (and `:SS`) when the cell has a time; Excel dates have no zone, read as UTC. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const [day, clock] = rounded.toISOString().slice(0, 19).split('T') as [string, string];
  const time = clock.endsWith(':00') ? clock.slice(0, 5) : clock;
  if (day === EXCEL_EPOCH_DAY) return time;
  return clock === '00:00:00' ? day : `${day} ${time}`;
}
