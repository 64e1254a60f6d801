import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecipientsCsv, type ParseOptions } from '../../electron/core/recipients/csv-import';
import { decodeText, type TextEncodingName } from '../../electron/core/recipients/decode';
import type { RecipientTable } from '../../electron/core/recipients/recipient-table';
import { deskErrorOf } from './support/desk-error';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'fixtures', 'csv');
const SPECTRUM = join(ROOT, 'node_modules', 'csv-spectrum');

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'csv-import-test-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface Parsed {
  encoding: TextEncodingName;
  columns: readonly string[];
  rows: string[][];
}

function rowsOf(table: RecipientTable): string[][] {
  return Array.from({ length: table.size }, (_, row) => table.values(row));
}

/** Reads a file from disk and imports it as the app does: decode the bytes, then parse the text. */
async function importFile(path: string, options?: ParseOptions): Promise<Parsed> {
  const { text, encoding } = decodeText(await readFile(path));
  const table = await parseRecipientsCsv(text, options);
  return { encoding, columns: table.columns, rows: rowsOf(table) };
}

function fixture(name: string): Promise<Parsed> {
  return importFile(join(FIXTURES, name));
}

async function tempFile(name: string, data: string | Uint8Array): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, data);
  return path;
}

describe('CSV import: delimiters', () => {
  const EXPECTED = (d: string) => [
    ['Ann', '+44 7911 123456', 'London'],
    [`Smith${d} Jo`, '07911 123457', 'Leeds'],
    ['Bob', '+14155552671', `Paris${d} TX`],
  ];

  it.each([
    ['delimiter-comma.csv', ','],
    ['delimiter-semicolon.csv', ';'],
    ['delimiter-tab.tsv', '\t'],
    ['delimiter-pipe.csv', '|'],
  ])('detects the delimiter of %s and keeps quoted delimiters in their cell', async (file, delimiter) => {
    const parsed = await fixture(file);
    expect(parsed.columns).toEqual(['name', 'phone', 'city']);
    expect(parsed.rows).toEqual(EXPECTED(delimiter));
  });
});

describe('CSV import: encodings', () => {
  const UNICODE_ROWS = [
    ['José', '07911 123456', 'Zürich €'],
    ['Łukasz 😀', '07911 123457', 'Kraków'],
  ];

  it('reads UTF-8 without a byte order mark', async () => {
    const parsed = await fixture('utf8.csv');
    expect(parsed).toEqual({ encoding: 'utf-8', columns: ['name', 'phone', 'city'], rows: UNICODE_ROWS });
  });

  it('reads UTF-8 with a byte order mark, which does not end up in the first column name', async () => {
    const bytes = await readFile(join(FIXTURES, 'utf8-bom.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = await fixture('utf8-bom.csv');
    expect(parsed).toEqual({ encoding: 'utf-8', columns: ['name', 'phone', 'city'], rows: UNICODE_ROWS });
  });

  it.each([
    ['utf16le-bom.txt', 'utf-16le', [0xff, 0xfe]],
    ['utf16be-bom.txt', 'utf-16be', [0xfe, 0xff]],
  ])('reads %s (Excel "Unicode text": tab-separated, CRLF) as %s', async (file, encoding, bom) => {
    const bytes = await readFile(join(FIXTURES, file));
    expect([...bytes.subarray(0, 2)]).toEqual(bom);
    const parsed = await fixture(file);
    expect(parsed).toEqual({ encoding, columns: ['name', 'phone', 'city'], rows: UNICODE_ROWS });
  });

  it.each([
    ['utf16le-nobom.txt', 'utf-16le'],
    ['utf16be-nobom.txt', 'utf-16be'],
  ])('recognizes %s, UTF-16 without a byte order mark, as %s', async (file, encoding) => {
    expect(await fixture(file)).toEqual({
      encoding,
      columns: ['name', 'phone', 'city'],
      rows: [
        ['José', '07911 123456', 'Zürich €'],
        ['Ann', '07911 123457', 'Kraków'],
      ],
    });
  });

  it('recognizes UTF-16 without a byte order mark also when a character has a zero byte', async () => {
    // 😀 is D83D DE00: in little-endian order its second unit puts a zero where ASCII has none.
    const bytes = await readFile(join(FIXTURES, 'utf16le-nobom-emoji.txt'));
    expect(bytes.indexOf(Buffer.from([0x3d, 0xd8, 0x00, 0xde])) % 2).toBe(0);
    const parsed = await fixture('utf16le-nobom-emoji.txt');
    expect(parsed).toEqual({
      encoding: 'utf-16le',
      columns: ['name', 'phone', 'city'],
      rows: UNICODE_ROWS,
    });
  });

  it('falls back to Windows-1252 and decodes é, €, – and curly quotes right', async () => {
    const bytes = await readFile(join(FIXTURES, 'windows-1252.csv'));
    // The file really holds single-byte Windows-1252 codes (0x93/0x94 quotes, 0x80 euro, 0xE9 é).
    for (const byte of [0x80, 0x92, 0x93, 0x94, 0x96, 0xe9]) expect(bytes.includes(byte)).toBe(true);
    const parsed = await fixture('windows-1252.csv');
    expect(parsed).toEqual({
      encoding: 'windows-1252',
      columns: ['name', 'phone', 'note'],
      rows: [
        ['José', '07911 123456', '\u201cSpecial\u201d offer \u2013 \u20ac5 off'],
        ['Renée', '07911 123457', 'It\u2019s 10\u20ac'],
      ],
    });
  });

  it('decodes every byte 0x80-0x9F the way Windows-1252 defines it', () => {
    // The defined code points of 0x80-0x9F; the five undefined bytes keep their C1 code point.
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f' + '\u0090‘’“”•–—˜™š›œ\u009džŸ';
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    expect(decodeText(bytes)).toEqual({ text: expected, encoding: 'windows-1252' });
  });
});

describe('CSV import: lines and quotes', () => {
  it.each([
    ['newline-lf.csv', '\n'],
    ['newline-crlf.csv', '\r\n'],
    ['newline-cr.csv', '\r'],
  ])('reads %s, keeping the line break inside a quoted cell', async (file, newline) => {
    const parsed = await fixture(file);
    expect(parsed.columns).toEqual(['name', 'phone', 'note']);
    expect(parsed.rows).toEqual([
      ['Ann', '+447911123456', `two${newline}lines`],
      ['Bob', '+447911123457', 'plain'],
    ]);
  });

  it('reads quoted cells with delimiters, doubled quotes, line breaks and blank lines inside', async () => {
    const parsed = await fixture('quoted.csv');
    expect(parsed.columns).toEqual(['name', 'phone', 'note']);
    expect(parsed.rows).toEqual([
      ['Smith, Jo', '+447911123456', 'He said "hi", then left'],
      ['Multi\r\nline "name"', '+447911123457', 'a,b\r\n\r\nc'],
      ['', '+447911123458', '"'],
      ['plain', '+447911123459', 'ends with comma,'],
    ]);
  });

  it('skips blank and whitespace-only lines, also before the header', async () => {
    const parsed = await fixture('blank-lines.csv');
    expect(parsed.columns).toEqual(['name', 'phone']);
    expect(parsed.rows).toEqual([
      ['Ann', '+447911123456'],
      ['Bob', '+447911123457'],
    ]);
  });
});

describe('CSV import: header and row shapes', () => {
  it('makes duplicate header names unique and names empty ones by position', async () => {
    const parsed = await fixture('duplicate-headers.csv');
    expect(parsed.columns).toEqual(['name', 'phone', 'name 2', 'Column 4', 'Name 3', 'Column 6']);
    expect(parsed.rows).toEqual([['A', '+447911123456', 'B', 'C', 'D', 'E']]);
  });

  it('pads short rows with empty cells and gives the cells of long rows columns of their own', async () => {
    const parsed = await fixture('ragged.csv');
    expect(parsed.columns).toEqual(['name', 'phone', 'city', 'Column 4', 'Column 5']);
    expect(parsed.rows).toEqual([
      ['Ann', '+447911123456', '', '', ''],
      ['Bob', '+447911123457', 'Paris', 'extra 1', 'extra 2'],
      ['Cy', '', '', '', ''],
    ]);
  });

  it('reads a single cell of a short row as empty', async () => {
    const table = await parseRecipientsCsv('a,b,c\n1\n1,2,3\n');
    expect(table.cell(0, 0)).toBe('1');
    expect(table.cell(0, 2)).toBe('');
    expect(table.cell(1, 2)).toBe('3');
  });
});

describe('CSV import: errors', () => {
  it.each([
    ['malformed-unterminated-line2.csv', 2, 'a quoted cell is never closed'],
    ['malformed-stray-quote-line2.csv', 2, 'a quote inside a cell is not doubled'],
    ['malformed-unterminated-line5.csv', 5, 'a quoted cell is never closed'],
    ['malformed-stray-quote-line5.csv', 5, 'a quote inside a cell is not doubled'],
    ['malformed-after-multiline.csv', 5, 'a quote inside a cell is not doubled'],
    ['malformed-crlf-blank-line5.csv', 5, 'a quoted cell is never closed'],
  ])('rejects %s as csv-malformed naming line %i', async (file, line, what) => {
    const error = await deskErrorOf(fixture(file));
    expect(error.code).toBe('csv-malformed');
    expect(error.message).toContain(`on line ${line},`);
    expect(error.message).toContain(what);
  });

  it('names the right line of a malformed row far into a large file', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `Person ${i},+4479${String(i).padStart(8, '0')}`);
    const path = await tempFile(
      'late-error.csv',
      ['name,phone', ...rows, '"Bad,+447900000000', 'x,y'].join('\n'),
    );
    const error = await deskErrorOf(importFile(path));
    expect(error.code).toBe('csv-malformed');
    expect(error.message).toContain('on line 60002,');
  });

  it('rejects an empty file as csv-empty', async () => {
    expect((await deskErrorOf(fixture('empty.csv'))).code).toBe('csv-empty');
    expect((await deskErrorOf(fixture('whitespace-only.csv'))).code).toBe('csv-empty');
  });

  it('rejects a header without rows as csv-no-rows', async () => {
    expect((await deskErrorOf(fixture('header-only.csv'))).code).toBe('csv-no-rows');
  });
});

describe('CSV import: progress and cancel', () => {
  let large: string;
  let largeRows: number;

  beforeAll(async () => {
    largeRows = 200_000;
    const lines = ['name,phone,city'];
    for (let i = 0; i < largeRows; i++) lines.push(`Person ${i},+4479${String(i).padStart(8, '0')},Leeds`);
    large = await tempFile('large.csv', lines.join('\r\n') + '\r\n');
  });

  it('reports progress several times, never going back, ending at 1 with every row', async () => {
    const progress: { rows: number; fraction: number }[] = [];
    const parsed = await importFile(large, { onProgress: (p) => progress.push({ ...p }) });
    expect(parsed.rows).toHaveLength(largeRows);
    expect(parsed.rows[largeRows - 1]).toEqual([`Person ${largeRows - 1}`, '+447900199999', 'Leeds']);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]?.fraction).toBeGreaterThanOrEqual(progress[i - 1]?.fraction as number);
      expect(progress[i]?.rows).toBeGreaterThanOrEqual(progress[i - 1]?.rows as number);
    }
    expect(progress[0]?.fraction).toBeGreaterThan(0);
    expect(progress[0]?.fraction).toBeLessThan(1);
    expect(progress.at(-1)).toEqual({ rows: largeRows, fraction: 1 });
  });

  it('stops with import-cancelled when the signal is aborted after the first progress report', async () => {
    const abort = new AbortController();
    let reports = 0;
    const error = await deskErrorOf(
      importFile(large, {
        signal: abort.signal,
        onProgress: () => {
          reports++;
          abort.abort();
        },
      }),
    );
    expect(error.code).toBe('import-cancelled');
    expect(reports).toBe(1);
  });
});

describe('CSV import: the csv-spectrum cases', () => {
  const csvs = readdirSync(join(SPECTRUM, 'csvs')).filter((f) => f.endsWith('.csv'));
  /**
   * The spectrum's location_coordinates.json gives a phone number that is not the one in its CSV
   * (2095257564); the CSV is the input, so its own cell is expected.
   */
  const ERRATA: Record<string, Record<string, string>> = {
    location_coordinates: { 'Contact Phone Number': '2095257564' },
  };

  it('has the cases this test expects', () => {
    expect(csvs.length).toBeGreaterThanOrEqual(12);
  });

  it.each(csvs)('reads %s as its JSON says', async (file) => {
    const name = basename(file, '.csv');
    const json = JSON.parse(await readFile(join(SPECTRUM, 'json', `${name}.json`), 'utf8')) as
      Record<string, string> | Record<string, string>[];
    // One case gives a single object instead of an array of one.
    const expected = (Array.isArray(json) ? json : [json]).map((row) => ({ ...row, ...ERRATA[name] }));
    const parsed = await importFile(join(SPECTRUM, 'csvs', file));
    expect(parsed.columns).toEqual(Object.keys(expected[0] as object));
    expect(
      parsed.rows.map((cells) => Object.fromEntries(parsed.columns.map((c, i) => [c, cells[i]]))),
    ).toEqual(expected);
  });
});
