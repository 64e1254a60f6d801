import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { newCampaign } from './new-campaign';

const KEY = 'e2e-plan-key-91c2';

let shell: RunningShell;
let sim: Simulator;

test.beforeAll(async () => {
  sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 20, finalDelayMs: 20 });
  shell = await startShell(['--failure-share', '0']);
});

test.afterAll(async () => {
  await shell?.stop();
  await sim?.close();
});

failOnPageErrors();

/** Calls the core as the app does, through the browser shell's API with its token. */
async function callCore(name: string, input: unknown): Promise<unknown> {
  const url = new URL(shell.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  const res = await fetch(`${url.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-desk-token': token },
    body: JSON.stringify(input),
  });
  const answer = (await res.json()) as { ok: boolean; value?: unknown };
  expect(answer.ok).toBe(true);
  return answer.value;
}

async function addService(page: Page, name: string, rate: number): Promise<void> {
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill(sim.url);
  await page.getByLabel('Service key').fill(KEY);
  await page.getByLabel('Rate (messages per second)').fill(String(rate));
  await page.getByLabel('Price per segment').fill('0.05');
  await page.getByLabel('Currency').fill('EUR');
  // Sent at any hour: the send window is another spec's subject.
  await page.getByLabel('Send only inside a send window').uncheck();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('listitem', { name })).toContainText('0.05 EUR');
  await page.getByRole('tab', { name: 'Campaign' }).click();
}

function acceptedTo(prefix: string) {
  return sim.accepted.filter((m) => m.msisdn.startsWith(prefix));
}

test('Send shows the plan, Escape goes back, and only the confirmed plan is sent', async ({ page }) => {
  await page.goto(shell.url);
  await addService(page, 'Shop lane', 50);
  // The second row has no number and the fourth repeats the first's.
  await newCampaign(
    page,
    'plan',
    ['Ann,+1 415 555 7001', 'Bob,', 'Cy,+1 415 555 7003', 'Ann again,+1 415 555 7001', 'Di,+1 415 555 7005'],
    'Shop lane',
  );
  const send = page.getByRole('button', { name: 'Send campaign' });
  await send.click();
  const dialog = page.getByRole('dialog', { name: 'Send “plan”?' });
  await expect(dialog.getByTestId('plan-ready')).toHaveText('3 recipients');
  await expect(dialog.getByTestId('plan-skipped')).toHaveText('2: 1 no phone number, 1 duplicate number');
  await expect(dialog.getByTestId('plan-segments')).toHaveText('3');
  await expect(dialog.getByTestId('plan-cost')).toContainText('0.15 EUR');
  await expect(dialog.getByTestId('plan-sender')).toHaveText('ACME');
  await expect(dialog.getByTestId('plan-service')).toHaveText('Shop lane · Messaging API v1');
  await expect(dialog.getByTestId('plan-start')).toHaveText('Now, as soon as you confirm');
  await expect(dialog.getByTestId('plan-first')).toContainText('row 1, to +14155557001');
  await expect(dialog.getByTestId('plan-first-text')).toHaveText('Hi Ann, your order is ready.');
  await expect(dialog.getByTestId('plan-last')).toContainText('row 5, to +14155557005');
  await expect(dialog.getByTestId('plan-last-text')).toHaveText('Hi Di, your order is ready.');
  await page.screenshot({ path: '/tmp/send-plan-dialog.png' });
  // Focus is in the dialog, on the way back rather than on sending; Escape closes it, sends nothing, and gives focus back to the button.
  await expect(dialog.getByRole('button', { name: 'Back' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(send).toBeFocused();
  expect(acceptedTo('+1415555700')).toEqual([]);

  await send.click();
  await dialog.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 3');
  expect(acceptedTo('+1415555700').map((m) => m.text)).toEqual([
    'Hi Ann, your order is ready.',
    'Hi Cy, your order is ready.',
    'Hi Di, your order is ready.',
  ]);
});

test('a change after the plan was opened needs a new confirmation', async ({ page }) => {
  await page.goto(shell.url);
  await addService(page, 'Edit lane', 50);
  await newCampaign(page, 'edited', ['Eve,+1 415 555 7101', 'Fay,+1 415 555 7102'], 'Edit lane');
  await page.getByRole('button', { name: 'Send campaign' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send “edited”?' });
  await expect(dialog.getByTestId('plan-first-text')).toHaveText('Hi Eve, your order is ready.');

  // Someone changes the message meanwhile (another window, the command line).
  const campaigns = (await callCore('campaigns.list', {})) as { id: string; name: string }[];
  const id = campaigns.find((c) => c.name === 'edited')?.id;
  await callCore('campaigns.update', { id, patch: { template: 'Hi $(name), it is shipped.' } });

  await dialog.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(dialog.getByRole('alert')).toContainText('The campaign changed after you confirmed it');
  await expect(dialog.getByTestId('plan-changed')).toBeVisible();
  await expect(dialog.getByTestId('plan-first-text')).toHaveText('Hi Eve, it is shipped.');
  expect(acceptedTo('+1415555710')).toEqual([]);

  await dialog.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 2');
  expect(acceptedTo('+1415555710').map((m) => m.text)).toEqual([
    'Hi Eve, it is shipped.',
    'Hi Fay, it is shipped.',
  ]);
});

test('Cancel stops sending at once; the dialog then decides what becomes of the rest', async ({ page }) => {
  await page.goto(shell.url);
  await addService(page, 'Slow shop', 10);
  const rows = 150;
  await newCampaign(
    page,
    'halted',
    Array.from({ length: rows }, (_, i) => `P${i},+1 415 556 ${String(i).padStart(4, '0')}`),
    'Slow shop',
  );
  await page.getByRole('button', { name: 'Send campaign' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm and send' }).click();
  await expect.poll(() => acceptedTo('+1415556').length).toBeGreaterThan(5);

  const ask = async () => {
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel “halted”?' });
    await expect(dialog.getByTestId('cancel-state')).toContainText('Sending is paused.');
    return dialog;
  };
  let dialog = await ask();
  await page.screenshot({ path: '/tmp/send-plan-cancel-dialog.png' });
  // Nothing more goes out while the question is on screen.
  const atPause = acceptedTo('+1415556').length;
  await page.waitForTimeout(1500);
  expect(acceptedTo('+1415556').length).toBe(atPause);
  await dialog.getByRole('button', { name: 'Keep it paused' }).click();
  await expect(page.getByTestId('send-state')).toHaveText(
    'Paused. Messages not yet sent stay ready until you resume.',
  );

  dialog = await ask();
  await dialog.getByRole('button', { name: 'Resume sending' }).click();
  await expect(page.getByTestId('send-state')).toHaveText('Sending…');
  await expect.poll(() => acceptedTo('+1415556').length).toBeGreaterThan(atPause);

  dialog = await ask();
  const atSecondPause = acceptedTo('+1415556').length;
  await dialog.getByRole('button', { name: 'Cancel the messages not sent' }).click();
  await expect(page.getByTestId('send-state')).toHaveText(
    'Cancelled. Messages not sent by then will never be sent.',
  );
  await page.waitForTimeout(500);
  const sent = acceptedTo('+1415556').length;
  expect(sent).toBe(atSecondPause);
  expect(sent).toBeLessThan(rows);
  await expect(page.getByTestId('count-ready')).toHaveText(`ready ${rows - sent}`);
  await page.screenshot({ path: '/tmp/send-plan-cancelled.png' });
});
