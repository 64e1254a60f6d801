import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { cancelCampaign, scheduleCampaign, sendCampaign } from './send-confirmed';

const KEY = 'e2e-sending-key-4a1f';

let shell: RunningShell;
let sim: Simulator;

test.beforeAll(async () => {
  sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 20, finalDelayMs: 20 });
  shell = await startShell(['--failure-share', '0', '--unknown-grace', '2']);
});

test.afterAll(async () => {
  await shell?.stop();
  await sim?.close();
});

test.afterEach(() => sim.setFaults({}));

failOnPageErrors();

/** A file of `rows` recipients whose numbers start at `first`, so that each test's rows are its own. */
function recipients(rows: number, first: number): Buffer {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++)
    lines.push(`Person ${first + i},+1 415 555 ${String(first + i).padStart(4, '0')}`);
  return Buffer.from(lines.join('\n'));
}

async function addService(page: Page, name: string, rate: number): Promise<void> {
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill(sim.url);
  await page.getByLabel('Service key').fill(KEY);
  await page.getByLabel('Rate (messages per second)').fill(String(rate));
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name })).toContainText(`${rate} messages/s`);
  await page.getByRole('tab', { name: 'Campaign' }).click();
}

async function newCampaign(page: Page, rows: number, first: number, service?: string): Promise<void> {
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

/** How many times the simulator accepted each number. */
function acceptedTimes(first: number, rows: number): number[] {
  return Array.from({ length: rows }, (_, i) => {
    const msisdn = `+1415555${String(first + i).padStart(4, '0')}`;
    return sim.accepted.filter((m) => m.msisdn === msisdn).length;
  });
}

test('a campaign is paused, resumed and cancelled from the Delivery panel', async ({ page }) => {
  await page.goto(shell.url);
  await addService(page, 'Slow lane', 10);
  await newCampaign(page, 60, 1000, 'Slow lane');
  await sendCampaign(page);
  const state = page.getByTestId('send-state');
  await expect(state).toHaveText('Sending…');
  await expect(page.getByTestId('send-rate')).toContainText('messages/s');
  await expect(page.getByTestId('send-rate')).toContainText('left');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(state).toHaveText('Paused. Messages not yet sent stay ready until you resume.');
  const resume = page.getByRole('button', { name: /^Resume sending \(\d+ messages not sent\)$/ });
  await expect(resume).toBeVisible();
  const notSent = Number((await resume.textContent())?.match(/\((\d+)/)?.[1]);
  expect(notSent).toBeGreaterThan(0);
  expect(acceptedTimes(1000, 60).filter((n) => n === 1)).toHaveLength(60 - notSent);

  await resume.click();
  await expect(state).toHaveText('Sending…');
  await cancelCampaign(page);
  await expect(state).toHaveText('Cancelled. Messages not sent by then will never be sent.');
  await expect(page.getByRole('button', { name: /^Resume sending/ })).toHaveCount(0);
  const ready = Number((await page.getByTestId('count-ready').textContent())?.replace(/\D/g, ''));
  expect(ready).toBeGreaterThan(0);
  const times = acceptedTimes(1000, 60);
  expect(times.every((n) => n <= 1)).toBe(true);
  expect(times.filter((n) => n === 0)).toHaveLength(ready);
});

test('a test message goes to one number before the campaign, and the rows stay unsent', async ({ page }) => {
  await page.goto(shell.url);
  await newCampaign(page, 3, 2000);
  await page.getByTestId('row-1').click();
  await page.getByLabel("Send row 2's message to").fill('+1 415 555 0199');
  await page.getByRole('button', { name: 'Send test' }).click();
  const result = page.getByTestId('test-result');
  await expect(result).toContainText('Test to +14155550199:');
  await expect(result).toContainText('delivered');
  for (const i of [0, 1, 2]) await expect(page.getByTestId(`status-${i}`)).toHaveText('ready');
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
});

test('a scheduled campaign starts by itself at its time', async ({ page }) => {
  await page.goto(shell.url);
  await newCampaign(page, 3, 3000);
  const at = new Date(Date.now() + 4000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  await page.getByLabel('Start at').fill(local);
  await scheduleCampaign(page);
  await expect(page.getByTestId('scheduled-at')).toContainText('Starts by itself at');
  await expect(page.getByLabel('Message', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send now' })).toBeEnabled();
  await expect(page.getByTestId('send-state')).toHaveText('Finished.', { timeout: 20_000 });
  for (const i of [0, 1, 2]) await expect(page.getByTestId(`status-${i}`)).toHaveText('delivered');
});

test('messages with no clear answer can be sent again once their grace window has passed', async ({
  page,
}) => {
  await page.goto(shell.url);
  await addService(page, 'Flaky lane', 100);
  sim.setFaults({ serverErrorShare: 1 });
  await newCampaign(page, 6, 4000, 'Flaky lane');
  await sendCampaign(page);
  await expect(page.getByTestId('count-unknown')).toHaveText('unknown 6');
  const notice = page.getByTestId('unknown-notice');
  await expect(notice).toContainText('The service gave no clear answer for 6 messages');
  expect(acceptedTimes(4000, 6)).toEqual([0, 0, 0, 0, 0, 0]);

  sim.setFaults({});
  await notice.getByRole('button', { name: 'Send again 6 messages with no sign of delivery' }).click();
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 6');
  expect(acceptedTimes(4000, 6)).toEqual([1, 1, 1, 1, 1, 1]);
});
