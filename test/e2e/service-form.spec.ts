import { expect, test, type Page } from '@playwright/test';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell();
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

const SEND_SMS = /^Send SMS API/;
const MESSAGING = /^Messaging API v1/;
const SMS_WARNING =
  'The Send SMS API is documented only for the https://api.<region>.webexconnect.io addresses';

async function openNewServiceForm(page: Page): Promise<void> {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
}

test('a service keeps the documented host, send API and number format chosen for it', async ({ page }) => {
  await openNewServiceForm(page);
  const baseUrl = page.getByLabel('Base URL');
  const hosts = page.locator(`datalist[id="${await baseUrl.getAttribute('list')}"]`);
  await expect(hosts.locator('option[value="https://api-us.imiconnect.io"]')).toHaveAttribute(
    'label',
    'US — console on imiconnect.io',
  );
  await expect(hosts.locator('option[value="https://api.uk.webexconnect.io"]')).toHaveAttribute(
    'label',
    'UK — console on uk.webexconnect.io',
  );

  // New services start on Messaging API v1 with the plus.
  await expect(page.getByRole('radio', { name: MESSAGING })).toBeChecked();
  const plus = page.getByRole('checkbox', { name: 'Send numbers with +' });
  await expect(plus).toBeChecked();
  await expect(plus).toHaveAccessibleDescription(/\+447700900123.*447700900123.*\+E\.164 format/);

  await page.getByLabel('Name', { exact: true }).fill('UK shop');
  await baseUrl.fill('https://api.uk.webexconnect.io/');
  await expect(page.getByText('Known address: UK — console on uk.webexconnect.io')).toBeVisible();
  await page.getByLabel('Service key').fill('e2e-form-key-5c2d');
  await page.getByRole('group', { name: 'Send API' }).getByRole('radio', { name: SEND_SMS }).check();
  await expect(page.getByText(SMS_WARNING)).toHaveCount(0);
  await plus.uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();

  const card = page.getByRole('listitem', { name: 'UK shop' });
  await expect(card).toContainText('https://api.uk.webexconnect.io');
  await expect(card).toContainText('Send SMS API');
  await expect(card).toContainText('without + (447700900123)');

  await card.getByRole('button', { name: 'Edit' }).click();
  await expect(baseUrl).toHaveValue('https://api.uk.webexconnect.io');
  await expect(page.getByRole('radio', { name: SEND_SMS })).toBeChecked();
  await expect(page.getByRole('radio', { name: MESSAGING })).not.toBeChecked();
  await expect(plus).not.toBeChecked();

  // Back to Messaging API v1 with the plus, to see both settings saved the other way too.
  await page.getByRole('radio', { name: MESSAGING }).check();
  await plus.check();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(card).toContainText('Messaging API v1');
  await expect(card).toContainText('with + (+447700900123)');
});

test('the Send SMS API on an older host or an unlisted address is warned about', async ({ page }) => {
  await openNewServiceForm(page);
  const warning = page.getByRole('status').filter({ hasText: SMS_WARNING });
  await page.getByRole('radio', { name: SEND_SMS }).check();

  await page.getByLabel('Base URL').fill('https://api.imiconnect.eu');
  await expect(page.getByText('Known address: UK — console on imiconnect.eu')).toBeVisible();
  await expect(warning).toContainText('https://api.imiconnect.eu is an older one');

  await page.getByLabel('Base URL').fill('https://sms.example.com');
  await expect(page.getByText('This is not one of the platform’s documented addresses')).toBeVisible();
  await expect(warning).toContainText('this is not one of them');

  // A full Send SMS API address is known, saved as its base, and needs no warning.
  await page.getByLabel('Base URL').fill('https://api.us.webexconnect.io/v1/sms/messages');
  await expect(
    page.getByText(
      'Known address: US — console on us.webexconnect.io; saved as https://api.us.webexconnect.io.',
    ),
  ).toBeVisible();
  await expect(warning).toHaveCount(0);

  await page.getByLabel('Base URL').fill('https://api.imiconnect.io');
  await expect(warning).toBeVisible();
  await page.getByRole('radio', { name: MESSAGING }).check();
  await expect(warning).toHaveCount(0);

  await page.getByRole('radio', { name: SEND_SMS }).check();
  await page.getByLabel('Name', { exact: true }).fill('US shop');
  await page.getByLabel('Base URL').fill('https://api.us.webexconnect.io/v1/sms/messages');
  await page.getByLabel('Service key').fill('e2e-form-key-8a41');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name: 'US shop' }).getByRole('definition').first()).toHaveText(
    'https://api.us.webexconnect.io',
  );
});

test('a stored key goes to another host only when it is entered again or that host is confirmed', async ({
  page,
}) => {
  await openNewServiceForm(page);
  await page.getByLabel('Name', { exact: true }).fill('Moving shop');
  // Plain http would carry the key unencrypted: refused unless the address is on this computer.
  await page.getByLabel('Base URL').fill('http://sms.example.com');
  await page.getByLabel('Service key').fill('e2e-form-key-71fe');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByText(/must start with https:\/\//)).toBeVisible();
  await page.getByLabel('Base URL').fill('https://api.imiconnect.io');
  await page.getByRole('button', { name: 'Save service' }).click();
  const card = page.getByRole('listitem', { name: 'Moving shop' });
  await expect(card).toContainText('https://api.imiconnect.io');

  await card.getByRole('button', { name: 'Edit' }).click();
  const keep = page.getByRole('checkbox', { name: /^Send the stored key/ });
  const key = page.getByLabel('Service key');
  await expect(keep).toHaveCount(0);
  await page.getByLabel('Base URL').fill('https://sms.example.com:8443');
  await expect(keep).toHaveAccessibleName('Send the stored key (••••71fe) to sms.example.com:8443');
  await expect(key).toHaveAccessibleDescription(
    'A key (••••71fe) is stored for api.imiconnect.io. Enter it again for sms.example.com:8443.',
  );
  // Neither the key again nor the confirmation: the form does not go.
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(key).toHaveAttribute('required', '');
  await expect(card).toContainText('https://api.imiconnect.io');
  await keep.check();
  await page.screenshot({ path: '/tmp/service-form-keep-key.png', fullPage: true });
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(card).toContainText('https://sms.example.com:8443');
  await expect(card).toContainText('••••71fe');
});
