import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

let shell: RunningShell;
let scratch: string;

test.beforeAll(async () => {
  shell = await startShell();
  scratch = mkdtempSync(join(tmpdir(), 'campaign-desk-recipients-'));
});

test.afterAll(async () => {
  await shell?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

failOnPageErrors();

/** Writes a recipient file to a scratch folder and returns its path. */
function writeCsv(name: string, lines: readonly string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function importFile(page: Page, path: string, summary: string): Promise<void> {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles(path);
  await expect(page.getByTestId('file-summary')).toContainText(summary);
}

/** The rows the table shows, by their number in the file (1-based). */
async function shownRows(page: Page): Promise<number[]> {
  const cells = page.locator('[role="row"][data-index] [role="cell"]:first-child');
  return (await cells.allTextContents()).map(Number);
}

async function expectRow(page: Page, index: number, status: string, detail?: string, msisdn?: string) {
  await expect(page.getByTestId(`status-${index}`)).toHaveText(status);
  if (detail === undefined) await expect(page.getByTestId(`detail-${index}`)).toHaveCount(0);
  else await expect(page.getByTestId(`detail-${index}`)).toHaveText(detail);
  if (msisdn !== undefined) await expect(page.getByTestId(`msisdn-${index}`)).toHaveText(msisdn);
}

test('changing the phone column and the default country re-checks every row', async ({ page }) => {
  await importFile(page, fixture('mapping.csv'), 'mapping.csv · 3 rows');
  const phoneColumn = page.getByLabel('Phone column');
  // Read as US numbers, only "work phone" is mostly numbers; the UK ones in "phone" are not.
  await expect(phoneColumn.locator('option:checked')).toHaveText('work phone');
  await expect(page.getByTestId('phone-column-note')).toHaveText(
    'Using \u2018work phone\u2019 (100 % numbers).',
  );
  await expect(page.getByLabel('Default country')).toHaveValue('US');
  await phoneColumn.selectOption({ label: 'phone' });
  // UK numbers written without +44 are not US numbers.
  await expectRow(page, 0, 'skipped', 'invalid number', '—');
  await expectRow(page, 1, 'skipped', 'invalid number', '—');
  await expectRow(page, 2, 'ready', undefined, '+14155550103');
  await expect(page.getByTestId('show-invalid-number')).toHaveText('invalid number 2');

  await page.getByLabel('Default country').selectOption('GB');
  await expectRow(page, 0, 'ready', undefined, '+447911123456');
  await expectRow(page, 1, 'ready', undefined, '+447911123457');
  await expectRow(page, 2, 'ready', undefined, '+14155550103');
  await expect(page.getByTestId('show-invalid-number')).toHaveCount(0);
  await expect(page.getByTestId('show-ready')).toHaveText('ready 3');

  await phoneColumn.selectOption({ label: 'work phone' });
  await expect(page.getByRole('columnheader', { name: 'work phone' })).toBeVisible();
  await expectRow(page, 0, 'skipped', 'invalid number');
  await expectRow(page, 1, 'skipped', 'no phone number');
  await expectRow(page, 2, 'skipped', 'invalid number');

  await page.getByLabel('Default country').selectOption('US');
  await expectRow(page, 0, 'ready', undefined, '+14155550101');
  await expectRow(page, 1, 'skipped', 'no phone number', '—');
  await expectRow(page, 2, 'ready', undefined, '+14155550103');
  await expect(page.getByTestId('show-missing-number')).toHaveText('no phone number 1');

  // A filtered list follows the changes, including when it empties and fills again.
  await page.getByTestId('show-missing-number').click();
  await expect.poll(() => shownRows(page)).toEqual([2]);
  await phoneColumn.selectOption({ label: 'phone' });
  await expect(page.getByTestId('no-rows')).toBeVisible();
  await expect(page.getByTestId('active-filter')).toContainText('Showing 0 of 3 rows');
  await phoneColumn.selectOption({ label: 'work phone' });
  await expect.poll(() => shownRows(page)).toEqual([2]);
  await page.getByRole('button', { name: 'Clear filter' }).click();

  // The settings were saved: a reload shows the same.
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Open mapping' }).first().click();
  await expect(phoneColumn.locator('option:checked')).toHaveText('work phone');
  await expectRow(page, 0, 'ready', undefined, '+14155550101');
});

test('the counts filter the table, and search narrows it', async ({ page }) => {
  await importFile(page, fixture('recipients.csv'), 'recipients.csv · 6 rows');
  await expect(page.getByTestId('show-ready')).toHaveText('ready 4');
  await expect(page.getByTestId('show-skipped')).toHaveText('skipped 2');
  await expect(page.getByTestId('show-duplicate')).toHaveText('duplicate number 1');

  await page.getByTestId('show-invalid-number').click();
  await expect(page.getByTestId('show-invalid-number')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('active-filter')).toContainText(
    'Showing 1 of 6 rows: skipped: invalid number',
  );
  await expect.poll(() => shownRows(page)).toEqual([4]);
  await expectRow(page, 3, 'skipped', 'invalid number');

  await page.getByTestId('show-skipped').click();
  await expect.poll(() => shownRows(page)).toEqual([4, 6]);
  await page.getByTestId('show-ready').click();
  await expect.poll(() => shownRows(page)).toEqual([1, 2, 3, 5]);

  // Search combines with the status shown, and looks in cells, numbers and messages.
  const search = page.getByLabel('Search recipients');
  await search.fill('boston');
  await expect.poll(() => shownRows(page)).toEqual([2]);
  await expect(page.getByTestId('active-filter')).toContainText('ready, containing “boston”');
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('active-filter')).toHaveCount(0);
  await expect.poll(() => shownRows(page)).toEqual([1, 2, 3, 4, 5, 6]);

  await search.fill('+1415555010');
  await expect.poll(() => shownRows(page)).toEqual([1, 2, 5, 6]);
  await search.fill('nobody here');
  await expect(page.getByTestId('no-rows')).toBeVisible();
  await expect.poll(() => shownRows(page)).toEqual([]);

  // A row picked from a filtered list is the one previewed.
  await search.fill('cara');
  await expect.poll(() => shownRows(page)).toEqual([3]);
  await page.getByTestId('row-2').click();
  await expect(page.getByRole('figure', { name: 'Message preview' })).toContainText('to +447911123456');
  await expect(page.getByRole('figure', { name: 'Message preview' })).toContainText('Row 3');
});

test('next problem selects and scrolls to each row that will not be sent', async ({ page }) => {
  const count = 3_000;
  const lines = Array.from({ length: count }, (_, i) => {
    if (i === 2_399) return `Person ${i + 1},not a phone`;
    if (i === 2_799) return `Person ${i + 1},+1 415 555 0000`;
    return `Person ${i + 1},+1 415 555 ${String(i).padStart(4, '0')}`;
  });
  await importFile(page, writeCsv('problems.csv', ['name,phone', ...lines]), 'problems.csv · 3,000 rows');
  const next = page.getByRole('button', { name: 'Next problem' });
  const caption = page.getByRole('figure', { name: 'Message preview' }).locator('figcaption');

  await next.click();
  await expect(page.getByTestId('row-2399')).toBeInViewport();
  await expect(page.getByTestId('row-2399')).toHaveAttribute('aria-current', 'true');
  await expect(caption).toHaveText('Row 2,400 · not sent: invalid number');

  await next.click();
  await expect(page.getByTestId('row-2799')).toHaveAttribute('aria-current', 'true');
  await expect(caption).toHaveText('Row 2,800 · not sent: duplicate number');

  // It wraps around to the first problem.
  await next.click();
  await expect(page.getByTestId('row-2399')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('row-2399')).toBeInViewport();

  // With a search active, the search is cleared to land on the problem.
  await page.getByLabel('Search recipients').fill('Person 12');
  await expect(page.getByTestId('active-filter')).toBeVisible();
  await next.click();
  await expect(page.getByTestId('active-filter')).toHaveCount(0);
  await expect(page.getByTestId('row-2799')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('row-2799')).toBeInViewport();

  // In a list of skipped rows, it steps through that list.
  await page.getByTestId('show-skipped').click();
  await expect.poll(() => shownRows(page)).toEqual([2400, 2800]);
  await next.click();
  await expect(caption).toContainText('Row 2,400');
  await next.click();
  await expect(caption).toContainText('Row 2,800');
});

test('the skipped rows can be exported with their reasons', async ({ page }) => {
  const path = writeCsv('gaps.csv', [
    'name,phone,city',
    'Ann,+1 415 555 0101,Austin',
    'Bob,+1 415 555 0102,',
    'Dev,12345,Denver',
    'Finn,+1 (415) 555-0101,Fresno',
  ]);
  await importFile(page, path, 'gaps.csv · 4 rows');
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), see you in $(city).');
  await expectRow(page, 1, 'skipped', 'missing value: $(city)');
  await expect(page.getByTestId('show-missing-value')).toHaveText('missing value 1');
  await page.getByTestId('row-1').click();
  await expect(page.getByTestId('row-stats')).toContainText('Empty in this row: $(city)');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export skipped rows' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('gaps-skipped.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv.startsWith('\uFEFF\uFEFF')).toBe(false);
  const { data } = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
  expect(data).toEqual([
    ['name', 'phone', 'city', 'row', 'skip_reason', 'empty_placeholders'],
    ['Bob', '+1 415 555 0102', '', '2', 'missing-value', 'city'],
    ['Dev', '12345', 'Denver', '3', 'invalid-number', ''],
    ['Finn', '+1 (415) 555-0101', 'Fresno', '4', 'duplicate', ''],
  ]);
});

test('the characters that force UCS-2 are named and look-alikes replaced in one click', async ({ page }) => {
  await importFile(page, fixture('recipients.csv'), 'recipients.csv · 6 rows');
  const message = page.getByLabel('Message', { exact: true });
  await message.fill('Hi $(name), it\u2019s \u201cready\u201d \u2013 see you soon\u2026');
  const stats = page.getByTestId('row-stats');
  await expect(stats).toContainText('Row 1: 36 characters · UCS-2 · 1 segment');
  const named = page.getByRole('list', { name: 'Characters that force UCS-2' });
  await expect(named.getByRole('listitem')).toHaveText([
    '\u2019 right single quote (look-alike)',
    '\u201c left double quote (look-alike)',
    '\u201d right double quote (look-alike)',
    '\u2013 en dash (look-alike)',
    '\u2026 ellipsis (look-alike)',
  ]);

  await page.getByRole('button', { name: 'Replace look-alikes' }).click();
  await expect(message).toHaveValue('Hi $(name), it\'s "ready" - see you soon...');
  await expect(stats).toContainText('Row 1: 38 characters · GSM-7 · 1 segment');
  await expect(page.getByTestId('ucs2-note')).toHaveCount(0);
  await expect(page.getByTestId('message-0')).toHaveText('Hi Ann, it\'s "ready" - see you soon...');

  // A character with no plain look-alike is named in words, and nothing is offered to replace.
  await message.fill('Hi $(name) \u{1F600}');
  await expect(stats).toContainText('UCS-2');
  await expect(named.getByRole('listitem')).toHaveText(['\u{1F600} an emoji']);
  await expect(page.getByRole('button', { name: 'Replace look-alikes' })).toHaveCount(0);
});

test('a smartlink must be set up; it counts as the short link and reads the same in the preview and the table', async ({
  page,
}) => {
  await importFile(page, fixture('recipients.csv'), 'recipients.csv · 6 rows');
  await page.getByLabel('Sender ID').fill('ACME');
  const message = page.getByLabel('Message', { exact: true });
  await message.fill('Sale today: {{link_promo}}');
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveText(
    'The message uses {{link_promo}}, but no such smartlink is set up for this campaign.',
  );
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeDisabled();
  await expect(page.getByTestId('unknown-smartlinks')).toContainText('Not set up yet: {{link_promo}}');

  await page.getByRole('button', { name: 'Set up promo' }).click();
  await expect(page.getByLabel('Link ID')).toHaveValue('promo');
  const adding = page.getByRole('group', { name: 'Add a smartlink' });
  await expect(adding.getByLabel('Unit')).toHaveValue('days');
  await adding.getByLabel('Valid for').fill('3651');
  await page.getByRole('button', { name: 'Add smartlink' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Valid for is a whole number of days from 1 to 3,650 (ten years).',
  );
  await adding.getByLabel('Valid for').fill('7');
  await page.getByRole('button', { name: 'Add smartlink' }).click();
  await expect(problem).toBeEmpty();
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
  await expect(page.getByTestId('unknown-smartlinks')).toHaveCount(0);
  const links = page.getByRole('list', { name: 'Smartlinks of this campaign' });
  const promo = links.getByRole('listitem', { name: 'promo' });
  await expect(promo).toContainText('{{link_promo}}');
  await expect(promo.getByLabel('Validity of promo')).toHaveValue('7');
  await expect(promo).toContainText('sent as 10,080 minutes');
  await promo.getByLabel('Validity of promo').fill('90');
  await promo.getByLabel('Unit of promo').selectOption('minutes');
  await expect(promo).toContainText('sent as 90 minutes');

  await expect(page.getByTestId('preview-bubble')).toHaveText('Sale today: [link: promo]');
  // 12 characters of text and the 23 of the platform's short link.
  await expect(page.getByTestId('row-stats')).toContainText('Row 1: 35 characters · GSM-7 · 1 segment');
  await expect(page.getByTestId('message-0')).toHaveText('Sale today: [link: promo]');

  // Insert puts the link at the cursor; an unknown link id keeps the campaign from being sent.
  await message.fill('Hi $(name)! ');
  await message.press('End');
  await links.getByRole('button', { name: 'Insert' }).click();
  await expect(message).toHaveValue('Hi $(name)! {{link_promo}}');
  await message.fill('Hi {{link_promo}} {{link_other}}');
  await expect(problem).toHaveText(
    'The message uses {{link_other}}, but no such smartlink is set up for this campaign.',
  );

  // Settings survive a reload.
  await page.reload();
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Open recipients' }).first().click();
  await expect(page.getByLabel('Validity of promo')).toHaveValue('90');
  await expect(page.getByLabel('Unit of promo')).toHaveValue('minutes');
});

test('a message longer than the service takes is shown in the composer and its row, and blocks Send', async ({
  page,
}) => {
  const path = writeCsv('long-notes.csv', [
    'name,phone,note',
    'Ann,+14155550101,short',
    `Bob,+14155550102,${'x'.repeat(1092)}`,
  ]);
  await importFile(page, path, 'long-notes.csv · 2 rows');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), $(note)');
  await expect(page.getByTestId('length-warning')).toHaveText(
    "The longest message, row 2's, is 1,100 characters; Messaging API v1 takes at most 1,024. Shorten the message or that row's values.",
  );
  await expectRow(page, 1, 'ready', 'too long: 1,100 characters, at most 1,024');
  await expect(page.getByTestId('detail-1')).toHaveAttribute(
    'title',
    '1,100 characters; Messaging API v1 takes at most 1,024',
  );
  await expectRow(page, 0, 'ready');
  await expect(page.getByTestId('problem')).toContainText("Row 2's message is 1,100 characters");
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeDisabled();

  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await expect(page.getByTestId('length-warning')).toHaveCount(0);
  await expectRow(page, 1, 'ready');
  await expect(page.getByRole('button', { name: 'Send campaign' })).toBeEnabled();
});

test('a close runner-up for the phone column is shown and taken in one click', async ({ page }) => {
  const path = writeCsv('hubspot.csv', [
    'Record ID,First Name,Phone Number,Mobile Phone Number',
    ...['Ann', 'Bob', 'Cara', 'Dev', 'Eve', 'Finn', 'Gus', 'Hal'].map(
      (name, i) => `5100010${i},${name},${i === 1 ? '' : `(415) 555-010${i}`},(415) 555-011${i}`,
    ),
  ]);
  // Both columns hold US numbers, which cannot be told mobile or landline; one row has no "Phone Number".
  await importFile(page, path, 'hubspot.csv · 8 rows');
  const note = page.getByTestId('phone-column-note');
  await expect(note).toContainText(
    'Using \u2018Mobile Phone Number\u2019 (100 % numbers). \u2018Phone Number\u2019 also has numbers (100 % numbers).',
  );
  await note.getByRole('button', { name: 'Use \u2018Phone Number\u2019' }).click();
  await expect(page.getByLabel('Phone column').locator('option:checked')).toHaveText('Phone Number');
  await expect(note).toContainText('Using \u2018Phone Number\u2019 (100 % numbers).');
  await expectRow(page, 1, 'skipped', 'no phone number');
});

test('an opted-out number is skipped in draft campaigns at once', async ({ page }) => {
  const path = writeCsv('optout.csv', [
    'name,phone',
    'Ann,+1 415 555 0191',
    'Bob,(415) 555-0192',
    'Cara,+44 7911 123490',
  ]);
  await importFile(page, path, 'optout.csv · 3 rows');
  await expectRow(page, 1, 'ready', undefined, '+14155550192');

  await page.getByRole('tab', { name: 'Opt-outs' }).click();
  await page.getByLabel('Numbers to add').fill('415 555 0192\nnot a number\n');
  await expect(page.getByLabel('Country of numbers without a country code')).toHaveValue('US');
  await page.getByRole('button', { name: 'Add to opt-outs' }).click();
  const outcome = page.getByTestId('suppression-outcome');
  await expect(outcome).toContainText('1 number added, 0 already listed, 1 not a phone number.');
  await expect(outcome.getByRole('list', { name: 'Invalid numbers' })).toHaveText('not a number');
  await expect(page.getByLabel('Numbers to add')).toHaveValue('not a number');
  const listed = page.getByRole('list', { name: 'Opted-out numbers' });
  await expect(listed.getByRole('listitem', { name: '+14155550192' })).toContainText('added by hand');

  // A CSV of opt-outs, with numbers read in the chosen country.
  await page.getByLabel('Country of numbers without a country code').selectOption('GB');
  await page
    .getByLabel('Import a CSV of numbers')
    .setInputFiles(writeCsv('stop.csv', ['mobile,note', '07911 123490,STOP', 'xyz,typo']));
  await expect(outcome).toContainText(
    'From stop.csv (column \u2018mobile\u2019): 1 number added, 0 already listed, 1 not a phone number.',
  );
  await expect(outcome.getByRole('list', { name: 'Invalid numbers' })).toHaveText('xyz');
  await expect(listed.getByRole('listitem', { name: '+447911123490' })).toContainText(
    'imported from stop.csv',
  );

  await page.getByLabel('Search opt-outs').fill('4479');
  await expect(listed.getByRole('listitem')).toHaveCount(1);
  await page.getByLabel('Search opt-outs').fill('');

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await expectRow(page, 1, 'skipped', 'opted out', '+14155550192');
  await expectRow(page, 2, 'skipped', 'opted out', '+447911123490');
  await expectRow(page, 0, 'ready');
  await expect(page.getByTestId('show-opted-out')).toHaveText('opted out 2');
  await page.getByTestId('row-1').click();
  await expect(page.getByRole('figure', { name: 'Message preview' })).toContainText('not sent: opted out');

  // Removing a number makes its rows sendable again.
  await page.getByRole('tab', { name: 'Opt-outs' }).click();
  await listed.getByRole('button', { name: 'Remove +14155550192' }).click();
  await expect(listed.getByRole('listitem', { name: '+14155550192' })).toHaveCount(0);
  await listed.getByRole('button', { name: 'Remove +447911123490' }).click();
  await expect(listed.getByRole('listitem')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Campaign' }).click();
  await expectRow(page, 1, 'ready', undefined, '+14155550192');
  await expectRow(page, 2, 'ready', undefined, '+447911123490');
});

test('a large import shows its progress and can be cancelled, leaving no campaign', async ({ page }) => {
  const count = 300_000;
  const lines = Array.from(
    { length: count },
    (_, i) =>
      `Person ${i + 1},+1 415 ${String(200 + (i % 700)).padStart(3, '0')} ${String(i % 10_000).padStart(4, '0')},Town ${i % 97}`,
  );
  const path = writeCsv('big.csv', ['name,phone,city', ...lines]);
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles(path);
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText(/Reading rows: [\d,]+ rows? so far|Checking numbers/);
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel import' }).click();
  const notice = page.getByTestId('import-notice');
  await expect(notice).toHaveText('Import cancelled: nothing was imported from big.csv.');
  await expect(notice).not.toHaveClass(/error/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('drop-zone')).toContainText('Choose a CSV file');
  // The Cancel button went with the import: focus is back on the file button, and the outcome is spoken.
  await expect(page.getByLabel('Choose a CSV file')).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText(
    'Import cancelled: nothing was imported from big.csv.',
  );

  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('list', { name: 'Past campaigns' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'big.csv' })).toHaveCount(0);
});

test('a million rows stay within reach: the end of the table and a problem near it', async ({ page }) => {
  test.setTimeout(180_000);
  const count = 1_000_000;
  const lines = Array.from({ length: count }, (_, i) =>
    i === 999_990
      ? `Person ${i + 1},nope`
      : `Person ${i + 1},+1 415 ${200 + Math.floor(i / 10_000)} ${String(i % 10_000).padStart(4, '0')}`,
  );
  const path = writeCsv('million.csv', ['name,phone', ...lines]);
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles(path);
  await expect(page.getByTestId('file-summary')).toContainText('million.csv · 1,000,000 rows', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('msisdn-0')).toHaveText('+14152000000');
  expect(await page.locator('[role="row"][data-index]').count()).toBeLessThan(60);

  // Browsers cap an element's height; the list must still reach its last row.
  await page.evaluate(`(() => {
    const list = document.querySelector('.table-scroll');
    list.scrollIntoView({ block: 'nearest' });
    list.scrollTop = list.scrollHeight;
  })()`);
  await expect(page.getByTestId('row-999999')).toBeInViewport();
  await expect(page.getByTestId('row-999999').getByRole('cell').first()).toHaveText('1000000');
  expect(await page.locator('[role="row"][data-index]').count()).toBeLessThan(60);

  await page.getByTestId('row-0').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Next problem' }).click();
  await expect(page.getByTestId('row-999990')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('row-999990')).toBeInViewport();
  await expect(page.getByRole('figure', { name: 'Message preview' })).toContainText(
    'Row 999,991 · not sent: invalid number',
  );
});

test('a malformed file is refused with the line at fault', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles(fixture('malformed.csv'));
  await expect(page.getByRole('alert')).toHaveText(
    'malformed.csv could not be imported. The file is not valid CSV: on line 4, a quoted cell is never closed.',
  );
  await expect(page.getByLabel('Phone column')).toHaveCount(0);
});

test('a file that is not text is refused, saying so, and imports nothing', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'contacts.csv',
    mimeType: 'text/csv',
    // A JPEG's first bytes, named as a CSV: what a mistaken upload looks like.
    buffer: Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
      Buffer.alloc(4096, 0x3f),
    ]),
  });
  await expect(page.getByRole('alert')).toHaveText(
    'contacts.csv could not be imported. This file is not a text or spreadsheet file (it holds binary data: a NUL byte on line 1). Import a CSV file, or an Excel workbook (.xlsx).',
  );
  await expect(page.getByLabel('Phone column')).toHaveCount(0);
});
