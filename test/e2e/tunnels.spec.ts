import { expect, test } from '@playwright/test';
import { startLocaltunnelServer, type LocaltunnelServer } from '../support/localtunnel-server';
import { startShell, type RunningShell } from './browser-shell';

let shell: RunningShell;
let lt: LocaltunnelServer;

test.beforeAll(async () => {
  lt = await startLocaltunnelServer();
  shell = await startShell();
});

test.afterAll(async () => {
  await shell?.stop();
  await lt?.close();
});

test('a service’s tunnel is chosen in the Services tab, its status shown live, and the campaign warned when it cannot reach', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Live account');
  await page.getByLabel('Base URL').fill('https://api.imiconnect.io');
  await page.getByLabel('Service key').fill('e2e-tunnel-key-9b1e');
  await expect(page.getByLabel('Tunnel', { exact: true })).toHaveValue('localtunnel');
  await page.getByLabel('localtunnel server').fill(lt.url);
  await page.getByRole('button', { name: 'Save service' }).click();

  const card = page.getByRole('listitem', { name: 'Live account' });
  await expect.poll(() => lt.tunnels.length).toBe(1);
  await expect(card.getByTestId('tunnel-state')).toHaveText(`Open at ${lt.tunnels[0]?.url}`);
  await expect(card.getByTestId('tunnel-reachable')).toContainText('yes');
  await expect(card.getByLabel('MO notify URL')).toHaveValue(
    new RegExp(`^${lt.tunnels[0]?.url}/[a-f0-9]+/mo/`),
  );

  await card.getByRole('button', { name: 'Reconnect' }).click();
  await expect.poll(() => lt.tunnels.length).toBe(2);
  await expect(card.getByTestId('tunnel-state')).toHaveText(`Open at ${lt.tunnels[1]?.url}`);

  // A public URL that leads elsewhere: open, but not reachable, and said so.
  await card.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Tunnel', { exact: true }).selectOption('public-url');
  await page.getByLabel('Public URL').fill('http://127.0.0.1:1');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(card.getByTestId('tunnel-reachable')).toContainText('no');
  await expect(card.getByTestId('tunnel-error')).toContainText('http://127.0.0.1:1');

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,phone\nAnn,+1 415 555 0101\n'),
  });
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Live account' });
  await expect(page.getByTestId('receiver-warning')).toContainText(
    'Delivery reports from "Live account" cannot reach this computer',
  );
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
  expect(pageErrors).toEqual([]);
});
