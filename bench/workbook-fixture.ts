import { existsSync, readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { recipientsFixture } from './recipients-fixture';

/**
 * Writes (once) the recipients of `recipientsFixture(rows)` as an .xlsx workbook the way Excel saves one:
 * text in shared strings, amounts stored as numbers, and a second sheet before the recipients.
 */
export async function workbookFixture(rows: number): Promise<string> {
  const path = `.bench/recipients-${rows}.xlsx`;
  if (existsSync(path) && statSync(path).size > 0) return path;
  const csv = Papa.parse<string[]>(readFileSync(await recipientsFixture(rows), 'utf8'), {
    skipEmptyLines: true,
  });
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  writer.addWorksheet('Read me').addRow(['Recipients are on the next sheet.']).commit();
  const sheet = writer.addWorksheet('Recipients');
  const [header, ...body] = csv.data;
  sheet.addRow(header).commit();
  for (const cells of body) sheet.addRow([...cells.slice(0, 6), Number(cells[6])]).commit();
  sheet.commit();
  await writer.commit();
  return path;
}
