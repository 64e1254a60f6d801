import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { cancelCampaign, sendCampaign } from './send-confirmed';

const KEY = 'e2e-a11y-key-5d1e';
/** The Announcer's PROGRESS_INTERVAL_MS: progress is spoken at most this often. */
const PROGRESS_INTERVAL_MS = 5000;
/** A service slow enough (10 messages a second) for a send to last several announcements. */
const SLOW = 'Slow lane';

let shell: RunningShell;
let sim: Simulator;

test.beforeAll(async () => {
  sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 20, finalDelayMs: 20 });
  // Some of the Sandbox's messages fail, so that a sent campaign shows failures too.
  shell = await startShell(['--failure-share', '0.3']);
  await callCore('services.save', { name: SLOW, baseUrl: sim.url, key: KEY, rate: 10, sendWindow: null });
});

test.afterAll(async () => {
  await shell?.stop();
  await sim?.close();
});

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

failOnPageErrors();

function csv(rows: number, first = 100): Buffer {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++) lines.push(`Person ${i},+1 415 555 ${String(first + i).padStart(4, '0')}`);
  // One row without a number: the draft shows a skipped row and its filter.
  lines.push('Nobody,');
  return Buffer.from(lines.join('\n'));
}

async function importCampaign(page: Page, name: string, rows: number, first?: number): Promise<void> {
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: `${name}.csv`,
    mimeType: 'text/csv',
    buffer: csv(rows, first),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${rows + 1} rows`);
}

/** The WCAG 2.1 A and AA rules axe-core checks, on the page as it is now. */
async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const found = violations.map((v) => ({
    screen,
    rule: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }));
  expect(found).toEqual([]);
}

test('every main screen and dialog passes the automated WCAG 2.1 A/AA audit', async ({ page }) => {
  await page.goto(shell.url);
  await expectNoViolations(page, 'start');

  await importCampaign(page, 'audit', 12);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), your order is ready.');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await expectNoViolations(page, 'draft campaign');

  await page.getByTestId('show-skipped').click();
  await expect(page.getByTestId('show-skipped')).toHaveAttribute('aria-pressed', 'true');
  await expectNoViolations(page, 'filtered recipients');
  await page.getByRole('button', { name: 'Clear filter' }).click();

  await page.getByRole('button', { name: 'Send campaign' }).click();
  const plan = page.getByRole('dialog', { name: 'Send “audit”?' });
  await expect(plan.getByTestId('plan-ready')).toBeVisible();
  await expectNoViolations(page, 'send plan');
  await page.keyboard.press('Escape');
  await expect(plan).toHaveCount(0);

  await sendCampaign(page);
  await expect(page.getByTestId('count-ready')).toHaveCount(0);
  await expect(page.getByTestId('dash-sent')).toHaveText('12');
  await expect(page.getByRole('figure', { name: 'Delivery over time' })).toBeVisible();
  await expectNoViolations(page, 'sent campaign and dashboard');

  await page.getByTestId('row-0').click();
  const details = page.getByRole('dialog', { name: 'Row 1' });
  await expect(details.getByTestId('row-msisdn')).toBeVisible();
  await expectNoViolations(page, 'row details');
  await details.getByRole('button', { name: 'Close' }).click();

  for (const tab of ['History', 'Replies', 'Opt-outs', 'Services']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
    await expectNoViolations(page, tab);
  }
});

/** Presses Tab (Shift+Tab with `back`) until `target` has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

/** Records every text the app's live region takes, and every progress line shown, from now on. */
async function recordAnnouncements(page: Page): Promise<void> {
  // A string: the test's TypeScript knows no DOM.
  await page.evaluate(`(() => {
    window.spoken = [];
    window.shown = [];
    const note = () => {
      const spoken = document.querySelector('[data-testid="announcer"]')?.textContent ?? '';
      const shown = document.querySelector('[data-testid="sent-progress"]')?.textContent ?? '';
      if (spoken && spoken !== window.spoken.at(-1)) window.spoken.push(spoken);
      if (shown && shown !== window.shown.at(-1)) window.shown.push(shown);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

async function recorded(page: Page): Promise<{ spoken: string[]; shown: string[] }> {
  return page.evaluate('({ spoken: window.spoken, shown: window.shown })');
}

test('a campaign can be written, sent and its report reached by keyboard alone, and the send is announced', async ({
  page,
}) => {
  const ROWS = 110;
  await page.goto(shell.url);
  await recordAnnouncements(page);
  await importCampaign(page, 'keys', ROWS, 300);
  // The import's outcome is spoken; focus is on the new campaign's title.
  await expect(page.getByTestId('announcer')).toHaveText(
    `keys.csv imported: ${ROWS + 1} rows, ${ROWS} ready, 1 skipped.`,
  );
  await expect(page.getByRole('heading', { name: 'keys', level: 2 })).toBeFocused();

  await tabTo(page, page.getByLabel('Message', { exact: true }));
  await page.keyboard.type('Hi $(name), your table is ready.');
  await tabTo(page, page.getByLabel('Sender ID'));
  await page.keyboard.type('BISTRO');
  const service = page.getByLabel('Service', { exact: true });
  await tabTo(page, service);
  for (let i = 0; i < 5 && !(await service.locator('option:checked').textContent())?.startsWith(SLOW); i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(service.locator('option:checked')).toHaveText(new RegExp(`^${SLOW}`));
  // The message stats change with every key, and are not announced.
  await expect(
    page.getByTestId('row-stats').locator('xpath=ancestor-or-self::*[@aria-live or @role="status"]'),
  ).toHaveCount(0);
  await expect(page.getByTestId('problem')).toBeEmpty();

  const send = page.getByRole('button', { name: 'Send campaign' });
  await tabTo(page, send);
  await page.keyboard.press('Enter');
  const plan = page.getByRole('dialog', { name: 'Send “keys”?' });
  await expect(plan.getByTestId('plan-ready')).toHaveText(`${ROWS} recipients`);
  await expect(plan.getByRole('button', { name: 'Back' })).toBeFocused();
  await tabTo(page, plan.getByRole('button', { name: 'Confirm and send' }));
  await page.keyboard.press('Space');
  await expect(plan).toHaveCount(0);
  const startedAt = Date.now();
  const FINAL = `All delivery reports are in. ${ROWS} of ${ROWS} messages sent: ${ROWS} delivered, 0 failed.`;
  // Send's button went with the draft; focus is on the Delivery heading, not the page body.
  await expect(page.getByRole('heading', { name: 'Delivery', exact: true })).toBeFocused();

  await expect(page.getByTestId('announcer')).toHaveText(FINAL, { timeout: 30_000 });
  const seconds = (Date.now() - startedAt) / 1000;
  const { spoken, shown } = await recorded(page);
  const progress = spoken.filter((text) => / of \d+ messages sent$/.test(text));
  console.log(
    `send of ${seconds.toFixed(1)} s: ${shown.length} progress lines shown, ${progress.length} announced: ${JSON.stringify(spoken)}`,
  );
  // At 10 a second the run lasts about 11 s: many progress lines on screen, one spoken every 5 s at most.
  expect(shown.length).toBeGreaterThan(progress.length);
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.length).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / PROGRESS_INTERVAL_MS) + 1);
  // The end of sending is spoken (reports still on their way), then the totals once the last report is in.
  expect(spoken.filter((text) => !progress.includes(text)).slice(-2)).toEqual([
    expect.stringMatching(
      new RegExp(
        `^All messages handed to the service; waiting for delivery reports… ${ROWS} of ${ROWS} messages sent: \\d+ delivered`,
      ),
    ),
    FINAL,
  ]);

  // The report is reached by keyboard too.
  const exportCsv = page.getByRole('button', { name: 'Export report as CSV' });
  await tabTo(page, exportCsv);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
});

test('the section tabs follow the arrow, Home and End keys, with one tab stop', async ({ page }) => {
  await page.goto(shell.url);
  const tabs = page.getByRole('tab');
  const tab = (name: string) => page.getByRole('tab', { name });
  await tabTo(page, tab('Campaign'));
  const expectSelected = async (name: string) => {
    await expect(tab(name)).toBeFocused();
    await expect(tab(name)).toHaveAttribute('aria-selected', 'true');
    await expect(tab(name)).toHaveAttribute('tabindex', '0');
    await expect(page.getByRole('tabpanel', { name })).toBeVisible();
    await expect(tabs.and(page.locator('[tabindex="0"]'))).toHaveCount(1);
    await expect(tabs.and(page.locator('[aria-selected="true"]'))).toHaveCount(1);
  };
  await expectSelected('Campaign');
  await page.keyboard.press('ArrowRight');
  await expectSelected('History');
  await page.keyboard.press('End');
  await expectSelected('Services');
  await page.keyboard.press('ArrowRight');
  await expectSelected('Campaign');
  await page.keyboard.press('ArrowLeft');
  await expectSelected('Services');
  await page.keyboard.press('Home');
  await expectSelected('Campaign');
  // Tab leaves the tab list for the panel rather than walking through the other tabs.
  await page.keyboard.press('Tab');
  await expect(tabs.and(page.locator(':focus'))).toHaveCount(0);
  for (const name of ['Campaign', 'History', 'Replies', 'Opt-outs', 'Services']) {
    await expect(page.getByRole('tabpanel', { name, includeHidden: true })).toHaveAttribute(
      'aria-labelledby',
      `tab-${name.toLowerCase()}`,
    );
  }
});

test('focus moves on purpose when the view changes', async ({ page }) => {
  await page.goto(shell.url);
  await importCampaign(page, 'moves', 4, 500);
  const title = (name: string) => page.getByRole('heading', { name, level: 2 });
  await expect(title('moves')).toBeFocused();

  // Clear filter takes itself away: focus goes to the search field.
  await page.getByTestId('show-skipped').click();
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(page.getByLabel('Search recipients')).toBeFocused();

  // New campaign: the import panel's title.
  await page.getByRole('button', { name: 'New campaign' }).click();
  await expect(title('Start a campaign')).toBeFocused();

  // Open in History: the campaign's title, on the Campaign tab.
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Open moves' }).click();
  await expect(page.getByRole('tab', { name: 'Campaign' })).toHaveAttribute('aria-selected', 'true');
  await expect(title('moves')).toBeFocused();

  // Cancel: the dialog closes, the Cancel button has gone with the run, focus is on the Delivery heading.
  await page.getByRole('button', { name: 'New campaign' }).click();
  await importCampaign(page, 'stopped', 200, 600);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: SLOW });
  await expect(page.getByTestId('problem')).toBeEmpty();
  await sendCampaign(page);
  await expect(page.getByRole('heading', { name: 'Delivery', exact: true })).toBeFocused();
  await cancelCampaign(page);
  await expect(page.getByTestId('send-state')).toContainText('Cancelled.');
  await expect(page.getByRole('button', { name: 'Cancel campaign' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Delivery', exact: true })).toBeFocused();
});

interface Ring {
  focusVisible: boolean;
  style: string;
  width: number;
  offset: number;
  color: string;
  /** The colour painted under the element, and the one around it. */
  own: string;
  around: string;
}

/** The focus ring `target` shows once focused by keyboard, and the colours it must stand out from. */
async function ringOf(target: Locator): Promise<Ring> {
  return target.evaluate((el) => {
    const view = el.ownerDocument.defaultView;
    if (!view) throw new Error('no window');
    const painted = (from: typeof el.parentElement): string => {
      for (let e = from; e; e = e.parentElement) {
        const bg = view.getComputedStyle(e).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    // The file input is hidden inside its label, which shows the ring.
    const ringed = el.matches('input.visually-hidden') ? (el.closest('label') ?? el) : el;
    const style = view.getComputedStyle(ringed);
    return {
      focusVisible: el.matches(':focus-visible'),
      style: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      offset: parseFloat(style.outlineOffset),
      color: style.outlineColor,
      own: painted(ringed),
      around: painted(ringed.parentElement),
    };
  });
}

function rgb(color: string): [number, number, number] {
  const parts = color.match(/[\d.]+/g)?.map(Number);
  if (!parts || parts.length < 3 || (parts[3] ?? 1) !== 1) throw new Error(`not an opaque colour: ${color}`);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

/** WCAG 2.x contrast ratio of two opaque colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = rgb(color).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

test('the keyboard focus ring stands out at 3:1 or more on every kind of control', async ({ page }) => {
  await page.goto(shell.url);
  const measured: string[] = [];
  const check = async (name: string, target: Locator) => {
    // Reached by Tab, as a keyboard user does: that is when the ring shows.
    await tabTo(page, target, { max: 120 });
    const ring = await ringOf(target);
    expect(ring.focusVisible, name).toBe(true);
    expect(ring.style, name).toBe('solid');
    expect(ring.width, name).toBeGreaterThanOrEqual(2);
    // Drawn outside the control the ring meets the colour around it; drawn inside, the control's own.
    const against = ring.offset >= 0 ? [ring.around] : [ring.own];
    if (ring.offset === 0) against.push(ring.own);
    for (const background of against) {
      const ratio = contrast(ring.color, background);
      measured.push(`${name}: ${ratio.toFixed(2)}:1 against ${background}`);
      expect(ratio, `${name} against ${background}`).toBeGreaterThanOrEqual(3);
    }
  };
  await check('file button', page.getByLabel('Choose a CSV file'));
  await importCampaign(page, 'rings', 3, 700);
  await check('tab', page.getByRole('tab', { name: 'Campaign' }));
  await check('text area', page.getByLabel('Message', { exact: true }));
  await check('select', page.getByLabel('Service', { exact: true }));
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name)');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  await check('primary button', page.getByRole('button', { name: 'Send campaign' }));
  const skipped = page.getByTestId('show-skipped');
  await skipped.click();
  await expect(skipped).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Shift+Tab');
  await check('pressed filter button', skipped);
  await check('link button', page.getByRole('button', { name: 'Clear filter' }));
  await check('table row', page.locator('[role="row"][tabindex="0"]'));
  console.log(measured.join('\n'));
});

test('the page reflows without sideways scrolling at 320 CSS pixels wide', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(shell.url);
  const overflow = () =>
    page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(await overflow(), 'start').toBe(0);
  await importCampaign(page, 'narrow', 5, 800);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), your order is ready.');
  await page.getByLabel('Sender ID').fill('ACME');
  await expect(page.getByTestId('problem')).toBeEmpty();
  expect(await overflow(), 'draft campaign').toBe(0);
  await page.screenshot({ path: '/tmp/a11y-320-draft.png', fullPage: true });
  await sendCampaign(page);
  await expect(page.getByTestId('dash-sent')).toHaveText('5');
  expect(await overflow(), 'sent campaign').toBe(0);
  await page.screenshot({ path: '/tmp/a11y-320-sent.png', fullPage: true });
  for (const tab of ['History', 'Replies', 'Opt-outs', 'Services']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
    expect(await overflow(), tab).toBe(0);
    await page.screenshot({ path: `/tmp/a11y-320-${tab.toLowerCase()}.png`, fullPage: true });
  }
});
