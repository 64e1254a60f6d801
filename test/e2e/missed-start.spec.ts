import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { scheduleCampaign, sendCampaign } from './send-confirmed';

let shell: RunningShell;

test.afterEach(async () => {
  await shell?.stop();
});

failOnPageErrors();

function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

async function scheduledCampaign(page: Page, name: string, inMs: number): Promise<void> {
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: `${name}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from('name,phone\nAda,+1 415 555 0101\nGrace,+1 415 555 0102\n'),
  });
  await expect(page.getByTestId('file-summary')).toContainText('2 rows');
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), doors open at nine');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await page.getByLabel('Start at').fill(localInput(new Date(Date.now() + inMs)));
  await scheduleCampaign(page);
  await expect(page.getByTestId('scheduled-at')).toContainText('Starts by itself at');
}

/** The app was closed past the start: the journal's schedule, as the app wrote it, now lies in the past. */
function movePastStart(dataDir: string, agoMs: number): void {
  const campaigns = join(dataDir, 'campaigns');
  for (const id of readdirSync(campaigns)) {
    const file = join(campaigns, id, 'journal.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const moved = lines.map((line) => {
      if (!line.includes('"t":"schedule"')) return line;
      const event = JSON.parse(line) as { startAt: string | null };
      return JSON.stringify({ ...event, startAt: new Date(Date.now() - agoMs).toISOString() });
    });
    writeFileSync(file, moved.join('\n'));
  }
}

test('a start missed while the app was closed asks: send now, skip, or pick a new time', async ({ page }) => {
  shell = await startShell(['--failure-share', '0']);
  await page.goto(shell.url);
  await scheduledCampaign(page, 'open-day', 3_600_000);
  // Scheduled within the next minutes: the browser says it cannot keep the computer awake.
  await expect(page.getByTestId('keep-awake')).toBeEmpty();
  const { dataDir } = shell;
  await shell.stop({ keepData: true });

  movePastStart(dataDir, 3_600_000);
  shell = await startShell(['--failure-share', '0'], dataDir);
  await page.goto(shell.url);
  const banner = page.getByRole('list', { name: 'Missed scheduled starts' });
  await expect(banner).toContainText('“open-day” was to start at');
  await banner.getByRole('button', { name: 'Open “open-day” to choose' }).click();

  const question = page.getByTestId('missed-start');
  await expect(question).toContainText('It does not start late by itself');
  await expect(page.getByTestId('send-state')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('missed-start.png'), fullPage: true });

  await question.getByRole('button', { name: 'Pick a new time' }).click();
  await expect(page.getByLabel('Start at')).toBeVisible();
  // The banner names campaigns not on screen only.
  await expect(banner).toHaveCount(0);
  await question.getByRole('button', { name: 'Skip this start' }).click();
  await expect(question).toHaveCount(0);
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('list', { name: 'Past campaigns' })).not.toContainText('start missed');
  await expect(banner).toHaveCount(0);
  await page.getByRole('tab', { name: 'Campaign' }).click();
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
  await expect(page.getByLabel('Message', { exact: true })).toBeEnabled();
});

test('sending now after a missed start sends the campaign; a start within minutes asks to keep the computer awake', async ({
  page,
}) => {
  shell = await startShell(['--failure-share', '0']);
  await page.goto(shell.url);
  await scheduledCampaign(page, 'soon', 5 * 60_000);
  const note = page.getByTestId('keep-awake');
  await expect(note).toContainText('a browser window cannot keep this computer from sleeping');
  const { dataDir } = shell;
  await shell.stop({ keepData: true });

  movePastStart(dataDir, 10 * 60_000);
  shell = await startShell(['--failure-share', '0'], dataDir);
  await page.goto(shell.url);
  await page.getByRole('button', { name: 'Open “soon” to choose' }).click();
  await expect(note).toBeEmpty();
  await expect(page.getByTestId('missed-start')).toBeVisible();
  await sendCampaign(page, 'Send now');
  await expect(page.getByTestId('send-state')).toHaveText('Finished.', { timeout: 20_000 });
  for (const i of [0, 1]) await expect(page.getByTestId(`status-${i}`)).toHaveText('delivered');
  await expect(note).toBeEmpty();
});
