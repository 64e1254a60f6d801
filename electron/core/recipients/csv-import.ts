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

/** Where a streamed parse hands its rows: the header first, then the rows in slices, in file order. */
export interface CsvRowSink {
  header(cells: string[]): void;
  /** The next slice of rows; the parse waits while the promise returned is pending. */
  rows(rows: string[][]): void | Promise<void>;
}

/** What a streamed parse saw: the header, how many rows came under it, and the widest row's cells. */
export interface CsvShape {
  header: string[];
  rows: number;
  width: number;
}

const CHUNK_CHARS = 256 * 1024;

/**
 * Parses a recipient CSV (first line the header; delimiter `,` `;` tab or `|` detected; CRLF, LF or CR;
 * blank lines skipped) into a table. Short rows read as padded; cells beyond the header get columns of
 * their own, so no cell is dropped.
 */
export async function parseRecipientsCsv(text: string, options: ParseOptions = {}): Promise<RecipientTable> {
  const packed: string[] = [];
  const shape = await streamRecipientsCsv(
    text,
    {
      header: () => {},
      rows: (rows) => {
        for (const cells of rows) packed.push(packRow(cells));
      },
    },
    options,
  );
  return RecipientTable.fromPacked(uniqueColumnNames(shape.header, shape.width), packed);
}

/**
 * Parses a recipient CSV as parseRecipientsCsv does, handing its rows to `sink` slice by slice instead of
 * keeping them, and yielding to the event loop between slices so that progress can be reported and the
 * parse cancelled. The errors are parseRecipientsCsv's; a quote error is found when the parse reaches it.
 */
export function streamRecipientsCsv(
  text: string,
  sink: CsvRowSink,
  options: ParseOptions = {},
): Promise<CsvShape> {
  const body = text.replace(/^\uFEFF/, '');
  return new Promise((resolve, reject) => {
    let header: string[] | null = null;
    let width = 0;
    let rows = 0;
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
        let data = result.data;
        if (header === null && data.length > 0) {
          header = data[0] as string[];
          sink.header(header);
          data = data.slice(1);
        }
        for (const cells of data) if (cells.length > width) width = cells.length;
        rows += data.length;
        chunkStart = result.meta.cursor;
        parser.pause();
        const resume = () => {
          options.onProgress?.({ rows, fraction: body.length ? chunkStart / body.length : 1 });
          setImmediate(() => {
            if (options.signal?.aborted) fail(cancelled(), parser);
            else parser.resume();
          });
        };
        try {
          const taken = data.length > 0 ? sink.rows(data) : undefined;
          if (taken) taken.then(resume, (error: unknown) => fail(error, parser));
          else resume();
        } catch (error) {
          fail(error, parser);
        }
      },
      complete: () => {
        if (settled) return;
        settled = true;
        if (header === null) {
          return reject(
            new DeskError('csv-empty', 'The file is empty: it needs a header line and recipients.'),
          );
        }
        if (rows === 0) {
          return reject(new DeskError('csv-no-rows', 'The file has a header line but no recipients.'));
        }
        resolve({ header, rows, width });
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
