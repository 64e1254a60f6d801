import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

const KEY = 'e2e-key-check-7d2c';
const WORKS = 'The key works: the platform accepted it.';

let shell: RunningShell;
let sim: Simulator;

test.beforeAll(async () => {
  sim = await startSimulator({ keys: [KEY] });
  shell = await startShell();
});

test.afterAll(async () => {
  await shell?.stop();
  await sim?.close();
});

failOnPageErrors();

async function addService(page: Page, name: string, baseUrl: string, key: string, sendSms = false) {
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Service key').fill(key);
  if (sendSms) await page.getByRole('radio', { name: /^Send SMS API/ }).check();
  await page.getByRole('button', { name: 'Save service' }).click();
  return page.getByRole('listitem', { name });
}

async function openServices(page: Page): Promise<void> {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
}

for (const { api, sendSms, sends } of [
  { api: 'Messaging API v1', sendSms: false, sends: /a request with no recipient.*no message goes out/ },
  { api: 'Send SMS API', sendSms: true, sends: /status of a message that does not exist.*sends no message/ },
]) {
  test(`${api}: a wrong key is refused, the right one works, and no message goes out`, async ({ page }) => {
    await openServices(page);
    const card = await addService(page, `Shop (${api})`, sim.url, 'not-the-key', sendSms);
    await expect(card).toContainText(api);
    const check = card.getByRole('button', { name: 'Check key' });
    await expect(check).toHaveAccessibleDescription(sends);

    await check.click();
    await expect(card.getByRole('status')).toHaveText(
      'The platform refused the key (code 7001: Authentication failed.).',
    );

    await card.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Service key').fill(KEY);
    await page.getByRole('button', { name: 'Save service' }).click();
    // The refusal was about the old key: it goes with it.
    await expect(card.getByRole('status')).toHaveText('');
    await check.click();
    await expect(card.getByRole('status')).toHaveText(WORKS);
    expect(sim.accepted).toEqual([]);
  });
}

test('the Sandbox is checked too', async ({ page }) => {
  await openServices(page);
  const card = page.getByRole('listitem', { name: 'Sandbox (built-in simulator)' });
  await card.getByRole('button', { name: 'Check key' }).click();
  await expect(card.getByRole('status')).toHaveText(WORKS);
});

test('an address nothing answers at says it cannot be reached, and why', async ({ page }) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));

  await openServices(page);
  const card = await addService(page, 'Nowhere', url, KEY);
  await card.getByRole('button', { name: 'Check key' }).click();
  await expect(card.getByRole('status')).toHaveText(new RegExp(`^Cannot reach ${url}: nothing answered at `));
  await expect(card.getByRole('status')).not.toContainText('ECONNREFUSED');
  const check = card.locator('.key-check');
  await check.getByRole('button', { name: 'Details' }).click();
  await expect(check.getByText(/ECONNREFUSED/)).toBeVisible();
});
