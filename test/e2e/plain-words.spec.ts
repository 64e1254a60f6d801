import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { request } from 'undici';
import { MO_HOOK_PATH, startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

let shell: RunningShell;
/** Plays the platform's part for replies: its MO hook posts them to the shell's receiver. */
let phones: Simulator;
const PHONES_KEY = 'e2e-words-key-41c9';

test.beforeAll(async () => {
  shell = await startShell(['--failure-share', '0']);
  const settings = JSON.parse(readFileSync(join(shell.dataDir, 'settings.json'), 'utf8')) as {
    receiverPort: number;
    receiverSecret: string;
  };
  phones = await startSimulator({
    keys: [PHONES_KEY],
    moNotifyUrl: `http://127.0.0.1:${settings.receiverPort}/${settings.receiverSecret}/mo/sandbox`,
  });
});

test.afterAll(async () => {
  await phones?.close();
  await shell?.stop();
});

failOnPageErrors();

/** An address on this computer where nothing listens. */
async function closedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function importPeople(page: Page, numbers: string[]): Promise<void> {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['name,phone', ...numbers.map((n, i) => `Person ${i},${n}`)].join('\n')),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${numbers.length} row`);
  await page.getByLabel('Sender ID').fill('ACME');
}

test('a service nothing answers at stops the send with a sentence; the network code waits behind Details', async ({
  page,
}) => {
  const baseUrl = await closedAddress();
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Nowhere');
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Service key').fill('e2e-words-nowhere-key');
  await page.getByLabel('Tunnel', { exact: true }).selectOption('none');
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name: 'Nowhere' })).toBeVisible();

  await importPeople(page, ['+1 415 555 0101']);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Nowhere' });
  await sendCampaign(page);

  const note = page.getByRole('alert').filter({ hasText: 'Cannot reach the service' });
  await expect(note).toContainText(
    `Cannot reach the service at ${baseUrl}: nothing answered at ${baseUrl.slice('http://'.length)}`,
  );
  const details = note.getByRole('button', { name: 'Details' });
  await expect(details).toHaveAttribute('aria-expanded', 'false');
  await expect(note.getByText(/ECONNREFUSED/)).toBeHidden();
  await details.click();
  await expect(details).toHaveAttribute('aria-expanded', 'true');
  await expect(note.getByText(/ECONNREFUSED/)).toBeVisible();
  await expect(note).not.toContainText('e2e-words-nowhere-key');
  await page.screenshot({ path: '/tmp/words-unreachable.png', fullPage: true });
});

test('a tunnel that cannot open offers no 127.0.0.1 Replies URL, and says why', async ({ page }) => {
  const deadServer = await closedAddress();
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Live account');
  await page.getByLabel('Base URL').fill('https://api.imiconnect.io');
  await page.getByLabel('Service key').fill('e2e-words-live-key');
  await page.getByLabel('localtunnel server').fill(deadServer);
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();

  const card = page.getByRole('listitem', { name: 'Live account' });
  await expect(card.getByTestId('tunnel-state')).toHaveText('Failed');
  await expect(card.getByLabel('MO notify URL')).toHaveCount(0);
  const noUrl = card.getByTestId('no-replies-url');
  await expect(noUrl).toContainText(
    'There is no public address for replies yet: the tunnel could not be opened',
  );
  await expect(noUrl).not.toContainText('127.0.0.1');
  const why = card.getByTestId('tunnel-error');
  await expect(why).toContainText(
    `Cannot reach the localtunnel server at ${deadServer}: nothing answered at`,
  );
  await expect(why.getByText(/ECONNREFUSED/)).toBeHidden();
  await why.getByRole('button', { name: 'Details' }).click();
  await expect(why.getByText(/ECONNREFUSED/)).toBeVisible();
  await page.screenshot({ path: '/tmp/words-tunnel.png', fullPage: true });
});

/** A reply from `from`, through the simulator's MO hook over HTTP. */
async function reply(from: string, text: string): Promise<void> {
  const res = await request(`${phones.url}${MO_HOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', key: PHONES_KEY },
    body: JSON.stringify({ from, text }),
  });
  await res.body.dump();
  expect(res.statusCode).toBe(202);
}

test('the dashboard’s reply and opt-out counts follow replies as they arrive', async ({ page }) => {
  await importPeople(page, ['+1 415 555 4000', '+1 415 555 4001']);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), reply STOP to opt out');
  await sendCampaign(page);
  await expect(page.getByTestId('send-state')).toHaveText('Finished.');
  await expect(page.getByRole('region', { name: 'Delivery reports' })).toBeVisible();
  await expect(page.getByTestId('dash-replies')).toHaveText('0');
  await expect(page.getByTestId('dash-opt-outs')).toHaveText('0');

  await reply('+14155554000', 'Is the sale on Sunday too?');
  await expect(page.getByTestId('dash-replies')).toHaveText('1');
  await expect(page.getByTestId('dash-opt-outs')).toHaveText('0');
  await reply('+14155554001', 'STOP');
  await expect(page.getByTestId('dash-replies')).toHaveText('2');
  await expect(page.getByTestId('dash-opt-outs')).toHaveText('1');
});

test('a smartlink is added in one step, and reads the same in the preview and the table', async ({
  page,
}) => {
  await importPeople(page, ['+1 415 555 0101']);
  const message = page.getByLabel('Message', { exact: true });
  await message.fill('Sale today: ');
  await message.press('End');
  const adding = page.getByRole('group', { name: 'Add a smartlink' });
  await adding.getByLabel('Link ID').fill('promo');
  await adding.getByLabel('Valid for').fill('7');
  await page.getByRole('button', { name: 'Add smartlink' }).click();

  await expect(message).toHaveValue('Sale today: {{link_promo}}');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await expect(
    page.getByRole('list', { name: 'Smartlinks of this campaign' }).getByRole('listitem', { name: 'promo' }),
  ).toContainText('sent as 10,080 minutes');
  await expect(page.getByTestId('preview-bubble')).toHaveText('Sale today: [link: promo]');
  await expect(page.getByTestId('message-0')).toHaveText('Sale today: [link: promo]');
  await expect(page.getByTestId('row-stats')).toContainText('Row 1: 35 characters');
});

test('a character that forces UCS-2 is named in words, its code point behind Details', async ({ page }) => {
  await importPeople(page, ['+1 415 555 0101']);
  await page.getByLabel('Message', { exact: true }).fill('Noël is near, $(name)’s gift awaits');
  const note = page.getByTestId('ucs2-note');
  const named = note.getByRole('list', { name: 'Characters that force UCS-2' }).getByRole('listitem');
  await expect(named).toHaveText(['ë e with diaeresis', '’ right single quote (look-alike)']);
  await expect(note.getByText(/U\+00EB/)).toBeHidden();
  await note.getByRole('button', { name: 'Details' }).click();
  await expect(note.getByText(/U\+00EB/)).toBeVisible();
  await page.screenshot({ path: '/tmp/words-characters.png', fullPage: true });
});
