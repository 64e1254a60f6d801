/**
 * The platform's documented payloads (test/fixtures/platform, each named after the page it comes from), replayed
 * against our client, our receiver and our simulator: the three agree with the platform, not merely with each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestOptions } from '../../shared/api';
import { readMessagingAnswer, toMessageObject } from '../../electron/core/sending/messaging-api';
import { readSmsAnswer, toSmsRequest } from '../../electron/core/sending/sms-api';
import type { OutgoingMessage } from '../../electron/core/sending/platform-client';
import { statusOfLookup } from '../../electron/core/sending/status-lookup';
import { parseDeliveryReports, parseIncomingMessage } from '../../electron/core/receiver/webhook-schemas';
import { customerSide } from '../../electron/core/inbox/customer-side';
import { MESSAGING_PATH, startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import {
  importCampaign,
  journal,
  postDr,
  reportPayloads,
  rowsOf,
  tempHome,
  waitFor,
  type Home,
} from './sending-support';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'platform');
const KEY = 'contract-key';

function fixture(page: string, name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, page, `${name}.json`), 'utf8'));
}

function text(page: string, name: string): string {
  return readFileSync(join(ROOT, page, `${name}.json`), 'utf8');
}

/** Every key path of a JSON value, arrays read through their first element. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: { tps?: number } = {}): Promise<Simulator> {
  const sim = await startSimulator({
    keys: [KEY],
    submittedDelayMs: 5,
    finalDelayMs: 5,
    seed: 1,
    ...options,
  });
  cleanups.push(() => sim.close());
  return sim;
}

async function postRaw(sim: Simulator, body: string, key = KEY): Promise<{ status: number; text: string }> {
  const res = await request(sim.url + MESSAGING_PATH, {
    method: 'POST',
    headers: { key, 'content-type': 'application/json' },
    body,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

const MESSAGE: OutgoingMessage = {
  ref: 'camp.3',
  msisdn: '+447700900123',
  text: 'Hi Ann',
  encoding: 'GSM-7',
  senderid: 'ACME',
  smartlinks: [],
  options: {},
  idempotencyKey: 'camp.3.0',
};
const ALL_OPTIONS = {
  expiry: '2030-01-31T18:00:00.000Z',
  priority: 3,
  template: { id: 'order-ready', parameters: { name: 'Ann', code: 'X1' } },
  dltTemplateId: '1107160000000000000',
} as const satisfies RequestOptions;

const ONE = [{ ref: 'c.0' }];
const THREE = [{ ref: 'c.0' }, { ref: 'c.1' }, { ref: 'c.2' }];

describe('page "send-message-api-v1": answers', () => {
  it('the 200 success sample: the destination is queued with its transid', () => {
    const outcome = readMessagingAnswer(
      200,
      text('send-message-api-v1', 'response-200-success-queued'),
      undefined,
      ONE,
    );
    expect(outcome).toMatchObject({ kind: 'answered', results: [{ code: '1001', description: 'Queued' }] });
  });

  it('"Queued in burst mode" is queued too', () => {
    const burst = text('send-message-api-v1', 'response-200-success-queued-burst-mode.DERIVED');
    expect(readMessagingAnswer(200, burst, undefined, ONE)).toMatchObject({
      kind: 'answered',
      results: [{ code: '1001', description: 'Queued in burst mode' }],
    });
  });

  for (const name of [
    'response-200-authentication-failed-7001',
    'metadata-response-200-authentication-failed',
  ]) {
    it(`${name}: an HTTP 200 object that refuses the key for the whole request`, () => {
      const outcome = readMessagingAnswer(200, text('send-message-api-v1', name), undefined, THREE);
      expect(outcome).toEqual({
        kind: 'refused',
        scope: 'service',
        code: '7001',
        description: 'Authentication failed.',
      });
    });
  }

  for (const name of ['response-200-invalid-json-7000', 'metadata-response-200-invalid-json']) {
    it(`${name}: an HTTP 200 object that says our request is malformed`, () => {
      expect(readMessagingAnswer(200, text('send-message-api-v1', name), undefined, THREE)).toMatchObject({
        kind: 'refused',
        scope: 'request',
        code: '7000',
      });
    });
  }

  it('the simulator refuses a wrong key and bad JSON with exactly the documented objects', async () => {
    const sim = await simulator();
    const wrong = await postRaw(sim, JSON.stringify(fixture('send-message-api-v1', 'request-sms')), 'wrong');
    const documented = fixture('send-message-api-v1', 'response-200-authentication-failed-7001') as {
      response: { code: string; description: string };
    };
    expect(wrong.status).toBe(200);
    expect(keyPaths(JSON.parse(wrong.text)).sort()).toEqual(keyPaths(documented).sort());
    expect(JSON.parse(wrong.text).response).toMatchObject({
      code: documented.response.code,
      description: documented.response.description,
    });
    const invalid = await postRaw(sim, '{"deliverychannel": "sms",');
    const documentedInvalid = fixture('send-message-api-v1', 'response-200-invalid-json-7000') as {
      response: { code: string; description: string };
    };
    expect(JSON.parse(invalid.text).response).toMatchObject({
      code: documentedInvalid.response.code,
      description: documentedInvalid.response.description,
    });
  });
});

describe('page "api-faqs": a batch', () => {
  it('the documented bulk answer (empty correlation ids, transids <stem>, <stem>_1, <stem>_2) is matched in order', () => {
    const outcome = readMessagingAnswer(200, text('api-faqs', 'response-bulk-sms-queued'), undefined, THREE);
    const stem = '29e6cff5-5f0d-4872-b336-57799cb63da7';
    expect(outcome).toEqual({
      kind: 'answered',
      results: [
        { code: '1001', description: 'Queued', transid: stem },
        { code: '1001', description: 'Queued', transid: `${stem}_1` },
        { code: '1001', description: 'Queued', transid: `${stem}_2` },
      ],
    });
  });

  it('the simulator queues the documented bulk request and answers it in the documented shape', async () => {
    const sim = await simulator();
    const answer = await postRaw(sim, text('api-faqs', 'request-bulk-sms-array'));
    const body = JSON.parse(answer.text) as { response: { transid: string; correlationid: string }[] };
    expect(keyPaths(body).sort()).toEqual(keyPaths(fixture('api-faqs', 'response-bulk-sms-queued')).sort());
    const stem = body.response[0]?.transid;
    expect(body.response.map((e) => [e.transid, e.correlationid])).toEqual([
      [stem, ''],
      [`${stem}_1`, ''],
      [`${stem}_2`, ''],
    ]);
    expect(sim.accepted.map((m) => m.msisdn)).toEqual(['91900000009', '91900000008', '91900000007']);
  });

  it('the simulator answers 7020 over its TPS the way the client reads as a throttle', async () => {
    const sim = await simulator({ tps: 1 });
    const bulk = text('api-faqs', 'request-bulk-sms-array');
    await postRaw(sim, bulk);
    const refused = await postRaw(sim, bulk);
    expect(readMessagingAnswer(refused.status, refused.text, undefined, THREE)).toEqual({
      kind: 'throttled',
      retryAfterMs: null,
    });
  });
});

describe('page "send-message-api-v1": requests', () => {
  it('our request uses only fields the documented requests have, with type and smartlinks as the page writes them', () => {
    const documented = new Set([
      ...keyPaths(fixture('send-message-api-v1', 'request-sms')),
      ...keyPaths(fixture('send-message-api-v1', 'request-sms-smartlink')),
    ]);
    const ours = toMessageObject(
      {
        ref: 'camp.3',
        msisdn: '+447700900123',
        text: 'Hi 😀 {{link_5}}',
        encoding: 'UCS-2',
        senderid: 'ACME',
        smartlinks: [{ linkid: '5', validityMinutes: 43_200 }],
        options: {},
        idempotencyKey: 'camp.3.0',
      },
      'https://example.test/dr',
      true,
    );
    // correlationid per destination is documented ("per destination overrides top level").
    const extra = keyPaths(ours).filter((p) => !documented.has(p) && p !== 'destination[].correlationid');
    expect(extra).toEqual([]);
    expect(ours.channels.sms.type).toBe('4');
    expect(ours.channels.smartlinks).toEqual([{ linkid: 5, validity: 43_200 }]);
    expect(ours.callbackData).toBe('camp.3');
    expect(ours.destination[0]?.msisdn).toEqual(['+447700900123']);
  });

  it('request options go out under the names page "sms" (docs.imiconnect.com) documents, each only when set', () => {
    const documented = new Set([
      ...keyPaths(fixture('send-message-api-v1', 'request-sms')),
      ...keyPaths(fixture('docs.imiconnect.com-sms', 'request-sms')),
    ]);
    const ours = toMessageObject({ ...MESSAGE, options: ALL_OPTIONS }, 'https://example.test/dr', true);
    // The template's own parameter names stand where the page has parameter1, parameter2, …
    const paths = keyPaths(ours).map((p) => p.replace(/^(message\.parameters)\..+$/, '$1.parameter1'));
    const extra = paths.filter((p) => !documented.has(p) && p !== 'destination[].correlationid');
    // Named by the 6.20 pages (imiconnect-api.md §3), but shown in no documented request: unverified.
    expect(extra).toEqual(['channels.sms.extras.dlt_templateid']);
    expect(ours).toMatchObject({
      expiry: '2030-01-31T18:00:00.000Z',
      priority: '3',
      message: { template: 'order-ready', parameters: { name: 'Ann', code: 'X1' } },
      channels: { sms: { extras: { dlt_templateid: '1107160000000000000' } } },
    });
    const bare = toMessageObject(
      { ...MESSAGE, options: { template: { id: 'order-ready', parameters: {} } } },
      'https://example.test/dr',
      true,
    );
    expect(keyPaths(bare).filter((p) => /expiry|priority|message|extras/.test(p))).toEqual([
      'message.template',
    ]);
  });

  it('the simulator takes the options of page "sms" and refuses a priority other than "1" to "3"', async () => {
    const sim = await simulator();
    const body = {
      ...(fixture('docs.imiconnect.com-sms', 'request-sms') as object),
      // The page's blanks, filled in.
      expiry: '2030-01-31T18:00:00.000Z',
      priority: '3',
      message: { template: 'order-ready', parameters: { parameter1: 'Ann' } },
      channels: {
        sms: {
          type: '1',
          text: 'Hi Ann',
          senderid: 'ACME',
          extras: { dlt_templateid: '1107160000000000000' },
        },
      },
      destination: [{ msisdn: ['+447700900123'] }],
    };
    const answer = await postRaw(sim, JSON.stringify(body));
    expect(JSON.parse(answer.text).response[0].code).toBe('1001');
    expect(sim.accepted[0]?.options).toEqual({
      expiry: '2030-01-31T18:00:00.000Z',
      priority: '3',
      template: 'order-ready',
      parameters: { parameter1: 'Ann' },
      dltTemplateId: '1107160000000000000',
    });
    const refused = await postRaw(sim, JSON.stringify({ ...body, priority: '4' }));
    expect(JSON.parse(refused.text).response[0]).toMatchObject({ code: '7004' });
  });

  it('the simulator takes both documented request samples', async () => {
    const sim = await simulator();
    for (const name of ['request-sms', 'request-sms-smartlink']) {
      const body = fixture('send-message-api-v1', name) as {
        destination: { msisdn: string[] }[];
        channels: { smartlinks?: { linkid: unknown; validity: unknown }[] };
      };
      // The samples leave the number and the link's id and validity as blanks to fill in.
      body.destination[0] = { msisdn: ['+447700900123'] };
      if (body.channels.smartlinks) body.channels.smartlinks[0] = { linkid: 5, validity: '30' };
      const answer = await postRaw(sim, JSON.stringify(body));
      expect(JSON.parse(answer.text).response[0].code, name).toBe('1001');
    }
  });
});

const DR_PAGES = ['sms-outbound-webhooks', 'docs.imiconnect.com-delivery-and-read-receipt-notifications'];
const DR_SAMPLES = DR_PAGES.flatMap((page) =>
  readdirSync(join(ROOT, page))
    .filter((f) => f.startsWith('dr-'))
    .map((f) => ({ page, name: f.replace(/\.json$/, '') })),
);

describe('pages "sms-outbound-webhooks" and "delivery-and-read-receipt-notifications": delivery reports', () => {
  it('has every documented sample', () => {
    expect(DR_SAMPLES.length).toBeGreaterThanOrEqual(10);
  });

  for (const { page, name } of DR_SAMPLES) {
    it(`${page}/${name} is read with its status from deliveryStatus and its code as given`, () => {
      const raw = fixture(page, name) as {
        deliveryInfoNotification: {
          deliveryInfo: { deliveryStatus: string; code: string; timeStamp?: string };
        };
      };
      const info = raw.deliveryInfoNotification.deliveryInfo;
      const parsed = parseDeliveryReports(raw);
      expect(typeof parsed).not.toBe('string');
      const [report] = parsed as Exclude<typeof parsed, string>;
      expect(report?.code).toBe(info.code);
      expect(report?.deliveryStatus).toBe(info.deliveryStatus);
      const expected: Record<string, string | null> = {
        Submitted: 'submitted',
        Delivered: 'delivered',
        'Un-Delivered': info.code === '7208' ? 'expired' : 'undelivered',
        Failed: 'failed',
        Clicked: null,
      };
      expect(report?.status).toBe(expected[info.deliveryStatus]);
      if (info.timeStamp) expect(Number.isNaN(Date.parse(report?.timestamp ?? ''))).toBe(false);
    });
  }

  it('a time stamp without a zone is read as UTC', () => {
    const [report] = parseDeliveryReports(
      fixture(DR_PAGES[1] as string, 'dr-sms-delivered-7500-nozone'),
    ) as Exclude<ReturnType<typeof parseDeliveryReports>, string>;
    expect(report?.timestamp).toBe('2016-07-20T17:13:17.908Z');
  });

  it('the simulator posts reports with exactly the documented fields', async () => {
    const home = await tempHomeWithCleanup();
    const desk = await home.start();
    const id = await importCampaign(desk, 1);
    await desk.send(id, { rate: 10 });
    await desk.finished(id);
    await waitFor(async () => (await rowsOf(desk, id))[0]?.status === 'delivered');
    expect((await journal(home.dir, id)).filter((e) => e.t === 'dr').length).toBe(2);
    // Written beside the journal, in the same turn; the row may show its status a moment before.
    await waitFor(async () => (await reportPayloads(home.dir).catch(() => [])).length === 2);
    const reports = await reportPayloads(home.dir);
    const documented = keyPaths(fixture('sms-outbound-webhooks', 'dr-delivered-7500')).sort();
    for (const { raw } of reports) expect(keyPaths(raw).sort()).toEqual(documented);
  });

  it('every documented report, posted over HTTP for a row sent, reaches that row by transid or by callbackData', async () => {
    const { desk, id, rows } = await twoRowsSentWithoutReports();
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued']);
    // Row 0 by its transid (correlation id and callbackData empty, as on page "sms-outbound-webhooks").
    const submitted = fixture('sms-outbound-webhooks', 'dr-submitted-7102') as DrFixture;
    submitted.deliveryInfoNotification.transid = rows[0]?.transid as string;
    expect(await postDr(desk, submitted)).toBe(200);
    // Row 1 by the reference we put in callbackData, its transid unknown (the report came before the answer).
    const delivered = fixture('sms-outbound-webhooks', 'dr-delivered-7500') as DrFixture;
    delivered.deliveryInfoNotification.transid = '';
    delivered.deliveryInfoNotification.callbackData = `${id}.1`;
    expect(await postDr(desk, delivered)).toBe(200);
    const after = await rowsOf(desk, id);
    expect(after.map((r) => [r.status, r.code])).toEqual([
      ['submitted', '7102'],
      ['delivered', '7500'],
    ]);
  });
  it('a report whose transid names one row and whose callbackData names another is trusted for neither', async () => {
    const { desk, id, rows } = await twoRowsSentWithoutReports();
    const forged = fixture('sms-outbound-webhooks', 'dr-delivered-7500') as DrFixture;
    forged.deliveryInfoNotification.transid = rows[0]?.transid as string;
    forged.deliveryInfoNotification.callbackData = `${id}.1`;
    expect(await postDr(desk, forged)).toBe(200);
    expect((await rowsOf(desk, id)).map((r) => r.status)).toEqual(['queued', 'queued']);
  });
});

/** A campaign of two rows sent through a Sandbox that posts no reports: the test posts them. */
async function twoRowsSentWithoutReports() {
  const home = await tempHomeWithCleanup();
  const desk = await home.start({ sandbox: { deliveryReports: false, tps: null } });
  const id = await importCampaign(desk, 2);
  await desk.send(id, { rate: 10 });
  await desk.finished(id);
  return { desk, id, rows: await rowsOf(desk, id) };
}

interface DrFixture {
  deliveryInfoNotification: { transid: string; callbackData: string };
}

async function tempHomeWithCleanup(): Promise<Home> {
  const home = await tempHome();
  cleanups.push(() => home.cleanup());
  return home;
}

describe('pages "sms-outbound-webhooks" (6.20) and "mo-events": replies', () => {
  it('the template of page "mo-events" is read as a reply', () => {
    expect(typeof parseIncomingMessage(fixture('docs.imiconnect.com-mo-events', 'mo-sms-template'))).toBe(
      'object',
    );
  });

  const samples = [
    { page: 'sms-outbound-webhooks', name: 'mo-incoming-message-6.20' },
    { page: 'docs.imiconnect.com-mo-events', name: 'mo-sms-example' },
  ];
  for (const { page, name } of samples) {
    it(`${page}/${name} is read, its customer found on the side that is not the service`, () => {
      // The 6.20 sample masks the customer's digits with X.
      const raw = JSON.parse(JSON.stringify(fixture(page, name)).replace(/X/g, '5')) as {
        oa: string;
        da: string;
        message: string;
      };
      const parsed = parseIncomingMessage(raw);
      expect(typeof parsed).not.toBe('string');
      const message = parsed as Exclude<typeof parsed, string>;
      expect(message.text).toBe(raw.message);
      // Every sample has the customer in oa.
      expect(customerSide(message, new Set()).from).toBe(raw.oa);
      // The 6.20 field table has it the other way round: with the service's number in oa, da is the customer.
      expect(customerSide({ oa: raw.da, da: raw.oa }, new Set([raw.da.replace(/\D/g, '')])).from).toBe(
        raw.oa,
      );
    });
  }

  it('a short code is never taken for the customer, on either side', () => {
    expect(customerSide({ oa: '56263', da: '447700900123' }, new Set())).toEqual({
      from: '447700900123',
      to: '56263',
    });
    expect(customerSide({ oa: '447700900123', da: '56263' }, new Set())).toEqual({
      from: '447700900123',
      to: '56263',
    });
  });

  it('the simulator posts replies with exactly the fields of the 6.20 sample', async () => {
    const received: unknown[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const sim = await simulator();
    sim.setMoNotifyUrl(`http://127.0.0.1:${(server.address() as { port: number }).port}/mo`);
    await sim.injectMo({ from: '+447700900123', text: 'STOP' });
    expect(keyPaths(received[0]).sort()).toEqual(
      keyPaths(fixture('sms-outbound-webhooks', 'mo-incoming-message-6.20')).sort(),
    );
  });
});

describe('pages "send-sms-api-v1" and "get-sms-api-v1": the Send SMS API', () => {
  const page = 'send-sms-api-v1';

  async function postSmsRaw(sim: Simulator, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${sim.url}/v1/sms/messages`, {
      method: 'POST',
      headers: { authorization: KEY, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, text: await res.body.text() };
  }

  it('the 202, 400 and 403 samples are read as accepted, a malformed request and a refused key', () => {
    expect(readSmsAnswer(202, text(page, 'response-202-accepted'), undefined)).toEqual({
      kind: 'answered',
      results: [{ code: '1001', description: 'Accepted', transid: 'acc27bb5-1234-XXXX-xx23-1a6036fcced5' }],
    });
    expect(readSmsAnswer(400, text(page, 'response-400-invalid-parameter-7004'), undefined)).toMatchObject({
      kind: 'refused',
      scope: 'request',
      code: '7004',
    });
    expect(readSmsAnswer(403, text(page, 'response-403-forbidden-7001'), undefined)).toMatchObject({
      kind: 'refused',
      scope: 'service',
      code: '7001',
    });
  });

  it('our request uses only documented fields', () => {
    const documented = new Set(keyPaths(fixture(page, 'request-send-sms')));
    const ours = toSmsRequest(
      {
        ref: 'camp.3',
        msisdn: '+447700900123',
        text: 'Hi 😀',
        encoding: 'UCS-2',
        senderid: 'ACME',
        smartlinks: [],
        options: {},
        idempotencyKey: 'camp.3.0',
      },
      'https://example.test/dr',
    );
    expect(keyPaths(ours).filter((p) => !documented.has(p))).toEqual([]);
    expect(ours.contentType).toBe('unicode');
  });

  it('request options go out as the page names them: expireAt and dltTemplateId; no priority, no template', () => {
    const documented = new Set(keyPaths(fixture(page, 'request-send-sms')));
    const ours = toSmsRequest({ ...MESSAGE, options: ALL_OPTIONS }, 'https://example.test/dr');
    expect(keyPaths(ours).filter((p) => !documented.has(p))).toEqual([]);
    expect(ours).toMatchObject({ expireAt: ALL_OPTIONS.expiry, dltTemplateId: ALL_OPTIONS.dltTemplateId });
    // The page documents no priority, and no field that names a template.
    for (const field of ['priority', 'substitutions', 'template', 'templateId'])
      expect(ours).not.toHaveProperty(field);
    expect(Object.keys(toSmsRequest({ ...MESSAGE, options: {} }, 'https://example.test/dr'))).not.toContain(
      'expireAt',
    );
  });

  it('the simulator takes expireAt and dltTemplateId, and refuses an expireAt that is no time', async () => {
    const sim = await simulator();
    const body = {
      ...(fixture(page, 'request-send-sms') as object),
      to: '+16475550123',
      expireAt: '2030-01-31T18:00:00.000Z',
      dltTemplateId: '1107160000000000000',
    };
    expect((await postSmsRaw(sim, body)).status).toBe(202);
    expect(sim.accepted[0]?.options).toEqual({
      expiry: '2030-01-31T18:00:00.000Z',
      dltTemplateId: '1107160000000000000',
    });
    const bad = await postSmsRaw(sim, { ...body, expireAt: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(readSmsAnswer(bad.status, bad.text, undefined)).toMatchObject({ kind: 'refused', code: '7004' });
  });

  it('the simulator takes the documented request and answers, refuses and looks up in the documented shapes', async () => {
    const sim = await simulator();
    const body = { ...(fixture(page, 'request-send-sms') as object), to: '+16475550123', expireAt: '' };
    const accepted = await postSmsRaw(sim, body, { 'idempotency-key': 'k-1' });
    expect(accepted.status).toBe(202);
    expect(keyPaths(JSON.parse(accepted.text)).sort()).toEqual(
      keyPaths(fixture(page, 'response-202-accepted')).sort(),
    );
    // The same key again: the first answer, nothing sent twice.
    expect((await postSmsRaw(sim, body, { 'idempotency-key': 'k-1' })).text).toBe(accepted.text);
    expect(sim.accepted).toHaveLength(1);

    const wrong = await request(`${sim.url}/v1/sms/messages`, {
      method: 'POST',
      headers: { authorization: 'wrong', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(wrong.statusCode).toBe(403);
    expect(await wrong.body.json()).toEqual(fixture(page, 'response-403-forbidden-7001'));
    const badType = await postSmsRaw(sim, { ...body, contentType: 'fancy' });
    expect(badType.status).toBe(400);
    expect(JSON.parse(badType.text)).toEqual(fixture(page, 'response-400-invalid-parameter-7004'));

    const { messageId } = JSON.parse(accepted.text) as { messageId: string };
    const looked = await request(`${sim.url}/v1/sms/messages/${messageId}`, {
      headers: { authorization: KEY },
    });
    expect(looked.statusCode).toBe(200);
    expect(keyPaths(await looked.body.json()).sort()).toEqual(
      keyPaths(fixture('get-sms-api-v1', 'response-200-status-delivered')).sort(),
    );
    const missing = await request(`${sim.url}/v1/sms/messages/nothing-here`, {
      headers: { authorization: KEY },
    });
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });

  it('the documented lookup answer is read as delivered', () => {
    const raw = fixture('get-sms-api-v1', 'response-200-status-delivered') as { status: string };
    expect(statusOfLookup(raw.status)).toBe('delivered');
  });
});
