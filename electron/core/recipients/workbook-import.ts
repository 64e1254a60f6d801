import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DeskError } from '../errors';
import { cellText } from './cell-text';
import { uniqueColumnNames } from './column-names';
import type { ParseOptions } from './csv-import';
import { cancelled } from './csv-import';
import { packRow, RecipientTable } from './recipient-table';

export interface WorkbookOptions extends ParseOptions {
  /** The sheet to read; by default the first one with rows under its header. */
  sheet?: string;
}

export interface WorkbookImport {
  table: RecipientTable;
  /** The sheet read. */
  sheet: string;
  /** Every sheet of the workbook, in its order. */
  sheets: string[];
}

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  id: number;
  name?: string;
}

const SLICE_BYTES = 64 * 1024;
const ROWS_PER_REPORT = 2000;

/**
 * Reads a recipient sheet from an .xlsx workbook as the CSV import reads a file: first row the header,
 * blank rows skipped, short rows padded, cells beyond the header in columns of their own. The workbook
 * is streamed, sheet by sheet and row by row, so that its XML is never held whole.
 */
export async function parseRecipientsWorkbook(
  bytes: Uint8Array,
  options: WorkbookOptions = {},
): Promise<WorkbookImport> {
  let consumed = 0;
  const input = Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
        consumed = Math.min(bytes.length, at + SLICE_BYTES);
        yield Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(SLICE_BYTES, bytes.length - at));
      }
    })(),
  );
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  let header: string[] | null = null;
  let width = 0;
  let chosen: string | null = null;
  const packed: string[] = [];
  try {
    for await (const worksheet of reader as AsyncIterable<unknown> as AsyncIterable<SheetReader>) {
      const name = worksheet.name ?? `Sheet${worksheet.id}`;
      if (options.sheet !== undefined && name !== options.sheet) continue;
      for await (const row of worksheet) {
        const values = row.values as ExcelJS.CellValue[];
        const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) =>
          cellText(values[i + 1]),
        );
        if (cells.every((c) => c.trim() === '')) continue;
        if (header === null) {
          header = cells;
          continue;
        }
        width = Math.max(width, cells.length);
        packed.push(packRow(cells));
        if (packed.length % ROWS_PER_REPORT === 0) {
          options.onProgress?.({ rows: packed.length, fraction: consumed / Math.max(1, bytes.length) });
          await new Promise(setImmediate);
          if (options.signal?.aborted) throw cancelled();
        }
      }
      if (packed.length > 0 || options.sheet !== undefined) {
        chosen = name;
        break;
      }
      // A sheet with no rows under its first one (a cover note, a title) is not the recipients.
      header = null;
      width = 0;
    }
  } catch (error) {
    if (error instanceof DeskError) throw error;
    throw new DeskError(
      'workbook-damaged',
      'The workbook cannot be read: it may be damaged. Open it in Excel and save it again, or save it as CSV.',
      error instanceof Error ? error.message : String(error),
    );
  }
  const sheets = (reader.model.sheets as { name: string }[] | undefined)?.map((s) => s.name) ?? [];
  if (options.sheet !== undefined && !sheets.includes(options.sheet)) {
    throw new DeskError(
      'unknown-sheet',
      `The workbook has no sheet named "${options.sheet}". Its sheets: ${sheets.join(', ')}.`,
    );
  }
  if (chosen === null) {
    throw new DeskError(
      'workbook-empty',
      'No sheet of the workbook has recipients: a header row with a row per recipient under it.',
    );
  }
  if (header === null) {
    throw new DeskError(
      'workbook-empty',
      `The sheet "${chosen}" is empty: it needs a header row and recipients.`,
    );
  }
  if (packed.length === 0) {
    throw new DeskError('workbook-no-rows', `The sheet "${chosen}" has a header row but no recipients.`);
  }
  options.onProgress?.({ rows: packed.length, fraction: 1 });
  return {
    table: RecipientTable.fromPacked(uniqueColumnNames(header, width), packed),
    sheet: chosen,
    sheets,
  };
}
