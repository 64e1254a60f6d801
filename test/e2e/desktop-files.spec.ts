// The renderer as the desktop app runs it: files come from the main process's own dialog and from drops
// it sees itself, never from the page. The Electron binary cannot run here, so `window.deskBridge` is a
// stand-in for preload.ts and the main process: it forwards calls to the real browser shell, answers
// "Choose" as the open dialog would, and hands the core the bytes of the files it was told the user chose.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { EVENT_NAMES } from '../../shared/event-names';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';

const RECIPIENTS = readFileSync(
  fileURLToPath(new URL('../fixtures/recipients.csv', import.meta.url)),
  'utf8',
);
const FILES = {
  'id-customers': { name: 'customers.csv', text: RECIPIENTS },
  'id-dropped': { name: 'dropped.csv', text: RECIPIENTS },
  'id-stop': { name: 'stop.csv', text: 'mobile\n+44 7911 123490\n' },
};

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell();
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

/** Opens the app with the stand-in bridge; `window.bridgeLog` records what the page asked of it. */
async function openDesktop(page: Page): Promise<void> {
  const token = new URL(shell.url).hash.replace('#token=', '');
  await page.addInitScript(`(() => {
    const token = ${JSON.stringify(token)};
    const files = ${JSON.stringify(FILES)};
    const log = (window.bridgeLog = []);
    window.nextChoice = null;
    let dropListeners = [];
    window.dropFromMain = (fileId) => dropListeners.forEach((l) => l({ fileId, name: files[fileId].name }));
    window.deskBridge = {
      call: async (name, input) =>
        (await fetch('/api/call/' + encodeURIComponent(name), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-desk-token': token },
          body: JSON.stringify(input ?? {}),
        })).json(),
      on: (listener) => {
        const source = new EventSource('/api/events?token=' + encodeURIComponent(token));
        for (const name of ${JSON.stringify(EVENT_NAMES)})
          source.addEventListener(name, (e) => listener(name, JSON.parse(e.data)));
        return () => source.close();
      },
      files: {
        choose: async (kind) => {
          log.push('choose ' + kind);
          const fileId = window.nextChoice;
          return { ok: true, value: fileId && { fileId, name: files[fileId].name } };
        },
        upload: async (fileId) => {
          log.push('upload ' + fileId);
          return (await fetch('/api/upload', {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream', 'x-desk-token': token },
            body: files[fileId].text,
          })).json();
        },
        onDropped: (listener) => {
          dropListeners.push(listener);
          return () => (dropListeners = dropListeners.filter((l) => l !== listener));
        },
      },
    };
  })()`);
  page.on('filechooser', () => {
    throw new Error("The page's own file chooser opened in the desktop app.");
  });
  await page.goto(shell.url);
}

const bridgeLog = (page: Page) => page.evaluate('window.bridgeLog') as Promise<string[]>;
const choose = (page: Page, fileId: string | null) =>
  page.evaluate(`window.nextChoice = ${JSON.stringify(fileId)}`);

test("Choose opens the app's own dialog; closing it imports nothing, choosing a file imports it", async ({
  page,
}) => {
  await openDesktop(page);
  const button = page.getByText('Choose a CSV file or Excel workbook');
  await choose(page, null);
  await button.click();
  await expect.poll(() => bridgeLog(page)).toEqual(['choose recipients']);
  await expect(page.getByTestId('drop-zone')).toBeVisible();

  await choose(page, 'id-customers');
  await page.getByLabel('Choose a CSV file or Excel workbook').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('file-summary')).toHaveText(
    'customers.csv · 6 rows · 3 columns: name, phone, city',
  );
  expect(await bridgeLog(page)).toEqual(['choose recipients', 'choose recipients', 'upload id-customers']);
  await page.screenshot({ path: '/tmp/desktop-files-imported.png' });
});

test('a drop is left to the main process, which reports the file it saw; that file is imported', async ({
  page,
}) => {
  await openDesktop(page);
  await page.screenshot({ path: '/tmp/desktop-files-start.png' });
  const handledByPage = await page.evaluate(`(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['name,phone'], 'page-made.csv', { type: 'text/csv' }));
    const zone = document.querySelector('[data-testid="drop-zone"]');
    zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer });
    zone.dispatchEvent(drop);
    return drop.defaultPrevented;
  })()`);
  // Not prevented: Chromium goes on to open the file, and the main process stops that and notes the path.
  expect(handledByPage).toBe(false);
  expect(await bridgeLog(page)).toEqual([]);

  await page.evaluate(`window.dropFromMain('id-dropped')`);
  await expect(page.getByTestId('file-summary')).toHaveText(
    'dropped.csv · 6 rows · 3 columns: name, phone, city',
  );
  expect(await bridgeLog(page)).toEqual(['upload id-dropped']);
});

test('opt-outs are imported from a file chosen in the dialog for CSV files', async ({ page }) => {
  await openDesktop(page);
  await page.getByRole('tab', { name: 'Opt-outs' }).click();
  await choose(page, 'id-stop');
  await page.getByText('Import a CSV of numbers').click();
  await expect(page.getByTestId('suppression-outcome')).toContainText(
    'From stop.csv (column \u2018mobile\u2019): 1 number added',
  );
  expect(await bridgeLog(page)).toEqual(['choose numbers', 'upload id-stop']);
});
