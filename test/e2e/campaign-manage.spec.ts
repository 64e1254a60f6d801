import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

const KEY = 'e2e-manage-key-51c0';

let shell: RunningShell;
/** Delivers everything it takes. */
let sim: Simulator;
/** Half of what it takes comes back undelivered. */
let lossy: Simulator;

test.beforeAll(async () => {
  const quick = { submittedDelayMs: 20, finalDelayMs: 20 };
  sim = await startSimulator({ keys: [KEY], failureShare: 0, ...quick });
  lossy = await startSimulator({ keys: [KEY], failureShare: 0.5, seed: 7, ...quick });
  shell = await startShell(['--failure-share', '0']);
});

test.afterAll(async () => {
  await shell?.stop();
  await sim?.close();
  await lossy?.close();
});

failOnPageErrors();

function recipients(rows: number, first: number): Buffer {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++)
    lines.push(`Person ${first + i},+1 415 555 ${String(first + i).padStart(4, '0')}`);
  return Buffer.from(lines.join('\n'));
}

async function addService(page: Page, name: string, url: string, key: string): Promise<void> {
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill(url);
  await page.getByLabel('Service key').fill(key);
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name })).toBeVisible();
  await page.getByRole('tab', { name: 'Campaign' }).click();
}

/** Imports `people-<first>.csv` and writes the message; the campaign is named `people-<first>`. */
async function newCampaign(page: Page, rows: number, first: number, service?: string): Promise<void> {
  const newButton = page.getByRole('button', { name: 'New campaign' });
  if (await newButton.isVisible()) await newButton.click();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: `people-${first}.csv`,
    mimeType: 'text/csv',
    buffer: recipients(rows, first),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${rows} rows`);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  if (service) await page.getByLabel('Service', { exact: true }).selectOption({ label: service });
  await expect(page.getByTestId('problem')).toBeEmpty();
}

async function history(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'History' }).click();
  return page.getByRole('list', { name: 'Past campaigns' });
}

test('a start refused for its key sends nothing and leaves the campaign editable', async ({ page }) => {
  await page.goto(shell.url);
  await addService(page, 'Wrong key', sim.url, 'not-the-key');
  await addService(page, 'Right key', sim.url, KEY);
  await newCampaign(page, 3, 100, 'Wrong key');
  await sendCampaign(page);

  await expect(page.locator('.send .error')).toContainText(
    'The service "Wrong key" refused the request: authentication failed',
  );
  const message = page.getByLabel('Message', { exact: true });
  await expect(message).toBeEnabled();
  expect(sim.accepted).toEqual([]);

  await message.fill('Hello $(name), the key works now');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Right key' });
  await expect(page.getByTestId('problem')).toBeEmpty();
  await sendCampaign(page);
  await expect(page.getByTestId('send-state')).toHaveText('Finished.', { timeout: 20_000 });
  await expect(message).toBeDisabled();
  expect(sim.accepted.map((m) => m.text).sort()).toEqual(
    ['Person 100', 'Person 101', 'Person 102'].map((n) => `Hello ${n}, the key works now`),
  );
});

test('campaigns are renamed, duplicated, archived and deleted from History', async ({ page }) => {
  await page.goto(shell.url);
  await newCampaign(page, 4, 200);
  await newCampaign(page, 2, 300);
  const list = await history(page);

  const first = list.getByRole('listitem', { name: 'people-200' });
  await first.getByRole('button', { name: 'Rename people-200' }).click();
  await first.getByLabel('New name').fill('Spring sale');
  await first.getByRole('button', { name: 'Save name' }).click();
  const sale = list.getByRole('listitem', { name: 'Spring sale' });
  await expect(sale.getByRole('heading')).toHaveText('Spring sale');

  await sale.getByRole('button', { name: 'Duplicate Spring sale' }).click();
  // The copy opens, a draft of the same rows and message.
  await expect(page.getByRole('heading', { name: 'Copy of Spring sale' })).toBeVisible();
  await expect(page.getByTestId('campaign-origin')).toHaveText('A copy of “Spring sale”');
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue('Hi $(name)');
  await expect(page.getByTestId('file-summary')).toContainText('4 rows');

  await history(page);
  const other = list.getByRole('listitem', { name: 'people-300' });
  // Other tests' campaigns are in the list too; counted once the list has loaded.
  await expect(other).toBeVisible();
  await expect(list.getByRole('listitem', { name: 'Copy of Spring sale' })).toBeVisible();
  const shown = await list.getByRole('listitem').count();
  await other.getByRole('button', { name: 'Archive people-300' }).click();
  await expect(other).toHaveCount(0);
  await expect(list.getByRole('listitem')).toHaveCount(shown - 1);
  await page.getByLabel('Show archived').check();
  await expect(other).toContainText('archived');
  await other.getByRole('button', { name: 'Unarchive people-300' }).click();
  await expect(other).not.toContainText('archived');
  await page.getByLabel('Show archived').uncheck();
  await expect(list.getByRole('listitem')).toHaveCount(shown);

  const folders = () => readdirSync(join(shell.dataDir, 'campaigns'));
  expect(folders()).toHaveLength(shown);
  const copy = list.getByRole('listitem', { name: 'Copy of Spring sale' });
  await copy.getByRole('button', { name: 'Delete Copy of Spring sale' }).click();
  const confirm = copy.getByRole('group', { name: 'Delete Copy of Spring sale?' });
  await expect(confirm).toContainText('Delete “Copy of Spring sale” and its 4 rows?');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(copy).toBeVisible();

  await copy.getByRole('button', { name: 'Delete Copy of Spring sale' }).click();
  await screenshot(page, 'history-delete');
  await confirm.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(copy).toHaveCount(0);
  await expect(list.getByRole('listitem')).toHaveCount(shown - 1);
  // The copy was the open campaign: the Campaign tab goes back to importing.
  await page.getByRole('tab', { name: 'Campaign' }).click();
  await expect(page.getByLabel('Choose a CSV file')).toBeAttached();
  // Its folder is gone from the data folder, the others' are not.
  expect(folders()).toHaveLength(shown - 1);
});

test('the rows that failed are sent again as a new campaign, with why they failed', async ({ page }) => {
  await page.goto(shell.url);
  await addService(page, 'Lossy lane', lossy.url, KEY);
  await newCampaign(page, 12, 400, 'Lossy lane');
  await sendCampaign(page);
  await expect(page.getByTestId('send-state')).toHaveText('Finished.', { timeout: 20_000 });
  // Finished sending is not yet every report in: wait for all 12 rows to be final.
  const count = async (status: string) => {
    const text = await page
      .getByTestId(`count-${status}`)
      .textContent({ timeout: 1000 })
      .catch(() => '0');
    return Number(text?.replace(/\D/g, '') || 0);
  };
  await expect.poll(async () => (await count('delivered')) + (await count('undelivered'))).toBe(12);
  const failed = await count('undelivered');
  expect(failed).toBeGreaterThan(0);

  const list = await history(page);
  const source = list.getByRole('listitem', { name: 'people-400' });
  const again = source.getByRole('button', { name: 'Send again to the rows that failed in people-400' });
  await expect(again).toHaveText(`Send again to the ${failed} row${failed === 1 ? '' : 's'} that failed`);
  await screenshot(page, 'history-send-again');
  await again.click();

  await expect(page.getByRole('heading', { name: 'Failed rows of people-400' })).toBeVisible();
  await expect(page.getByTestId('campaign-origin')).toHaveText('The rows that failed in “people-400”');
  await expect(page.getByTestId('file-summary')).toContainText(
    `${failed} row${failed === 1 ? '' : 's'} · 5 columns: name, phone, previous_status, previous_code, previous_reason`,
  );
  const message = page.getByLabel('Message', { exact: true });
  await expect(message).toHaveValue('Hi $(name)');
  await expect(message).toBeEnabled();
  await expect(page.getByLabel('Service', { exact: true })).toHaveValue(
    (await page
      .getByLabel('Service', { exact: true })
      .locator('option', { hasText: 'Lossy lane' })
      .getAttribute('value')) ?? '',
  );
  await message.fill('Hi $(name), last time: $(previous_status)');
  await expect(page.getByTestId('preview-bubble')).toContainText('last time: undelivered');
  await screenshot(page, 'failed-rows-campaign');
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `/tmp/campaign-manage-${name}.png`, fullPage: true });
}
