import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestOptions } from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import { dispatch } from '../../electron/core/dispatch';
import { KEY_PLACEHOLDER } from '../../electron/core/sending/request-preview';
import { deskErrorOf } from './support/desk-error';
import { importCampaign, tempHome, view, type Home } from './sending-support';

let home: Home;

beforeEach(async () => {
  home = await tempHome();
});

afterEach(async () => {
  await home.cleanup();
});

const EXPIRY = '2099-01-31T18:00:00.000Z';
/** What the Send SMS API can carry: no platform template. */
const SMS_OPTIONS: RequestOptions = { expiry: EXPIRY, priority: 3, dltTemplateId: '1107160000000000000' };
const OPTIONS: RequestOptions = {
  ...SMS_OPTIONS,
  template: { id: 'order-ready', parameters: { name: '$(name)', note: 'note: $(note|none)' } },
};

/** A service on the desk's own simulator, with the Sandbox's key. */
async function simulatorService(desk: Desk, api: 'messaging' | 'sms') {
  return desk.handlers['services.save']({
    name: api === 'sms' ? 'Send SMS API' : 'Messaging API',
    baseUrl: desk.simulator.url,
    key: desk.services.resolve('sandbox').key,
    rate: 500,
    pricePerSegment: 0,
    api,
    numbersWithPlus: true,
    sendWindow: null,
  });
}

async function sendAll(desk: Desk, id: string): Promise<void> {
  await desk.send(id);
  await desk.finished(id);
  expect((await view(desk, id)).state).toBe('completed');
}

describe('request options', () => {
  it('go with every message through Messaging API v1, template parameters filled in for each row', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 2, { note: (row) => (row === 0 ? '' : `N${row}`) });
    expect((await desk.update(id, { requestOptions: OPTIONS })).requestOptions).toEqual(OPTIONS);
    await sendAll(desk, id);
    const received = [...desk.simulator.accepted].sort((a, b) =>
      a.correlationid.localeCompare(b.correlationid),
    );
    expect(received.map((m) => m.options)).toEqual(
      [0, 1].map((row) => ({
        expiry: EXPIRY,
        priority: '3',
        template: 'order-ready',
        parameters: { name: `Person ${row}`, note: row === 0 ? 'note: none' : 'note: N1' },
        dltTemplateId: '1107160000000000000',
      })),
    );
  });

  it('send only expireAt and dltTemplateId through the Send SMS API, which documents no priority', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    const service = await simulatorService(desk, 'sms');
    await desk.update(id, { serviceId: service.id, requestOptions: SMS_OPTIONS });
    await sendAll(desk, id);
    expect(desk.simulator.accepted.map((m) => m.options)).toEqual([
      { expiry: EXPIRY, dltTemplateId: '1107160000000000000' },
    ]);
  });

  it('a platform template is refused on the Send SMS API before anything is sent, test or campaign', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    const service = await simulatorService(desk, 'sms');
    await desk.update(id, { serviceId: service.id, requestOptions: OPTIONS });
    const refused = await deskErrorOf(desk.send(id));
    expect(refused.code).toBe('campaign-not-ready');
    expect(refused.message).toContain('names no field for a template ID');
    expect((await deskErrorOf(desk.testSend(id, 0, '+14155550199'))).message).toBe(refused.message);
    expect(desk.simulator.accepted).toEqual([]);
    const preview = await desk.handlers['campaigns.requestPreview']({ id, row: 0 });
    expect(preview.problem).toBe(refused.message);
  });

  for (const api of ['messaging', 'sms'] as const) {
    it(`the request preview (${api}) is what the simulator received for that row, and never holds the key`, async () => {
      const desk = await home.start();
      const id = await importCampaign(desk, 3);
      const service = await simulatorService(desk, api);
      await desk.update(id, { serviceId: service.id, requestOptions: api === 'sms' ? SMS_OPTIONS : OPTIONS });
      const preview = await desk.handlers['campaigns.requestPreview']({ id, row: 1 });
      await sendAll(desk, id);

      const received = desk.simulator.accepted.find((m) => m.correlationid === `${id}.1`);
      expect(preview.body).toEqual(api === 'sms' ? received?.body : [received?.body]);
      expect(preview).toMatchObject(
        api === 'sms'
          ? {
              api,
              method: 'POST',
              url: `${desk.simulator.url}/v1/sms/messages`,
              headers: {
                authorization: KEY_PLACEHOLDER,
                'content-type': 'application/json',
                'idempotency-key': expect.stringMatching(new RegExp(`^${id}\\.1\\.0-[0-9a-f]{12}$`)),
              },
            }
          : {
              api,
              method: 'POST',
              url: `${desk.simulator.url}/resources/v1/messaging`,
              headers: { key: KEY_PLACEHOLDER, 'content-type': 'application/json' },
            },
      );
      expect(preview.problem).toBeNull();
      expect(JSON.stringify(preview)).not.toContain(desk.services.resolve(service.id).key);
    });
  }

  it('the preview names a skipped row instead of a request for it', async () => {
    const desk = await home.start();
    const imported = await desk.importRecipients('people.csv', { text: 'name,phone\nAnn,not a number' });
    await desk.update(imported.id, { phoneColumn: 1, template: 'Hi', senderId: 'ACME' });
    const error = await deskErrorOf(desk.handlers['campaigns.requestPreview']({ id: imported.id, row: 0 }));
    expect(error.message).toBe('Row 1 is skipped (invalid-number): no request is made for it.');
  });

  it('are checked in plain words, and an expiry must be in the future', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    const update = (requestOptions: unknown) =>
      dispatch(desk.handlers, 'campaigns.update', { id, patch: { requestOptions } });
    for (const [bad, said] of [
      [{ priority: 4 }, 'The priority is 1 (low), 2 (medium) or 3 (high).'],
      [{ priority: '3' }, 'The priority is 1 (low), 2 (medium) or 3 (high).'],
      [{ expiry: '2099-01-31 18:00' }, 'The expiry is a date and time with its zone'],
      [{ dltTemplateId: 'DLT-1' }, 'A DLT template ID is the number the DLT portal gave the template'],
      [{ template: { id: 'two words' } }, 'A template ID is 1 to 100 characters without spaces.'],
      [{ template: { id: 't', parameters: { 'first name': 'x' } } }, 'A template parameter name is'],
    ] as const) {
      const result = await update(bad);
      expect(result, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(result.ok === false && result.error.message).toContain(said);
    }
    expect(await update({ expiry: '2000-01-01T00:00:00Z' })).toEqual({
      ok: false,
      error: {
        code: 'expiry-passed',
        message: 'The expiry (2000-01-01T00:00:00.000Z, UTC) has passed; choose a later one.',
      },
    });
    // Any zone is kept in UTC, the form both APIs document.
    const saved = await update({ expiry: '2099-01-31T23:30:00+05:30' });
    expect(saved.ok && (saved.value as { requestOptions: unknown }).requestOptions).toEqual({
      expiry: '2099-01-31T18:00:00.000Z',
    });
  });

  it('an expiry that passed before sending starts stops the send, and the preview says why', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    const soon = new Date(Date.now() + 150).toISOString();
    await desk.update(id, { requestOptions: { expiry: soon } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await deskErrorOf(desk.send(id));
    expect(refused.message).toBe(
      `The expiry (${soon}, UTC) has passed: the platform would no longer deliver these messages. Set a later expiry or clear it.`,
    );
    expect((await desk.handlers['campaigns.requestPreview']({ id, row: 0 })).problem).toBe(refused.message);
    expect(desk.simulator.accepted).toEqual([]);
  });

  it('a template parameter naming no column blocks sending, as in the message', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    const updated = await desk.update(id, {
      requestOptions: { template: { id: 't', parameters: { code: '$(coupon)' } } },
    });
    expect(updated.problem).toBe(
      'The template parameter "code" uses $(coupon), which is not a column of the recipient file.',
    );
  });

  it('a definition saved before request options existed loads with none set, and they can no longer change once sent', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    await home.close(desk);
    const file = join(home.dir, 'home', 'campaigns', id, 'campaign.json');
    const older = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(older.requestOptions).toEqual({});
    delete older.requestOptions;
    await writeFile(file, JSON.stringify(older));
    const again = await home.start();
    expect((await view(again, id)).requestOptions).toEqual({});
    await sendAll(again, id);
    expect(again.simulator.accepted.map((m) => m.options)).toEqual([{}]);
    expect((await deskErrorOf(again.update(id, { requestOptions: { priority: 1 } }))).code).toBe(
      'campaign-started',
    );
  });
});
