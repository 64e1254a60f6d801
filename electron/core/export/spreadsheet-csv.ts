import Papa from 'papaparse';

/** What a spreadsheet would run as a formula: a cell starting with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as text: a leading apostrophe keeps it from being run as a formula. */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * A CSV file for spreadsheets: UTF-8 with a byte order mark (Excel reads the file as UTF-8 only with
 * one), CRLF line ends, every cell that could run as a formula neutralized.
 */
export function spreadsheetCsv(fields: readonly string[], rows: Iterable<readonly string[]>): string {
  const data: string[][] = [];
  for (const row of rows) data.push(row.map(neutralizeFormula));
  return `\uFEFF${Papa.unparse({ fields: fields.map(neutralizeFormula), data }, { newline: '\r\n' })}`;
}
