import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const RECIPIENTS_CSV = fixture('recipients.csv');
const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

/** test/fixtures/recipients.csv as the core should read it with the default country US. */
const RECIPIENTS = [
  { name: 'Ann', phone: '+1 415 555 0101', msisdn: '+14155550101', skipped: null },
  { name: 'Bob', phone: '(415) 555-0102', msisdn: '+14155550102', skipped: null },
  { name: 'Cara', phone: '+44 7911 123456', msisdn: '+447911123456', skipped: null },
  {
    name: 'Dev',
    phone: '12345',
    msisdn: null,
    skipped: { reason: 'invalid-number', label: 'invalid number' },
  },
  { name: 'Eve', phone: '415-555-0104', msisdn: '+14155550104', skipped: null },
  {
    name: 'Finn',
    phone: '+1 (415) 555-0101',
    msisdn: '+14155550101',
    skipped: { reason: 'duplicate', label: 'duplicate number' },
  },
];
const SENDABLE = RECIPIENTS.flatMap((r, i) => (r.skipped ? [] : [i]));

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell(['--failure-share', '0']);
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

async function importRecipients(page: Page): Promise<void> {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles(RECIPIENTS_CSV);
  await expect(page.getByTestId('file-summary')).toContainText('recipients.csv · 6 rows');
}

test('a newcomer imports, personalizes, sends and exports a campaign', async ({ page }) => {
  await importRecipients(page);
  await expect(page.getByTestId('file-summary')).toHaveText(
    'recipients.csv · 6 rows · 3 columns: name, phone, city',
  );
  const phoneColumn = page.getByLabel('Phone column');
  await expect(phoneColumn).toHaveValue('1');
  await expect(phoneColumn.locator('option:checked')).toHaveText('phone');
  await expect(page.getByLabel('Default country')).toHaveValue('US');
  await expect(page.getByLabel('Service', { exact: true }).locator('option:checked')).toHaveText(
    'Sandbox (built-in simulator)',
  );
  const problem = page.getByTestId('problem');
  const send = page.getByRole('button', { name: 'Send campaign' });
  await expect(problem).toHaveText('Write the message.');
  await expect(send).toBeDisabled();

  const message = page.getByLabel('Message', { exact: true });
  await message.pressSequentially('Hi ');
  await page.getByRole('button', { name: '$(name)', exact: true }).click();
  await message.press('End');
  await message.pressSequentially(', your order is ready.');
  await expect(message).toHaveValue('Hi $(name), your order is ready.');

  // The table shows what the core rendered for each row, and why rows will be skipped.
  for (const [i, r] of RECIPIENTS.entries()) {
    await expect(page.getByTestId(`message-${i}`)).toHaveText(`Hi ${r.name}, your order is ready.`);
    await expect(page.getByTestId(`msisdn-${i}`)).toHaveText(r.msisdn ?? '—');
    await expect(page.getByTestId(`status-${i}`)).toHaveText(r.skipped ? 'skipped' : 'ready');
    if (r.skipped) await expect(page.getByTestId(`detail-${i}`)).toHaveText(r.skipped.label);
  }
  await expect(page.getByTestId('totals')).toContainText('Whole campaign: 4 segments');

  await page.getByTestId('row-2').click();
  await expect(page.getByTestId('preview-bubble')).toHaveText('Hi Cara, your order is ready.');
  await expect(page.getByTestId('row-stats')).toContainText('Row 3: 29 characters · GSM-7 · 1 segment');

  await expect(problem).toHaveText('Enter the sender ID.');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByRole('figure', { name: 'Message preview' })).toContainText('ACME');
  await expect(send).toBeEnabled();
  await expect(problem).toBeEmpty();
  await sendCampaign(page);

  for (const i of SENDABLE) await expect(page.getByTestId(`status-${i}`)).toHaveText('delivered');
  for (const [i, r] of RECIPIENTS.entries()) {
    if (r.skipped) await expect(page.getByTestId(`status-${i}`)).toHaveText('skipped');
  }
  await expect(page.getByTestId('sent-progress')).toHaveText('4 of 4 messages sent');
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 4');
  await expect(page.getByTestId('count-skipped')).toHaveText('skipped 2');
  await expect(page.getByTestId('send-state')).toHaveText('Finished.');
  await expect(message).toBeDisabled();
  // The dashboard follows the reports (throttled): it settles on the same figures.
  await expect(page.getByTestId('dash-delivered')).toHaveText('4');
  await expect(page.getByTestId('dash-rate')).toHaveText('100.0%');
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report as CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('recipients-report.csv');
  const file = readFileSync(await download.path(), 'utf8');
  expect(file.startsWith('\uFEFF')).toBe(true);
  expect(file.startsWith('\uFEFF\uFEFF')).toBe(false);
  const [header, ...rows] = Papa.parse<string[]>(file.slice(1), { skipEmptyLines: true }).data;
  expect(header).toEqual([
    'name',
    'phone',
    'city',
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
  expect(rows).toHaveLength(RECIPIENTS.length);
  for (const [i, r] of RECIPIENTS.entries()) {
    const row = Object.fromEntries((header ?? []).map((column, c) => [column, rows[i]?.[c]]));
    // Phone numbers are written as they were imported: a number runs no formula.
    expect(row).toMatchObject({
      name: r.name,
      phone: r.phone,
      cd_number: r.msisdn ?? '',
      cd_message: `Hi ${r.name}, your order is ready.`,
      cd_status: r.skipped ? `skipped: ${r.skipped.reason}` : 'delivered',
    });
    if (r.skipped) expect(row.cd_transid).toBe('');
    else {
      expect(row.cd_transid).not.toBe('');
      expect(Date.parse(row.cd_sent_at ?? '')).not.toBeNaN();
      expect(Date.parse(row.cd_delivered_at ?? '')).not.toBeNaN();
    }
  }

  // The campaign can be reopened from the history, as sent.
  await page.getByRole('button', { name: 'New campaign' }).click();
  await expect(page.getByTestId('drop-zone')).toBeVisible();
  await page.getByRole('tab', { name: 'History' }).click();
  const past = page.getByRole('listitem').filter({ hasText: 'completed' });
  await expect(past).toContainText('recipients.csv · 6 rows');
  const figures = past.getByLabel('Figures of recipients');
  await expect(figures).toContainText('Sent4');
  await expect(figures).toContainText('4 delivered');
  await expect(figures).toContainText('Failed0');
  await expect(figures).toContainText('Delivery rate100.0%');
  const exporting = page.waitForEvent('download');
  await past.getByRole('button', { name: 'Export report of recipients as CSV' }).click();
  expect((await exporting).suggestedFilename()).toBe('recipients-report.csv');
  const workbook = page.waitForEvent('download');
  await past.getByRole('button', { name: 'Export report of recipients as Excel (.xlsx)' }).click();
  expect((await workbook).suggestedFilename()).toBe('recipients-report.xlsx');
  await past.getByRole('button', { name: 'Open recipients' }).click();
  await expect(page.getByRole('tab', { name: 'Campaign' })).toHaveAttribute('aria-selected', 'true');
  await expect(message).toHaveValue('Hi $(name), your order is ready.');
  for (const i of SENDABLE) await expect(page.getByTestId(`status-${i}`)).toHaveText('delivered');
});

test('a recipient file can be dropped onto the drop zone', async ({ page }) => {
  await page.goto(shell.url);
  const dropZone = page.getByTestId('drop-zone');
  // Written as a string: the tests are type-checked without the DOM library the page has.
  const csv = JSON.stringify(readFileSync(RECIPIENTS_CSV, 'utf8'));
  const dataTransfer = await page.evaluateHandle(`(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([${csv}], 'dropped.csv', { type: 'text/csv' }));
    return transfer;
  })()`);
  await dropZone.dispatchEvent('dragover', { dataTransfer });
  await expect(dropZone).toHaveClass(/dragging/);
  await dropZone.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('heading', { name: 'dropped' })).toBeVisible();
  await expect(page.getByTestId('file-summary')).toHaveText(
    'dropped.csv · 6 rows · 3 columns: name, phone, city',
  );
  await expect(page.getByLabel('Phone column')).toHaveValue('1');
  await expect(page.getByTestId('msisdn-0')).toHaveText('+14155550101');
});

test('a long file is fetched page by page as the table scrolls', async ({ page }) => {
  const count = 2_500;
  const lines = Array.from(
    { length: count },
    (_, i) => `Person ${i + 1},+1 415 555 ${String(i).padStart(4, '0')}`,
  );
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'long.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['name,phone', ...lines].join('\n')),
  });
  await expect(page.getByTestId('file-summary')).toContainText('long.csv · 2,500 rows');
  await page.getByLabel('Message', { exact: true }).fill('Hello $(name)');
  await expect(page.getByTestId('message-0')).toHaveText('Hello Person 1');
  expect(await page.locator('[role="row"][data-index]').count()).toBeLessThan(50);

  await page.getByTestId('row-0').hover();
  await page.mouse.wheel(0, count * 40);
  const last = count - 1;
  await expect(page.getByTestId(`message-${last}`)).toHaveText(`Hello Person ${count}`);
  expect(await page.locator('[role="row"][data-index]').count()).toBeLessThan(50);
  await page.getByTestId(`row-${last}`).click();
  await expect(page.getByTestId('preview-bubble')).toHaveText(`Hello Person ${count}`);
});

test('a file without recipients is refused with the reason', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles(fixture('header-only.csv'));
  await expect(page.getByRole('alert')).toHaveText(
    'header-only.csv could not be imported. The file has a header line but no recipients.',
  );
  await expect(page.getByLabel('Phone column')).toHaveCount(0);
});

test('an unknown placeholder is explained and keeps Send disabled', async ({ page }) => {
  await importRecipients(page);
  const send = page.getByRole('button', { name: 'Send campaign' });
  const message = page.getByLabel('Message', { exact: true });
  await page.getByLabel('Sender ID').fill('ACME');
  await message.fill('Hi $(nope), your order is ready.');
  await expect(page.getByTestId('problem')).toHaveText(
    'The message uses $(nope), which is not a column of the recipient file.',
  );
  await expect(page.getByTestId('message-0')).toHaveText('Hi $(nope), your order is ready.');
  await expect(send).toBeDisabled();

  await message.fill('Hi $(nmae), your order is ready.');
  await expect(page.getByTestId('problem')).toHaveText(
    'The message uses $(nmae), which is not a column of the recipient file. Did you mean $(name)?',
  );

  await message.fill('Hi $(NAME|there), your order is ready.');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await expect(send).toBeEnabled();
  await expect(page.getByTestId('message-0')).toHaveText('Hi Ann, your order is ready.');
});

test('a sender id the networks would cut or refuse is explained and keeps Send disabled', async ({
  page,
}) => {
  await importRecipients(page);
  const send = page.getByRole('button', { name: 'Send campaign' });
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  const sender = page.getByLabel('Sender ID');
  await sender.fill('ACME FLOWERS');
  await expect(page.getByTestId('problem')).toHaveText(
    'A sender name may hold only letters A–Z and digits; "ACME FLOWERS" has spaces. Remove them, or use a number.',
  );
  await expect(send).toBeDisabled();
  await sender.fill('ACMEFLOWERSLTD');
  await expect(page.getByTestId('problem')).toContainText('A sender name has at most 11 letters and digits');
  await sender.fill('+447700900123');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await expect(send).toBeEnabled();
});

test('a service key is stored but only its masked hint is ever shown', async ({ page }) => {
  const key = 'imi-live-key-71c0e2b49f3a';
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await expect(page.getByRole('listitem', { name: 'Sandbox (built-in simulator)' })).toContainText(
    'built-in',
  );

  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Shop account');
  await page.getByLabel('Base URL').fill('https://api.imiconnect.io');
  await page.getByLabel('Service key').fill(key);
  await page.getByLabel('Rate (messages per second)').fill('20');
  await page.getByLabel('Price per segment').fill('0.05');
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();

  const service = page.getByRole('listitem', { name: 'Shop account' });
  await expect(service).toContainText('https://api.imiconnect.io');
  await expect(service).toContainText('••••9f3a');
  await expect(service).toContainText('20 messages/s');
  await expect(service).toContainText('0.05');
  const keyVisible = async () => (await page.content()).includes(key);
  expect(await keyVisible()).toBe(false);

  // Editing with the key left empty keeps the stored key.
  await service.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByLabel('Service key')).toHaveValue('');
  await page.getByLabel('Rate (messages per second)').fill('30');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(service).toContainText('30 messages/s');
  await expect(service).toContainText('••••9f3a');
  expect(await keyVisible()).toBe(false);

  // A campaign can use it, and its price gives the estimated cost.
  await page.getByRole('tab', { name: 'Campaign' }).click();
  await page.getByLabel('Choose a CSV file').setInputFiles(RECIPIENTS_CSV);
  const serviceSelect = page.getByLabel('Service', { exact: true });
  await expect(serviceSelect.locator('option').first()).toHaveText('Sandbox (built-in simulator)');
  await expect(serviceSelect.locator('option', { hasText: 'Shop account' })).toHaveCount(1);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await serviceSelect.selectOption({ label: 'Shop account' });
  await expect(page.getByTestId('totals')).toHaveText('Whole campaign: 4 segments · estimated cost 0.20');

  await page.getByRole('tab', { name: 'Services' }).click();
  await service.getByRole('button', { name: 'Remove' }).click();
  await service
    .getByRole('group', { name: 'Remove Shop account?' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(service).toHaveCount(0);
  expect(await keyVisible()).toBe(false);
});

test('a service that refuses the key sends nothing, says why, and leaves the campaign editable', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  // The Sandbox's own address, with a key it does not accept.
  const sandbox = page.getByRole('listitem', { name: 'Sandbox (built-in simulator)' });
  const sandboxUrl = (await sandbox.getByRole('definition').first().textContent()) ?? '';
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Wrong key');
  await page.getByLabel('Base URL').fill(sandboxUrl);
  await page.getByLabel('Service key').fill('not-the-sandbox-key');
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name: 'Wrong key' })).toContainText('••••-key');

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await page.getByLabel('Choose a CSV file').setInputFiles(RECIPIENTS_CSV);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Wrong key' });
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
  await sendCampaign(page);

  await expect(page.locator('.send .error')).toContainText(
    'The service "Wrong key" refused the request: authentication failed: the service key is wrong (code 7001',
  );
  // Nothing went out: still a draft, its message and service can change and it can be sent again.
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
  await expect(page.getByLabel('Message', { exact: true })).toBeEnabled();
  for (const i of SENDABLE) await expect(page.getByTestId(`status-${i}`)).toHaveText('ready');
});
