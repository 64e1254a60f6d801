import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

const KEY = 'e2e-sms-api-key-6b0e';
const ROWS = 8;

let shell: RunningShell;
let sim: Simulator;

test.beforeAll(async () => {
  sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 20, finalDelayMs: 20 });
  shell = await startShell();
});

test.afterAll(async () => {
  await shell?.stop();
  await sim?.close();
});

failOnPageErrors();

function recipients(): Buffer {
  const lines = ['name,phone'];
  for (let i = 0; i < ROWS; i++) lines.push(`Person ${i},+1 415 555 ${String(500 + i).padStart(4, '0')}`);
  return Buffer.from(lines.join('\n'));
}

test('a campaign sent through the Send SMS API goes one message a request and every row is delivered', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('SMS lane');
  await page.getByLabel('Base URL').fill(sim.url);
  await page.getByLabel('Service key').fill(KEY);
  await page
    .getByRole('group', { name: 'Send API' })
    .getByRole('radio', { name: /^Send SMS API/ })
    .check();
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name: 'SMS lane' })).toContainText('Send SMS API');

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: recipients(),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${ROWS} rows`);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), your order is ready.');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'SMS lane' });
  await expect(page.getByTestId('problem')).toBeEmpty();
  await sendCampaign(page);

  await expect(page.getByTestId('count-delivered')).toHaveText(`delivered ${ROWS}`);
  for (let i = 0; i < ROWS; i++) await expect(page.getByTestId(`status-${i}`)).toHaveText('delivered');

  // One request per message, each answered, each message accepted once.
  expect(sim.requests).toHaveLength(ROWS);
  expect(sim.requests.every((r) => r.destinations === 1 && r.answer === 'answered')).toBe(true);
  expect(sim.accepted.map((m) => [m.msisdn, m.text]).sort()).toEqual(
    Array.from({ length: ROWS }, (_, i) => [
      `+1415555${String(500 + i).padStart(4, '0')}`,
      `Hi Person ${i}, your order is ready.`,
    ]).sort(),
  );

  // The report names each row's message by the id the platform gave it.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report as CSV' }).click();
  const file = readFileSync(await (await downloading).path(), 'utf8');
  const [header, ...rows] = Papa.parse<string[]>(file.slice(1), { skipEmptyLines: true }).data;
  const column = (name: string) => rows.map((r) => r[(header as string[]).indexOf(name)]);
  expect(column('cd_status')).toEqual(Array(ROWS).fill('delivered'));
  expect(new Set(column('cd_transid'))).toEqual(new Set(sim.accepted.map((m) => m.transid)));
});
