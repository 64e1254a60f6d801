import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell(['--failure-share', '0']);
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

// The browser's zone is the user's: the workbook's times are written in it.
test.use({ timezoneId: 'Asia/Tokyo' });

/** A shop's own file: its own Status and Code, a hostile name, phone numbers as people type them. */
const RECIPIENTS = [
  'name,phone,Status,Code',
  '"=HYPERLINK(""http://evil.example"",""win"")",+44 7400 123456,VIP,A1',
  'Ann,+1 (415) 555-0101,,007',
  'Bob,+14155550102,VIP,',
  'Nobody,12,,',
].join('\n');

test('a sent campaign’s report downloads as CSV and as an Excel workbook, each as the shop would read it', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'shop.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(RECIPIENTS),
  });
  await expect(page.getByTestId('file-summary')).toContainText('4 rows');
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await sendCampaign(page);
  await expect(page.getByTestId('send-state')).toHaveText('Finished.', { timeout: 20_000 });
  await expect(page.getByTestId('dash-delivered')).toHaveText('3', { timeout: 20_000 });

  const exports = page.getByRole('group', { name: 'Export report' });
  await expect(exports).toBeVisible();

  const csvDownload = page.waitForEvent('download');
  await exports.getByRole('button', { name: 'Export report as CSV' }).click();
  const csvFile = await csvDownload;
  expect(csvFile.suggestedFilename()).toBe('shop-report.csv');
  const csv = readFileSync(await csvFile.path(), 'utf8');
  const [header, ...rows] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
  expect(header?.slice(0, 11)).toEqual([
    'name',
    'phone',
    'Status',
    'Code',
    'cd_number',
    'cd_message',
    'cd_segments',
    'cd_status',
    'cd_status_text',
    'cd_code',
    'cd_description',
  ]);
  // The shop's own cells come back as they went in, but for the formula.
  expect(rows.map((r) => r.slice(0, 4))).toEqual([
    [`'=HYPERLINK("http://evil.example","win")`, '+44 7400 123456', 'VIP', 'A1'],
    ['Ann', '+1 (415) 555-0101', '', '007'],
    ['Bob', '+14155550102', 'VIP', ''],
    ['Nobody', '12', '', ''],
  ]);
  expect(rows.map((r) => r[8])).toEqual(['Delivered', 'Delivered', 'Delivered', 'Skipped: invalid number']);

  const xlsxDownload = page.waitForEvent('download');
  await exports.getByRole('button', { name: 'Export report as Excel (.xlsx)' }).click();
  const xlsxFile = await xlsxDownload;
  expect(xlsxFile.suggestedFilename()).toBe('shop-report.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await xlsxFile.path());
  const sheet = workbook.getWorksheet('Report');
  expect(sheet?.rowCount).toBe(5);
  const names = (sheet?.getRow(1).values as ExcelJS.CellValue[]).slice(1);
  const cell = (row: number, name: string) => {
    expect(names).toContain(name);
    return sheet?.getRow(row).getCell(names.indexOf(name) + 1);
  };
  expect(cell(2, 'name')?.value).toBe('=HYPERLINK("http://evil.example","win")');
  expect(cell(2, 'name')?.formula).toBeUndefined();
  expect(cell(2, 'phone')?.value).toBe('+44 7400 123456');
  expect(cell(3, 'Code')?.value).toBe('007');
  expect(cell(2, 'cd_number')?.value).toBe('+447400123456');
  expect(cell(2, 'cd_segments')?.value).toBe(1);
  expect(cell(5, 'cd_status_text')?.value).toBe('Skipped: invalid number');
  // Tokyo is 9 hours ahead of UTC all year: the workbook shows Tokyo's wall clock, as the CSV's UTC time shows.
  const sent = cell(2, 'cd_sent_at (Asia/Tokyo)');
  expect(sent?.type).toBe(ExcelJS.ValueType.Date);
  const utc = Date.parse(rows[0]?.[header?.indexOf('cd_sent_at') ?? -1] ?? '');
  expect((sent?.value as Date).getTime()).toBe(utc + 9 * 3600_000);
});
