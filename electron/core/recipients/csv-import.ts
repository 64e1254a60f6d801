import Papa from 'papaparse';
import { DeskError } from '../errors';
import { uniqueColumnNames } from './column-names';
import { packRow, RecipientTable } from './recipient-table';

export interface ParseProgress {
  rows: number;
  /** 0..1 of the text parsed. */
  fraction: number;
}

export interface ParseOptions {
  onProgress?: (progress: ParseProgress) => void;
  signal?: AbortSignal;
}

const CHUNK_CHARS = 256 * 1024;

/**
 * Parses a recipient CSV (first line the header; delimiter `,` `;` tab or `|` detected; CRLF, LF or CR;
 * blank lines skipped) in slices, yielding to the event loop between them so that progress can be
 * reported and the import cancelled. Short rows read as padded; cells beyond the header get columns of
 * their own, so no cell is dropped.
 */
export function parseRecipientsCsv(text: string, options: ParseOptions = {}): Promise<RecipientTable> {
  const body = text.replace(/^\uFEFF/, '');
  return new Promise((resolve, reject) => {
    let header: string[] | null = null;
    let width = 0;
    const packed: string[] = [];
    let chunkStart = 0;
    let settled = false;
    const fail = (error: unknown, parser?: Papa.Parser) => {
      if (settled) return;
      settled = true;
      parser?.abort();
      reject(error);
    };
    Papa.parse<string[]>(body, {
      skipEmptyLines: 'greedy',
      delimitersToGuess: [',', ';', '\t', '|'],
      chunkSize: CHUNK_CHARS,
      chunk: (result: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        const quoteError = result.errors.find((e: Papa.ParseError) => e.type === 'Quotes');
        if (quoteError) {
          return fail(malformed(body, chunkStart + (quoteError.index ?? 0), quoteError.code), parser);
        }
        for (const cells of result.data) {
          if (header === null) {
            header = cells;
            continue;
          }
          width = Math.max(width, cells.length);
          packed.push(packRow(cells));
        }
        chunkStart = result.meta.cursor;
        options.onProgress?.({ rows: packed.length, fraction: body.length ? chunkStart / body.length : 1 });
        parser.pause();
        setImmediate(() => {
          if (options.signal?.aborted) fail(cancelled(), parser);
          else parser.resume();
        });
      },
      complete: () => {
        if (settled) return;
        settled = true;
        if (header === null) {
          return reject(
            new DeskError('csv-empty', 'The file is empty: it needs a header line and recipients.'),
          );
        }
        if (packed.length === 0) {
          return reject(new DeskError('csv-no-rows', 'The file has a header line but no recipients.'));
        }
        const columns = uniqueColumnNames(header, width);
        resolve(RecipientTable.fromPacked(columns, packed));
      },
      error: (error: Error) =>
        fail(
          new DeskError(
            'csv-unreadable',
            'The file cannot be read as a list of recipients. Open it in a spreadsheet and save it again as CSV.',
            error.message,
          ),
        ),
    });
  });
}

export function cancelled(): DeskError {
  return new DeskError('import-cancelled', 'The import was cancelled.');
}

function malformed(text: string, position: number, code: string): DeskError {
  const line = lineAt(text, position);
  const what =
    code === 'MissingQuotes'
      ? 'a quoted cell is never closed'
      : 'a quote inside a cell is not doubled (inside quotes, write "" for one ")';
  return new DeskError('csv-malformed', `The file is not valid CSV: on line ${line}, ${what}.`);
}

/** 1-based line of the row that starts after `position` (papaparse points at the break before a bad row). */
function lineAt(text: string, position: number): number {
  const before = text.slice(0, position + 1);
  return (before.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}
