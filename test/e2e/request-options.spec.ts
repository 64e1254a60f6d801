import { expect, test } from '@playwright/test';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell();
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

test('a priority, a DLT template ID and an expiry set in the composer show in the request preview', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,phone\nAnn,+1 415 555 0101\nBob,+1 415 555 0102'),
  });
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Priority').selectOption('3');
  await page.getByLabel('DLT template ID').fill('1107160000000000000');
  await page.getByLabel('Expiry (your local time)').fill('2099-01-31T18:00:00');
  // The input is in local time; the UTC time it is sent as is shown beside it.
  const utc = await page.evaluate(() => new Date('2099-01-31T18:00:00').toISOString());
  await expect(page.getByTestId('expiry-utc')).toHaveText(utc);

  await page.getByTestId('row-1').click();
  await page.getByText('Request that will be sent').click();
  const request = page.getByTestId('request-preview');
  await expect(request).toContainText('"priority": "3"');
  await expect(request).toContainText('"dlt_templateid": "1107160000000000000"');
  await expect(request).toContainText(`"expiry": "${utc}"`);
  await expect(request).toContainText('"text": "Hi Bob"');
  await expect(request).toContainText('key: ••••');
  await expect(page.getByTestId('request-problem')).toHaveCount(0);
});
