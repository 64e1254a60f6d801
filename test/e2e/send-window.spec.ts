import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { clockTime } from '../../shared/window-words';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { sendCampaign } from './send-confirmed';

const YOURS = 'Europe/London';

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell(['--failure-share', '0']);
});

test.afterAll(async () => {
  await shell?.stop();
});

// "Your time" is London's, whatever the machine's zone.
test.use({ timezoneId: YOURS });

failOnPageErrors();

async function expectNoViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const pad = (hour: number) => `${String(((hour % 24) + 24) % 24).padStart(2, '0')}:00`;

function hourIn(zone: string, at: number): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at),
  );
}

/** The next instant at which the wall clock of `zone` reads `clock` ("07:00"), found minute by minute. */
function nextClock(zone: string, clock: string, from: number): number {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const start = Math.ceil(from / 60_000) * 60_000;
  for (let at = start; at < start + 49 * 3600_000; at += 60_000) if (format.format(at) === clock) return at;
  throw new Error(`${zone} never reads ${clock}`);
}

test('a campaign’s own window sends the open zone now, and the rest wait for theirs', async ({ page }) => {
  // A window open in London now (its hour, from the one before to two after) is shut in New York,
  // Sydney and Tokyo, hours away.
  const now = Date.now();
  const hour = hourIn('Europe/London', now);
  const from = pad(hour - 1);
  const to = pad(hour + 2);

  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'zones.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      [
        'name,phone,zone',
        'Ann,+44 20 7946 0010,',
        'Bob,+1 212 555 1000,',
        'Cy,+61 2 9250 1010,',
        // A London number whose recipient the file says is in Tokyo.
        'Di,+44 20 7946 0011,Asia/Tokyo',
      ].join('\n'),
    ),
  });
  await expect(page.getByTestId('file-summary')).toContainText('4 rows');
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), the sale starts today.');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Time zone column').selectOption({ label: 'zone' });

  // The zones come from the numbers, and Di's from the file's column.
  await expect(page.getByTestId('zone-0')).toHaveText('Europe/London');
  await expect(page.getByTestId('zone-1')).toHaveText('America/New York');
  await expect(page.getByTestId('zone-2')).toHaveText('Australia/Sydney');
  await expect(page.getByTestId('zone-3')).toHaveText('Asia/Tokyofrom file');

  const windowChoice = page.getByRole('group', { name: 'Send window' });
  // The Sandbox reaches no phone: it has no window of its own.
  await expect(windowChoice.getByRole('radio', { name: "Service's (none: any hour)" })).toBeChecked();
  await windowChoice.getByRole('radio', { name: "This campaign's own" }).check();
  await windowChoice.getByLabel('From').fill(from);
  await windowChoice.getByLabel('To').fill(to);
  await expect(windowChoice).toContainText(`Messages wait until ${from} on each recipient's own clock`);
  await expect(page.getByTestId('problem')).toBeEmpty();

  const summary = `1 of 4 rows go at once; the rest wait for this campaign's window, ${from}–${to} on each recipient's clock.`;
  const opens = (zone: string) => nextClock(zone, from, now);
  const expected = [
    ['America/New_York', 'America/New York'],
    ['Australia/Sydney', 'Australia/Sydney'],
    ['Asia/Tokyo', 'Asia/Tokyo'],
  ]
    .map(([zone, name]) => ({ at: opens(zone as string), name }))
    .sort((a, b) => a.at - b.at);
  const waitLines = expected.map(
    ({ at, name }) =>
      `1 row waits for ${from} their time (${name}), ${clockTime(new Date(at).toISOString(), YOURS)} yours`,
  );
  const last = expected.at(-1)?.at as number;
  const finish = `finishes after ${clockTime(new Date(last).toISOString(), YOURS)} your time`;

  // Before the plan is asked for, the Send panel says the same of a send now.
  const preview = page.getByRole('region', { name: 'Send window, if you send now' });
  await expect(preview.getByTestId('preview-window-summary')).toHaveText(summary);
  await expect(preview.getByTestId('preview-waits').getByRole('listitem')).toHaveText(waitLines);
  await expect(preview.getByTestId('preview-finish')).toContainText(finish);
  await page
    .getByRole('region', { name: 'Send', exact: true })
    .screenshot({ path: '/tmp/send-window-preview.png' });
  // The message preview of Bob's row says when his would go.
  await page.getByTestId('row-1').click();
  const bobOpens = clockTime(new Date(opens('America/New_York')).toISOString(), YOURS);
  await expect(page.getByTestId('preview-row-wait')).toHaveText(
    `· waits for its window: until ${clockTime(new Date(opens('America/New_York')).toISOString(), 'America/New_York')} their time (${bobOpens} yours)`,
  );
  await page
    .getByRole('figure', { name: 'Message preview' })
    .screenshot({ path: '/tmp/send-window-row.png' });
  await page.getByTestId('row-0').click();
  await expect(page.getByTestId('preview-row-wait')).toHaveCount(0);
  // History's list, which leaves the window out, does not take it from the campaign.
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('button', { name: 'Open zones' })).toBeVisible();
  await page.getByRole('tab', { name: 'Campaign' }).click();
  await expect(preview.getByTestId('preview-window-summary')).toHaveText(summary);

  await page.getByRole('button', { name: 'Send campaign' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('plan-window-summary')).toHaveText(summary);
  await expect(dialog.getByTestId('plan-waits').getByRole('listitem')).toHaveText(waitLines);
  await expect(dialog.getByTestId('plan-finish')).toContainText(finish);
  await expectNoViolations(page);
  await page.screenshot({ path: '/tmp/send-window-plan.png' });
  await dialog.getByRole('button', { name: 'Back' }).click();
  await sendCampaign(page);

  // London's row goes; the others wait, shown as waiting everywhere they are counted.
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 1');
  await expect(page.getByTestId('count-waiting')).toHaveText('waiting 3');
  await expect(page.getByTestId('sent-progress')).toHaveText('1 of 4 messages sent');
  await expect(page.getByTestId('send-state')).toHaveText(
    'Waiting: every message left waits for its window to open.',
  );
  await expect(page.getByTestId('next-window')).toHaveText(
    `Next window opens at ${clockTime(new Date(expected[0]?.at as number).toISOString(), YOURS)} (your time).`,
  );
  await expect(page.getByTestId('status-1')).toHaveText('waiting');
  await expect(page.getByTestId('status-1')).toHaveAttribute('title', 'Waiting for its window');
  await expect(page.getByTestId('dash-count-waiting')).toHaveText('waiting 3');
  await expect(page.getByTestId('dash-sent')).toHaveText('1');
  await expect(page.getByTestId('dash-count-delivered')).toHaveText('delivered 1');
  await expect(page.getByTestId('dashboard-next-window')).toContainText('Next window opens at');

  await page.getByTestId('show-waiting').click();
  await expect(page.getByTestId('active-filter')).toContainText('Showing 3 of 4 rows: waiting');
  await page.screenshot({ path: '/tmp/send-window-sending.png', fullPage: true });
  await page.getByTestId('row-3').click();
  const details = page.getByRole('dialog', { name: 'Row 4' });
  await expect(details.getByTestId('row-zones')).toHaveText("Asia/Tokyo (from the file's time-zone column)");
  await expect(details.getByTestId('row-status')).toHaveText('waiting');
});

test('a saved service’s send window is set, shown, and cleared', async ({ page }) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  await expect(page.getByRole('listitem', { name: 'Sandbox' }).getByTestId('service-window')).toHaveText(
    'none: any hour',
  );
  await page.getByRole('button', { name: 'Add IMIconnect service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Shop line');
  await page.getByLabel('Base URL').fill('https://api.uk.webexconnect.io');
  await page.getByLabel('Service key').fill('e2e-window-key-77ad');

  // A new service keeps to 08:00–21:00 every day unless told otherwise.
  const on = page.getByRole('checkbox', { name: 'Send only inside a send window' });
  const form = page.getByRole('group', { name: "Send window (recipient's local time)" });
  await expect(on).toBeChecked();
  await expect(form.getByLabel('From')).toHaveValue('08:00');
  await expect(form.getByLabel('To')).toHaveValue('21:00');
  await expect(form.getByText("Messages wait until 08:00 on each recipient's own clock")).toBeVisible();
  await form.getByLabel('From').fill('09:30');
  await form.getByLabel('To').fill('17:00');
  await form.getByRole('checkbox', { name: 'Sat' }).uncheck();
  await form.getByRole('checkbox', { name: 'Sun' }).uncheck();
  await expectNoViolations(page);
  await page.screenshot({ path: '/tmp/send-window-service-form.png', fullPage: true });
  await page.getByRole('button', { name: 'Save service' }).click();

  const card = page.getByRole('listitem', { name: 'Shop line' });
  await expect(card.getByTestId('service-window')).toHaveText(
    "09:30–17:00 Mon–Fri on each recipient's clock",
  );

  await card.getByRole('button', { name: 'Edit' }).click();
  await expect(on).toBeChecked();
  await expect(form.getByLabel('From')).toHaveValue('09:30');
  await expect(form.getByRole('checkbox', { name: 'Sat' })).not.toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'Mon' })).toBeChecked();
  await on.uncheck();
  await expect(form.getByLabel('From')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(card.getByTestId('service-window')).toHaveText('none: any hour');

  await card.getByRole('button', { name: 'Edit' }).click();
  await expect(on).not.toBeChecked();
});

test('rows whose window never opens in all their zones at once are the plan’s problem, in words', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'toll-free.csv',
    mimeType: 'text/csv',
    // A toll-free number may ring anywhere from Guam to Newfoundland.
    buffer: Buffer.from(['name,phone', 'Ann,+44 20 7946 0010', 'Help line,+1 800 555 0100'].join('\n')),
  });
  await expect(page.getByTestId('file-summary')).toContainText('2 rows');
  await expect(page.getByTestId('zone-1')).toHaveText(/^America\/Adak \+\d+$/);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  const windowChoice = page.getByRole('group', { name: 'Send window' });
  await windowChoice.getByRole('radio', { name: "This campaign's own" }).check();
  await windowChoice.getByLabel('From').fill('08:00');
  await windowChoice.getByLabel('To').fill('09:00');

  const never =
    /^1 row could never be sent within 08:00–09:00: its number may be in any of several time zones \(America\/Adak, .*\) whose windows never overlap\. Give those rows a time-zone column in the file, or widen the window\.$/;
  // Said before the plan is asked for.
  await expect(page.getByTestId('preview-never')).toHaveText(never);
  await page.getByRole('button', { name: 'Send campaign' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('plan-problem')).toHaveText(never);
  await expect(dialog.getByRole('button', { name: 'Confirm and send' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Back' }).click();

  // No window at all: every row goes at once.
  await windowChoice.getByRole('radio', { name: 'None: send at any hour' }).check();
  await page.getByRole('button', { name: 'Send campaign' }).click();
  await expect(dialog.getByTestId('plan-window-summary')).toHaveText(
    'No send window: every message goes at once, whatever the hour where its recipient is.',
  );
  await expect(dialog.getByTestId('plan-waits')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Confirm and send' })).toBeEnabled();
});
