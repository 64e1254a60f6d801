import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

const ROWS = 20;

let shell: RunningShell;

test.beforeAll(async () => {
  // Half the Sandbox's messages fail: the dashboard has both outcomes to show.
  shell = await startShell(['--failure-share', '0.5']);
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

function recipients(): Buffer {
  const lines = ['name,phone'];
  for (let i = 0; i < ROWS; i++) lines.push(`Person ${i},+1 415 555 ${String(200 + i).padStart(4, '0')}`);
  return Buffer.from(lines.join('\n'));
}

const number = async (text: Promise<string | null>) => Number((await text)?.replace(/[^\d]/g, ''));

test('a sent campaign shows its delivery figures, chart, a row’s reports, and exports its report', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: recipients(),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${ROWS} rows`);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await expect(page.getByRole('region', { name: 'Delivery reports' })).toHaveCount(0);
  await sendCampaign(page);

  // The figures follow the reports until every row has its final one.
  const dashboard = page.getByRole('region', { name: 'Delivery reports' });
  await expect(dashboard).toBeVisible();
  await expect(page.getByTestId('dash-sent')).toHaveText(String(ROWS));
  await expect(async () => {
    const delivered = await number(page.getByTestId('dash-delivered').textContent());
    const failed = await number(page.getByTestId('dash-failed').textContent());
    expect(delivered + failed).toBe(ROWS);
  }).toPass({ timeout: 20_000 });
  const delivered = await number(page.getByTestId('dash-delivered').textContent());
  const failed = ROWS - delivered;
  expect(delivered).toBeGreaterThan(0);
  expect(failed).toBeGreaterThan(0);
  await expect(page.getByTestId('dash-rate')).toHaveText(`${((delivered / ROWS) * 100).toFixed(1)}%`);
  await expect(page.getByTestId('dash-median')).toHaveText(/^\d+(\.\d)? s$/);
  await expect(page.getByTestId('dash-count-delivered')).toHaveText(`delivered ${delivered}`);

  // The chart: titled, described, drawn.
  const chart = page.getByRole('figure', { name: 'Delivery over time' });
  await expect(chart).toBeVisible();
  // The chart's surface takes keys (recharts' accessibility layer) and says what it shows.
  const surface = chart.getByRole('application');
  await expect(surface).toHaveAttribute(
    'aria-label',
    new RegExp(
      `^Final delivery reports per (second|\\d+ seconds|minute): ${delivered} delivered, ${failed} failed, over \\d+ intervals?\\.$`,
    ),
  );
  await expect(surface.locator('title')).toHaveText('Delivery over time');
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();

  // Failures by code, each with the documented meaning, adding up to the failed rows.
  const failures = page.getByRole('table', { name: 'Failures by code' });
  await expect(failures).toBeVisible();
  const counts = await failures.locator('tbody tr td:last-child').allTextContents();
  expect(counts.reduce((sum, c) => sum + Number(c), 0)).toBe(failed);
  await expect(failures.locator('tbody tr').first()).toContainText(
    /72\d\d(Unknown subscriber|Out of coverage|SIM full|Failed at operator)/,
  );

  // A delivered row's details: code and meaning, carrier, times and both reports.
  const statuses = await Promise.all(
    Array.from({ length: ROWS }, (_, i) => page.getByTestId(`status-${i}`).textContent()),
  );
  const row = statuses.indexOf('delivered');
  await expect(page.getByTestId(`delivered-at-${row}`)).not.toBeEmpty();
  await page.getByTestId(`row-${row}`).click();
  const details = page.getByRole('dialog', { name: `Row ${row + 1}` });
  await expect(details).toBeVisible();
  await expect(details.getByTestId('row-msisdn')).toHaveText(`+1415555${String(200 + row).padStart(4, '0')}`);
  await expect(details.getByTestId('row-status')).toHaveText('delivered');
  await expect(details.getByTestId('row-code')).toHaveText('7500 · Delivered');
  await expect(details.getByTestId('row-carrier')).toHaveText('SIMTEL');
  await expect(details.getByTestId('row-time-to-deliver')).toHaveText(/^\d+(\.\d)? s$/);
  await expect(details.getByTestId('row-delivered-at')).not.toHaveText('—');
  const history = details.getByRole('table', { name: 'Delivery reports' });
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history.locator('tbody tr').nth(0)).toContainText('submitted');
  await expect(history.locator('tbody tr').nth(0)).toContainText('7501 · Submitted');
  await expect(history.locator('tbody tr').nth(1)).toContainText('delivered');
  await expect(history.locator('tbody tr').nth(1)).toContainText('SIMTEL');
  await expect(details.getByRole('heading', { name: 'Replies' })).toBeVisible();
  await expect(details).toContainText('No reply from this number.');
  await details.getByRole('button', { name: 'Close' }).click();
  await expect(details).toBeHidden();

  // The report: one byte order mark, the original columns and the delivery columns.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report as CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('people-report.csv');
  const file = readFileSync(await download.path(), 'utf8');
  expect(file.startsWith('\uFEFF')).toBe(true);
  expect(file.startsWith('\uFEFF\uFEFF')).toBe(false);
  const [header, ...rows] = Papa.parse<string[]>(file.slice(1), { skipEmptyLines: true }).data;
  expect(header).toEqual([
    'name',
    'phone',
    'cd_number',
    'cd_message',
    'cd_segments',
    'cd_status',
    'cd_status_text',
    'cd_code',
    'cd_description',
    'cd_transid',
    'cd_sent_at',
    'cd_delivered_at',
    'cd_settled_by',
  ]);
  expect(rows).toHaveLength(ROWS);
  expect(rows[row]?.slice(0, 7)).toEqual([
    `Person ${row}`,
    `+1 415 555 ${String(200 + row).padStart(4, '0')}`,
    `+1415555${String(200 + row).padStart(4, '0')}`,
    `Hi Person ${row}`,
    '1',
    'delivered',
    'Delivered',
  ]);
  expect(rows.filter((r) => r[5] === 'delivered')).toHaveLength(delivered);
});
