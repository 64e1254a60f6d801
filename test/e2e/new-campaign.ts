import { expect, type Page } from '@playwright/test';

/**
 * Imports `name,phone` lines as a campaign and writes its message and sender; with a service, sends it through
 * that one, and expects nothing left in the way of sending.
 */
export async function newCampaign(
  page: Page,
  name: string,
  lines: string[],
  service?: string,
): Promise<void> {
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: `${name}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(['name,phone', ...lines].join('\n')),
  });
  await expect(page.getByTestId('file-summary')).toContainText(`${lines.length} rows`);
  await page.getByLabel('Message', { exact: true }).fill('Hi $(name), your order is ready.');
  await page.getByLabel('Sender ID').fill('ACME');
  if (service === undefined) return;
  await page.getByLabel('Service', { exact: true }).selectOption({ label: service });
  await expect(page.getByTestId('problem')).toBeEmpty();
}
