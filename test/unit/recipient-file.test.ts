import { deflateSync, gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readRecipientFile } from '../../electron/core/recipients/recipient-file';

const CSV = 'Name,Mobile\nAnn,+44 7911 123456\nBob,+44 7911 123457\n';

/** A deterministic byte stream (xorshift), so that a failure can be replayed. */
function noise(length: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  // The CRC is not checked by the import; a zero keeps the bytes as a PNG writer lays them out.
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

/** A 16×16 grey PNG, laid out as image tools write one. */
function png(): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const scanlines = Buffer.alloc(16 * 17, 0x80);
  for (let y = 0; y < 16; y++) scanlines[y * 17] = 0; // filter byte of each line
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a compressed content stream, as PDF writers produce. */
function pdf(): Uint8Array {
  const stream = deflateSync(Buffer.from('BT /F1 12 Tf 72 712 Td (Customer list) Tj ET\n'.repeat(200)));
  return Buffer.concat([
    Buffer.from(
      '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length ' +
        stream.length +
        ' /Filter /FlateDecode >>\nstream\n',
      'latin1',
    ),
    stream,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 2 0 R >>\n%%EOF\n', 'latin1'),
  ]);
}

const NOT_TEXT =
  /^This file is not a text or spreadsheet file \(it holds binary data.*\)\. Import a CSV file, or an Excel workbook \(\.xlsx\)\.$/;

describe('a file that is not text', () => {
  it.each([
    ['random bytes', noise(80_000)],
    ['a PNG image', png()],
    ['a PDF document', pdf()],
    ['a gzip-compressed CSV', gzipSync(Buffer.from(CSV.repeat(500)))],
  ])('is refused, saying so: %s', async (_name, bytes) => {
    await expect(readRecipientFile(bytes)).rejects.toThrow(NOT_TEXT);
  });

  it('names the line of the first NUL byte', async () => {
    const bytes = Buffer.from(`${CSV}Cy,+44 7911 1234\u000058\n`);
    await expect(readRecipientFile(bytes)).rejects.toThrow('(it holds binary data: a NUL byte on line 4)');
  });
});

describe('text exports are read, whatever they hold', () => {
  it('reads UTF-16 "Unicode text" from Excel, whose bytes are half zeros', async () => {
    const text = CSV.replaceAll(',', '\t').replaceAll('\n', '\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { table } = await readRecipientFile(bytes);
    expect(table.columns).toEqual(['Name', 'Mobile']);
    expect(table.size).toBe(2);
  });

  it('reads a FileMaker export, whose line breaks inside a cell are vertical tabs', async () => {
    const bytes = Buffer.from('Name,Mobile,Address\nAnn,+44 7911 123456,"1 High St\u000bLeeds"\n');
    const { table } = await readRecipientFile(bytes);
    expect(table.values(0)[2]).toBe('1 High St\u000bLeeds');
  });

  it('reads an .xlsx workbook, a ZIP full of binary, as the workbook it is', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Customers');
    sheet.addRow(['Name', 'Mobile']);
    sheet.addRow(['Ann', '+44 7911 123456']);
    const { table, sheet: read } = await readRecipientFile(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(read).toBe('Customers');
    expect(table.values(0)).toEqual(['Ann', '+44 7911 123456']);
  });
});
