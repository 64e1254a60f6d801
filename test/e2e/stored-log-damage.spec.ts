import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

let shell: RunningShell;

const optOut = (msisdn: string) =>
  JSON.stringify({ t: 'add', at: '2026-03-02T10:00:00.000Z', msisdn, reason: 'replied "STOP" to Sandbox' });

/** A data folder whose opt-out list and inbox each have lines a disk or a copy damaged. */
test.beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'campaign-desk-e2e-'));
  await writeFile(
    join(dataDir, 'suppression.ndjson'),
    [
      optOut('+14155552001'),
      optOut('+14155552002').replace('"add"', '"a\u0000d"'),
      optOut('+14155552003').slice(0, 60),
      '',
    ].join('\n'),
  );
  const reply = {
    id: 'reply-1',
    serviceId: 'sandbox',
    from: '14155552004',
    msisdn: '+14155552004',
    to: '56263',
    text: 'Is the shop open on Sunday?',
    receivedAt: '2026-03-02T10:05:00.000Z',
    match: null,
    action: null,
    tid: 'tid-1',
    raw: {},
  };
  await writeFile(
    join(dataDir, 'inbox.ndjson'),
    `${JSON.stringify(reply)}\n${JSON.stringify({ ...reply, id: 'reply-2', tid: 'tid-2' }).slice(0, 90)}`,
  );
  shell = await startShell([], dataDir);
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

test('the opt-out list and the inbox say which lines are damaged, and the send plan warns of it', async ({
  page,
}) => {
  await page.goto(shell.url);

  await page.getByRole('tab', { name: 'Opt-outs' }).click();
  const optOuts = page.getByTestId('stored-file-damage');
  await expect(optOuts).toContainText('Part of the opt-out list on disk is damaged.');
  await expect(optOuts.getByRole('listitem')).toHaveText([
    'Opt-out list: 2 lines of its file were damaged: lines 2 (at byte 107) and 3 (at byte 214).',
    '+14155552002 was read from them and is treated as opted out.',
    'One damaged line names no number that can be read: a number that opted out may be missing from the list and could be messaged. Check the list before sending, and add again any number you know opted out.',
    'The file is kept as it is: nothing in it is deleted, and what is added goes on a fresh line after it.',
  ]);
  await expect(page.getByTestId('suppression-total')).toHaveText('2 numbers');
  await page.screenshot({ path: '/tmp/opt-out-damage.png', fullPage: false });

  await page.getByRole('tab', { name: 'Replies' }).click();
  const inbox = page.getByTestId('stored-file-damage');
  await expect(inbox).toContainText('Part of the inbox on disk is damaged.');
  await expect(inbox.getByRole('listitem').first()).toHaveText(
    /^Inbox: line 2 \(at byte \d+\) of its file was damaged\.$/,
  );
  await expect(inbox.getByRole('listitem').nth(1)).toHaveText('The reply on it is not shown, nor exported.');
  await expect(page.getByTestId('inbox-total')).toHaveText('1 reply');
  await page.screenshot({ path: '/tmp/inbox-damage.png', fullPage: false });

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'sunday.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,phone\nAnn,+1 415 555 2001\nBob,+1 415 555 2002\nCy,+1 415 555 2003\n'),
  });
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), we open on Sunday.');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await page.getByRole('button', { name: 'Send campaign' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send “sunday”?' });
  // Ann is listed, Bob was read from a damaged line: only Cy is messaged, and the plan says why to check.
  await expect(dialog.getByTestId('plan-ready')).toHaveText('1 recipient');
  await expect(dialog.getByTestId('stored-file-damage')).toContainText(
    'a number that opted out may be missing from the list and could be messaged',
  );
  await page.screenshot({ path: '/tmp/send-plan-opt-out-damage.png', fullPage: false });
});
