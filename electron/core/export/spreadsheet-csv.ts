import Papa from 'papaparse';

/**
 * What a spreadsheet runs as a formula when it opens a CSV (OWASP's "CSV injection"): a cell whose first
 * character is `=` or `@` (spaces before it are skipped by some readers, so they do not help), or a tab
 * or a carriage return (Excel strips them and reads on).
 */
const ALWAYS_FORMULA = /^(?:[\t\r]| *[=@])/;
/**
 * A leading `+` or `-` starts a formula too (`+1+cmd|' /C calc'!A0`, `-2+3`), except when the rest holds
 * only digits, spaces, dots, commas, parentheses, dashes and `%`: a number or a phone number such as
 * `+44 7400 123456`, `-5` or `+1 (415) 555-0101`. Without a letter, quote, `|`, `!`, `&`, `+` or `*`
 * there is no function, cell reference, command or string to run; at worst a spreadsheet shows such a
 * cell as the number it is. So recipients' phone numbers are written exactly as they were imported.
 */
const SIGNED = /^ *[+-]/;
const SIGNED_NUMBER = /^ *[+-][\d .,()%-]*$/;

/** Whether a spreadsheet opening a CSV would run `cell` as a formula. */
export function runsAsFormula(cell: string): boolean {
  return ALWAYS_FORMULA.test(cell) || (SIGNED.test(cell) && !SIGNED_NUMBER.test(cell));
}

/** A cell a spreadsheet shows as text: a leading apostrophe keeps it from being run as a formula. */
export function neutralizeFormula(cell: string): string {
  return runsAsFormula(cell) ? `'${cell}` : cell;
}

/**
 * A CSV file for spreadsheets: UTF-8 with a byte order mark (Excel reads the file as UTF-8 only with
 * one), CRLF line ends, every cell that would run as a formula neutralized and every other cell as it was.
 */
export function spreadsheetCsv(fields: readonly string[], rows: Iterable<readonly string[]>): string {
  const data: string[][] = [];
  for (const row of rows) data.push(row.map(neutralizeFormula));
  return `\uFEFF${Papa.unparse({ fields: fields.map(neutralizeFormula), data }, { newline: '\r\n' })}`;
}
