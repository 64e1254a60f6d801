import { expect, test } from '@playwright/test';
import { failOnPageErrors, startShell, type RunningShell } from './browser-shell';
import { newCampaign } from './new-campaign';
import { sendCampaign } from './send-confirmed';

let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell(['--failure-share', '0']);
});

test.afterAll(async () => {
  await shell?.stop();
});

failOnPageErrors();

test('a frequency cap set on the Sandbox skips the numbers that had their message, in the table and the plan', async ({
  page,
}) => {
  await page.goto(shell.url);
  await page.getByRole('tab', { name: 'Services' }).click();
  const sandbox = page.getByRole('listitem', { name: 'Sandbox (built-in simulator)' });
  await expect(sandbox.getByTestId('frequency-cap')).toHaveText('Frequency cap: none');
  await sandbox.getByRole('button', { name: 'Frequency cap of Sandbox (built-in simulator)' }).click();
  const form = sandbox.getByRole('form', { name: 'Frequency cap of Sandbox (built-in simulator)' });
  await form.getByLabel('Limit how often one number gets a message through this service').check();
  await form.getByLabel('At most').fill('1');
  await form.getByLabel('messages to one number every').fill('7');
  await page.screenshot({ path: '/tmp/frequency-cap-editor.png' });
  await form.getByRole('button', { name: 'Save frequency cap' }).click();
  await expect(sandbox.getByTestId('frequency-cap')).toHaveText(
    'Frequency cap: At most 1 message to one number every 7 days, counting every campaign sent through this service.',
  );

  await page.getByRole('tab', { name: 'Campaign' }).click();
  await newCampaign(page, 'first', ['Ann,+1 415 555 7201', 'Bob,+1 415 555 7202']);
  await sendCampaign(page);
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 2');

  await page.getByRole('button', { name: 'New campaign' }).click();
  await newCampaign(page, 'second', ['Ann,+1 415 555 7201', 'Cy,+1 415 555 7203', 'Bob,+1 415 555 7202']);
  const overCap = page.getByTestId('show-frequency-cap');
  await expect(overCap).toContainText('over the frequency cap');
  await expect(overCap).toContainText('2');
  await overCap.click();
  await expect(page.getByRole('row', { name: /Ann/ })).toContainText('over the frequency cap');
  await expect(page.getByRole('row', { name: /Cy/ })).toHaveCount(0);
  await page.screenshot({ path: '/tmp/frequency-cap-rows.png' });
  await page.getByRole('button', { name: 'Send campaign' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send “second”?' });
  await expect(dialog.getByTestId('plan-ready')).toHaveText('1 recipient');
  await expect(dialog.getByTestId('plan-skipped')).toHaveText('2: 2 over the frequency cap');
  await expect(dialog.getByTestId('plan-frequency-cap')).toHaveText(
    'At most 1 message to one number every 7 days',
  );
  await expect(dialog.getByTestId('plan-first')).toContainText('row 2, to +14155557203');
  await page.screenshot({ path: '/tmp/frequency-cap-plan.png' });
  await dialog.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(page.getByTestId('count-delivered')).toHaveText('delivered 1');
});
