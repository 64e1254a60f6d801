import { expect, test } from '@playwright/test';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

const KEY = 'e2e-service-country-key-31c4';

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

// UK numbers written as people in the UK write them: without +44.
const UK_LIST = Buffer.from('name,mobile\nAnn,07911 123456\nBob,07911 123457\n');

test('a draft moved to a service takes the country last sent through it, and its rows are checked again', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('UK account');
  await page.getByLabel('Base URL').fill(sim.url);
  await page.getByLabel('Service key').fill(KEY);
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name: 'UK account' })).toBeVisible();

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await page
    .getByLabel('Choose a CSV file')
    .setInputFiles({ name: 'uk.csv', mimeType: 'text/csv', buffer: UK_LIST });
  await expect(page.getByTestId('file-summary')).toContainText('2 rows');
  const country = page.getByLabel('Default country');
  const startCountry = await country.inputValue();
  expect(startCountry).not.toBe('GB');
  await country.selectOption('GB');
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'UK account' });
  await expect(page.getByTestId('status-0')).toHaveText('ready');
  await sendCampaign(page);
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 2');

  await page.getByRole('button', { name: 'New campaign' }).click();
  await page
    .getByLabel('Choose a CSV file')
    .setInputFiles({ name: 'uk-2.csv', mimeType: 'text/csv', buffer: UK_LIST });
  await expect(page.getByTestId('file-summary')).toContainText('2 rows');
  await expect(country).toHaveValue(startCountry);
  await expect(page.getByTestId('status-0')).toHaveText('skipped');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'UK account' });
  await expect(country).toHaveValue('GB');
  await expect(page.getByTestId('status-0')).toHaveText('ready');
  await expect(page.getByTestId('msisdn-1')).toHaveText('+447911123457');
});
