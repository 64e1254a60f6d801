import { DeskError } from '../errors';
import { parseRecipientsCsv } from './csv-import';
import { decodeText } from './decode';
import { fileKind } from './file-kind';
import type { RecipientTable } from './recipient-table';
import type { WorkbookOptions } from './workbook-import';

export interface RecipientFile {
  table: RecipientTable;
  /** The workbook sheet read, or null for a text file. */
  sheet: string | null;
  /** The workbook's sheets in order; empty for a text file. */
  sheets: string[];
}

/** A CSV (in any encoding the decoder knows) or an .xlsx workbook, told apart by its bytes. */
export async function readRecipientFile(
  bytes: Uint8Array,
  options: WorkbookOptions = {},
): Promise<RecipientFile> {
  if (fileKind(bytes) === 'xlsx') {
    // exceljs is large: loaded only when a workbook comes, so the command line starts as fast as before.
    const { parseRecipientsWorkbook } = await import('./workbook-import');
    return parseRecipientsWorkbook(bytes, options);
  }
  return readRecipientText(decodeText(bytes).text, options);
}

/** A recipient file opened to be read row by row: a CSV's text, to stream; a workbook, read whole. */
export type OpenedRecipientFile = { kind: 'text'; text: string } | ({ kind: 'workbook' } & RecipientFile);

/** As readRecipientFile, but a CSV is only decoded (and refused when it is not text), not parsed. */
export async function openRecipientFile(
  bytes: Uint8Array,
  options: WorkbookOptions = {},
): Promise<OpenedRecipientFile> {
  if (fileKind(bytes) === 'xlsx') return { kind: 'workbook', ...(await readRecipientFile(bytes, options)) };
  const { text } = decodeText(bytes);
  refuseBinary(text);
  return { kind: 'text', text };
}

/** Recipients written as text (a CSV's contents); text that is not text, such as a binary file's bytes, is refused. */
export async function readRecipientText(text: string, options: WorkbookOptions = {}): Promise<RecipientFile> {
  refuseBinary(text);
  return { table: await parseRecipientsCsv(text, options), sheet: null, sheets: [] };
}

const SAMPLE_CHARS = 64 * 1024;

/**
 * A NUL never appears in text a spreadsheet or contact tool exports (UTF-16 exports are decoded before
 * this), and neither do many other control characters: either means the file is an image, a PDF, an
 * archive or another program's data, which would otherwise import as rows of noise.
 */
function refuseBinary(text: string): void {
  const nul = text.indexOf('\u0000');
  const sample = Math.min(text.length, SAMPLE_CHARS);
  let stray = 0;
  for (let i = 0; i < sample; i++) if (isStrayControl(text.charCodeAt(i))) stray++;
  if (nul === -1 && stray <= sample / 100) return;
  throw new DeskError(
    'file-not-text',
    'This file is not a text or spreadsheet file (it holds binary data' +
      (nul === -1 ? '' : `: a NUL byte on line ${lineOf(text, nul).toLocaleString('en-US')}`) +
      '). Import a CSV file, or an Excel workbook (.xlsx).',
  );
}

/**
 * Control characters no spreadsheet export writes: all below space but tab, line breaks, form feed and
 * the vertical tab (FileMaker's line break inside a cell), and DEL.
 */
function isStrayControl(code: number): boolean {
  return (code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
