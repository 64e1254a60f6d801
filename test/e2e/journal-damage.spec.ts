import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startNodeDesk } from '../../electron/core/node-desk';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

let shell: RunningShell;
let firstBatch: { line: number; rows: number[] };

/** A campaign sent through the Sandbox, whose journal then lost a byte in its first batch line. */
test.beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'campaign-desk-e2e-'));
  const desk = await startNodeDesk(dataDir, {
    sandbox: { failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10, tps: null },
  });
  const lines = ['name,phone'];
  for (let i = 0; i < 12; i++) lines.push(`Person ${i},+1 415 555 ${String(2000 + i)}`);
  const { id } = await desk.importRecipients('spring-sale.csv', { text: lines.join('\n') });
  await desk.update(id, { phoneColumn: 1, defaultCountry: 'US', template: 'Hi $(name)', senderId: 'ACME' });
  await desk.send(id, { batchSize: 5 });
  await desk.finished(id);
  await desk.close();

  const path = join(dataDir, 'campaigns', id, 'journal.ndjson');
  const text = (await readFile(path, 'utf8')).split('\n');
  const line = text.findIndex((l) => l.startsWith('{"t":"batch"'));
  firstBatch = { line: line + 1, rows: (JSON.parse(text[line] as string) as { rows: number[] }).rows };
  text[line] = (text[line] as string).replace('"batch"', '"b\u0000tch"');
  await writeFile(path, text.join('\n'));
  shell = await startShell([], dataDir);
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

test('a campaign whose journal has a damaged line says which rows were counted as sent', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Open spring-sale' }).click();
  const notice = page.getByTestId('journal-damage');
  await expect(notice).toContainText("Part of this campaign's record on disk is damaged.");
  const { line, rows } = firstBatch;
  await expect(notice.getByRole('listitem')).toHaveText([
    `Line ${line} of this campaign's journal was damaged: rows ${rows[0]! + 1}–${rows.at(-1)! + 1} were counted as sent (answers or reports for them were found).`,
  ]);
  // Nothing is left to send: the rows of the damaged line are not offered again.
  await expect(page.getByRole('button', { name: /^Resume sending/ })).toHaveCount(0);
  await page.screenshot({ path: '/tmp/journal-damage.png', fullPage: false });
});
