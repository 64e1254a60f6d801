import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

failOnPageErrors();

const MB = 1024 * 1024;
let shell: RunningShell | undefined;

test.afterAll(async () => {
  await shell?.stop();
});

/** `count` lines of about `bytes` each, made by `line(i)`, as one file. */
function writeLines(path: string, count: number, line: (i: number) => object): void {
  writeFileSync(path, Array.from({ length: count }, (_, i) => `${JSON.stringify(line(i))}\n`).join(''));
}

test('after a flood of long replies the app starts, shows the newest, and says what it deleted', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'campaign-desk-e2e-'));
  const first = Date.UTC(2026, 2, 1, 9, 0, 0);
  // Replies as the inbox writes them: 70 MB, past its 64 MB bound (192 MB with the older files it keeps).
  writeLines(join(dataDir, 'inbox.ndjson'), 30_000, (i) => {
    const text = `Reply ${i}: ${'please call me back '.repeat(56)}`;
    return {
      id: `r${i}`,
      serviceId: 'sandbox',
      from: '14155550100',
      msisdn: '+14155550100',
      to: '56263',
      text,
      receivedAt: new Date(first + i * 60_000).toISOString(),
      match: null,
      action: null,
      tid: `t${i}`,
      raw: { oa: '14155550100', da: '56263', message: text, tid: `t${i}` },
    };
  });
  expect(statSync(join(dataDir, 'inbox.ndjson')).size).toBeGreaterThan(68 * MB);
  // Reports that named no row, past their 16 MB bound.
  writeLines(join(dataDir, 'unmatched-reports.ndjson'), 9_000, (i) => ({
    at: new Date(first + i * 1000).toISOString(),
    raw: { deliveryInfoNotification: { transid: `x${i}`, padding: 'z'.repeat(1900) } },
    reason: 'no matching row',
  }));
  // Refused posts, past their 512 KB bound.
  writeLines(join(dataDir, 'rejected-posts.ndjson'), 200, (i) => ({
    at: new Date(first + i * 1000).toISOString(),
    source: '203.0.113.9',
    endpoint: 'dr',
    status: 400,
    reason: 'invalid JSON',
    contentType: 'application/json',
    bytes: 4096,
    body: 'q'.repeat(4096),
    truncated: false,
  }));

  const started = Date.now();
  shell = await startShell(['--failure-share', '0'], dataDir);
  console.log(`started in ${Date.now() - started} ms on a 70 MB inbox`);
  expect(statSync(join(dataDir, 'inbox.ndjson')).size).toBeLessThanOrEqual(64 * MB);

  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Replies' }).click();
  const newest = page.getByRole('list', { name: 'Replies' }).getByRole('listitem').first();
  await expect(newest).toContainText('Reply 29999:');
  const note = page.getByTestId('inbox-dropped');
  await expect(note).toContainText(
    /Replies received before .+ \([\d,]+\) were deleted to keep the inbox under 192 MB/,
  );
  const total = Number((await page.getByTestId('inbox-total').textContent())?.replace(/\D/g, ''));
  const deleted = Number((await note.textContent())?.match(/\(([\d,]+)\)/)?.[1]?.replace(/,/g, ''));
  expect(total + deleted).toBe(30_000);
  await page.screenshot({ path: '/tmp/bounded-replies.png' });

  await page.getByRole('tab', { name: 'Services' }).click();
  await expect(page.getByTestId('unmatched-dropped')).toContainText(
    /The oldest [\d,]+ unmatched reports were deleted to keep them under 48 MB\./,
  );
  await expect(page.getByTestId('rejected-dropped')).toContainText(
    /[\d,]+ refused posts were deleted or not kept, to keep them under 1 MB\./,
  );
  await page.getByTestId('rejected-dropped').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/bounded-receiver.png' });
});
