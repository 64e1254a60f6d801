import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { request } from 'undici';
import { MO_HOOK_PATH, startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign as confirmSend } from './send-confirmed';

const SANDBOX = 'Sandbox (built-in simulator)';

let shell: RunningShell;
/** Plays the platform's part for replies: its MO hook posts them to the shell's receiver. */
let phones: Simulator;
const PHONES_KEY = 'e2e-inbox-key-7c2d';

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

failOnPageErrors();

async function sendCampaign(page: Page, name: string, numbers: string[]): Promise<void> {
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: `${name}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(['name,phone', ...numbers.map((n, i) => `Person ${i},${n}`)].join('\n')),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${numbers.length} rows`);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), reply STOP to opt out');
  await page.getByLabel('Sender ID').fill('ACME');
  await confirmSend(page);
  await expect(page.getByTestId('send-state')).toHaveText('Finished.');
}

test('replies arrive live, linked to the campaign; STOP opts out; the inbox exports', async ({ page }) => {
  await page.goto(shell.url);
  await sendCampaign(page, 'spring-sale', ['+1 415 555 3000', '+1 415 555 3001', '+1 415 555 3002']);

  await page.getByRole('tab', { name: 'Replies' }).click();
  await expect(page.getByText('No replies yet.')).toBeVisible();

  await reply('+14155553001', 'What time do you open?');
  const question = page.getByRole('listitem', { name: 'Reply from +14155553001' });
  await expect(question).toContainText('What time do you open?');
  await expect(question.getByRole('button', { name: 'spring-sale · row 2' })).toBeVisible();
  await expect(question).not.toContainText('opted out');

  await reply('+14155553002', 'Stop.');
  const stop = page.getByRole('listitem', { name: 'Reply from +14155553002' });
  await expect(stop).toContainText('opted out');
  await reply('+447911123456', '=HYPERLINK("http://example.com","prize")');
  const stranger = page.getByRole('listitem', { name: 'Reply from +447911123456' });
  await expect(stranger).toContainText('No campaign messaged this number');
  await expect(page.getByTestId('inbox-total')).toHaveText('3 replies');
  await expect(
    page.getByRole('list', { name: 'Replies' }).getByRole('listitem').first(),
  ).toHaveAccessibleName('Reply from +447911123456');

  await page.getByLabel('Search replies').fill('open');
  await expect(page.getByTestId('inbox-total')).toHaveText('1 reply');
  await page.getByLabel('Search replies').fill('');
  await expect(page.getByTestId('inbox-total')).toHaveText('3 replies');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('replies.csv');
  const file = readFileSync(await download.path(), 'utf8');
  expect(file.slice(0, 2)).toMatch(/^\uFEFF[^\uFEFF]/);
  const csv = file.slice(1);
  const [header, ...rows] = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
  expect(header).toEqual([
    'received_at',
    'service',
    'from',
    'msisdn',
    'to',
    'text',
    'campaign',
    'row',
    'action',
  ]);
  expect(rows.map((r) => r.slice(1))).toEqual([
    [
      SANDBOX,
      '447911123456',
      '+447911123456',
      '56263',
      `'=HYPERLINK("http://example.com","prize")`,
      '',
      '',
      '',
    ],
    [SANDBOX, '14155553002', '+14155553002', '56263', 'Stop.', 'spring-sale', '3', 'opted-out'],
    [SANDBOX, '14155553001', '+14155553001', '56263', 'What time do you open?', 'spring-sale', '2', ''],
  ]);

  await page.getByRole('tab', { name: 'Opt-outs' }).click();
  await expect(page.getByRole('listitem', { name: '+14155553002' })).toContainText(
    `replied "STOP" to ${SANDBOX}`,
  );
  await expect(page.getByTestId('suppression-total')).toHaveText('1 number');

  await page.getByRole('tab', { name: 'Services' }).click();
  const figures = page.getByLabel('Receiver figures');
  await expect(figures).toContainText('Replies3');
  await expect(figures).toContainText('Unmatched reports0');
  await expect(figures).toContainText('Refused posts0');

  await page.getByRole('tab', { name: 'Replies' }).click();
  await question.getByRole('button', { name: 'spring-sale · row 2' }).click();
  await expect(page.getByRole('tab', { name: 'Campaign' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'spring-sale' })).toBeVisible();
});

test('the opt-out keywords can be changed', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Replies' }).click();
  const keywords = page.getByLabel('Opt-out keywords, separated by commas');
  await expect(keywords).toHaveValue(
    'STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, OPT OUT, REVOKE',
  );
  await keywords.fill('stop, halt');
  await page.getByRole('button', { name: 'Save keywords' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Replies' }).getByRole('status')).toHaveText(
    'Keywords saved.',
  );
  await expect(keywords).toHaveValue('STOP, HALT');

  await reply('+14155553010', 'HALT!');
  await expect(page.getByRole('listitem', { name: 'Reply from +14155553010' })).toContainText('opted out');
  await reply('+14155553011', 'quit');
  await expect(page.getByRole('listitem', { name: 'Reply from +14155553011' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Reply from +14155553011' })).not.toContainText(
    'opted out',
  );
});
