import { expect, type Page } from '@playwright/test';

/** Clicks Send (or `button`), waits for the send plan and confirms it; resolves once the plan dialog has gone. */
export async function sendCampaign(page: Page, button = 'Send campaign'): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await confirmPlan(page, 'Confirm and send');
}

/** Clicks Schedule (the start time filled in), and confirms the plan of that start. */
export async function scheduleCampaign(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await confirmPlan(page, 'Confirm and schedule');
}

async function confirmPlan(page: Page, confirm: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('plan-ready')).toBeVisible();
  await dialog.getByRole('button', { name: confirm }).click();
  await expect(dialog).toHaveCount(0);
}

/** Cancel campaign: sending pauses at once, then the dialog's answer cancels the messages not yet sent. */
export async function cancelCampaign(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Cancel campaign' }).click();
  const dialog = page.getByRole('dialog', { name: /^Cancel / });
  await expect(dialog.getByTestId('cancel-state')).toContainText('Sending is paused.');
  await dialog.getByRole('button', { name: 'Cancel the messages not sent' }).click();
  await expect(dialog).toHaveCount(0);
}
