import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fileKind } from '../../electron/core/recipients/file-kind';
import { parseRecipientsWorkbook } from '../../electron/core/recipients/workbook-import';
import { deskErrorOf } from './support/desk-error';

/** A workbook as Excel saves it: shared strings, styles with number formats, cached formula results. */
async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function rows(table: { size: number; values: (row: number) => string[] }): string[][] {
  return Array.from({ length: table.size }, (_, i) => table.values(i));
}

const customers = (wb: ExcelJS.Workbook) => {
  wb.addWorksheet('Notes').addRow(['The recipients are on the next sheet.']);
  const sheet = wb.addWorksheet('Customers');
  sheet.addRow(['name', 'phone', 'joined', 'double', 'vip', 'note', 'lookup', 'name', '']);
  sheet.addRow([
    'Ann',
    447400123456,
    new Date(Date.UTC(2024, 2, 5)),
    { formula: 'B2*2', result: 894800246912 },
    true,
    { richText: [{ text: 'Call ' }, { font: { bold: true }, text: 'after 6' }] },
    { error: '#N/A' },
    'Ann B',
  ]);
  sheet.getCell('C2').numFmt = 'dd/mm/yyyy';
  sheet.addRow([
    'Bob',
    7.474e11,
    new Date(Date.UTC(2024, 11, 31, 13, 45)),
    { formula: 'A3&"!"', result: 'Bob!' },
    false,
    12.5,
    0.1 + 0.2,
  ]);
  sheet.getCell('B3').numFmt = '0.000E+00';
  sheet.getCell('C3').numFmt = 'yyyy-mm-dd hh:mm';
  sheet.addRow([]);
  sheet.addRow(['Cy']);
  sheet.addRow(['Di', 15551234567, null, null, null, null, null, null, null, 'extra']);
};

describe('workbook import', () => {
  it('reads cells as a CSV export would hold them, from the first sheet with data', async () => {
    const bytes = await workbook(customers);
    expect(fileKind(bytes)).toBe('xlsx');
    const { table, sheet, sheets } = await parseRecipientsWorkbook(bytes);
    expect(sheets).toEqual(['Notes', 'Customers']);
    expect(sheet).toBe('Customers');
    expect(table.columns).toEqual([
      'name',
      'phone',
      'joined',
      'double',
      'vip',
      'note',
      'lookup',
      'name 2',
      'Column 9',
      'Column 10',
    ]);
    expect(rows(table)).toEqual([
      ['Ann', '447400123456', '2024-03-05', '894800246912', 'TRUE', 'Call after 6', '', 'Ann B', '', ''],
      ['Bob', '747400000000', '2024-12-31 13:45', 'Bob!', 'FALSE', '12.5', '0.3', '', '', ''],
      ['Cy', '', '', '', '', '', '', '', '', ''],
      ['Di', '15551234567', '', '', '', '', '', '', '', 'extra'],
    ]);
  });

  it('imports the sheet asked for, and refuses one the workbook does not have', async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('UK').addRows([['phone'], [447400123456]]);
      wb.addWorksheet('US').addRows([['phone'], [14155552671], [14155552672]]);
    });
    const us = await parseRecipientsWorkbook(bytes, { sheet: 'US' });
    expect([us.sheet, us.table.size, us.sheets]).toEqual(['US', 2, ['UK', 'US']]);
    const error = await deskErrorOf(parseRecipientsWorkbook(bytes, { sheet: 'FR' }));
    expect(error.code).toBe('unknown-sheet');
    expect(error.message).toBe('The workbook has no sheet named "FR". Its sheets: UK, US.');
  });

  it('reports progress and can be cancelled', async () => {
    const bytes = await workbook((wb) => {
      const sheet = wb.addWorksheet('Big');
      sheet.addRow(['phone']);
      for (let i = 0; i < 10_000; i++) sheet.addRow([447400000000 + i]);
    });
    const abort = new AbortController();
    const seen: number[] = [];
    const error = await deskErrorOf(
      parseRecipientsWorkbook(bytes, {
        signal: abort.signal,
        onProgress: (p) => {
          seen.push(p.rows);
          abort.abort();
        },
      }),
    );
    expect(error.code).toBe('import-cancelled');
    expect(seen).toEqual([2000]);
  });

  it('refuses a truncated workbook, a ZIP that is no workbook and an .ods, saying which', async () => {
    const bytes = await workbook(customers);
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    expect(() => fileKind(truncated)).toThrow(
      expect.objectContaining({
        code: 'workbook-damaged',
        message: expect.stringContaining('its end is missing'),
      }),
    );
    const zip = await workbook(() => undefined);
    const notWorkbook = Buffer.from(
      Buffer.from(zip).toString('latin1').replaceAll('xl/workbook.xml', 'xl/notebook.xml'),
      'latin1',
    );
    expect(() => fileKind(notWorkbook)).toThrow(expect.objectContaining({ code: 'workbook-unsupported' }));
    const ods = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(34),
      Buffer.from('application/vnd.oasis.opendocument.spreadsheet'),
    ]);
    expect(() => fileKind(ods)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('(.ods)') }),
    );
    expect(fileKind(new TextEncoder().encode('name,phone\nAnn,+447400123456\n'))).toBe('text');
  });

  it('refuses a workbook whose sheet data is damaged', async () => {
    const bytes = Buffer.from(await workbook(customers));
    // Corrupt the compressed data of every entry but keep the archive's structure.
    const damaged = Buffer.from(bytes);
    for (let i = 200; i < damaged.length - 400; i += 7) damaged[i] = damaged[i]! ^ 0x5a;
    const error = await deskErrorOf(parseRecipientsWorkbook(damaged));
    expect(error.code).toBe('workbook-damaged');
  });
});
