import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { UNDELIVERED_OUTCOMES } from '../../electron/core/simulator/dr-scheduler.js';
import {
  MESSAGING_PATH,
  MO_HOOK_PATH,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../electron/core/simulator/simulator.js';

const KEY = 'test-service-key';

interface Sink {
  url: string;
  received: unknown[];
  close(): Promise<void>;
}

interface DeliveryReport {
  deliveryInfoNotification: {
    deliveryInfo: {
      code: string;
      Description: string;
      deliveryStatus: string;
      destination: string;
      timeStamp: string;
    };
    carrier: string;
    transid: string;
    correlationid: string;
    callbackData: string;
  };
}

interface ResponseEntry {
  code: string;
  description: string;
  transid?: string;
  correlationid?: string;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSink(status = 200): Promise<Sink> {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sink = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dr`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  cleanups.push(sink.close);
  return sink;
}

async function simulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({
    keys: [KEY],
    submittedDelayMs: 5,
    finalDelayMs: 10,
    seed: 7,
    ...options,
  });
  cleanups.push(() => sim.close());
  return sim;
}

async function post(sim: Simulator, body: unknown, { key = KEY, path = MESSAGING_PATH } = {}) {
  const response = await request(sim.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', key },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as { response: ResponseEntry[] | ResponseEntry },
  };
}

/** The entries of an answer that is an array (per destination). */
function entries(body: { response: ResponseEntry[] | ResponseEntry }): ResponseEntry[] {
  if (!Array.isArray(body.response)) throw new Error(`not an array answer: ${JSON.stringify(body)}`);
  return body.response;
}

function sms(
  destinations: { msisdn: string | string[]; correlationid?: string }[],
  overrides: Record<string, unknown> = {},
) {
  return {
    deliverychannel: 'sms',
    channels: { sms: { text: 'Hello from the bank', senderid: 'DEMOBK', type: '1' } },
    destination: destinations,
    ...overrides,
  };
}

describe('IMIconnect simulator: requests', () => {
  it('refuses a wrong key with HTTP 200 and a 7001 object, a missing key with 7002, as the platform does', async () => {
    const sim = await simulator();
    const wrong = await post(sim, sms([{ msisdn: ['447700900001'] }]), { key: 'wrong' });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({
      response: { code: '7001', description: 'Authentication failed.', transid: expect.any(String) },
    });
    const missing = await request(sim.url + MESSAGING_PATH, { method: 'POST', body: '{}' });
    expect(((await missing.body.json()) as { response: ResponseEntry }).response.code).toBe('7002');
    expect(sim.accepted).toHaveLength(0);
  });

  it('refuses a service key given in the Authorization header, which takes a JWT', async () => {
    const sim = await simulator();
    const response = await request(sim.url + MESSAGING_PATH, {
      method: 'POST',
      headers: { authorization: KEY },
      body: JSON.stringify(sms([{ msisdn: ['447700900001'] }])),
    });
    expect(((await response.body.json()) as { response: ResponseEntry }).response.code).toBe('7001');
    expect(sim.accepted).toHaveLength(0);
  });

  it('answers 7000 as an HTTP 200 object to a body that is not JSON', async () => {
    const sim = await simulator();
    const { status, body } = await post(sim, '{"deliverychannel": ');
    expect(status).toBe(200);
    expect(body).toEqual({
      response: { code: '7000', description: 'Invalid JSON', transid: expect.any(String) },
    });
  });

  it('refuses more than 1000 destinations in one request with a 7009 object and queues none of them', async () => {
    const sim = await simulator();
    const messages = Array.from({ length: 1001 }, (_, i) =>
      sms([{ msisdn: [`4477009${String(i).padStart(5, '0')}`], correlationid: `row-${i}` }]),
    );
    const { body } = await post(sim, messages);
    expect(body.response).toMatchObject({ code: '7009' });
    expect(sim.accepted).toHaveLength(0);
  });

  it('counts every msisdn of a destination towards the 1000 limit', async () => {
    const sim = await simulator();
    const msisdns = Array.from({ length: 1001 }, (_, i) => `4477009${String(i).padStart(5, '0')}`);
    const { body } = await post(sim, sms([{ msisdn: msisdns, correlationid: 'bulk' }]));
    expect(body.response).toMatchObject({ code: '7009' });
  });

  it('refuses a body over 10 MB with a 7022 object', async () => {
    const sim = await simulator();
    const { body } = await post(sim, 'x'.repeat(10 * 1024 * 1024 + 1));
    expect(body.response).toMatchObject({ code: '7022' });
  });

  it('refuses a type that is not one of the documented strings "1", "3", "4"', async () => {
    const sim = await simulator();
    const { body } = await post(sim, [
      sms([{ msisdn: ['447700900001'] }], { channels: { sms: { text: 'Hi', senderid: 'A', type: 1 } } }),
      sms([{ msisdn: ['447700900002'] }], { channels: { sms: { text: 'Hé 😀', senderid: 'A', type: '4' } } }),
    ]);
    expect(entries(body).map((e) => e.code)).toEqual(['7004', '1001']);
    expect(sim.accepted.map((m) => m.type)).toEqual(['4']);
  });

  it('refuses numbers without their plus when the tenant requires +E.164', async () => {
    const sim = await simulator({ requirePlus: true });
    const { body } = await post(sim, [
      sms([{ msisdn: ['447700900001'] }]),
      sms([{ msisdn: ['+447700900002'] }]),
    ]);
    expect(entries(body).map((e) => e.code)).toEqual(['7102', '1001']);
  });

  it('queues up to its TPS, then 1.5 × TPS in burst mode, and refuses the rest with 7020', async () => {
    const sim = await simulator({ tps: 10 });
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => sms([{ msisdn: [`4477009000${String(i).padStart(2, '0')}`] }]));
    // Within one clock second: 10 as usual, 5 in burst mode, then 7020 per destination, then a 7020 object.
    const second = Math.floor(Date.now() / 1000);
    const first = await post(sim, batch(12));
    const next = await post(sim, batch(6));
    const last = await post(sim, batch(2));
    if (Math.floor(Date.now() / 1000) !== second) return; // a second boundary fell inside the test: nothing to tell
    expect(entries(first.body).map((e) => e.description)).toEqual([
      ...Array(10).fill('Queued'),
      'Queued in burst mode',
      'Queued in burst mode',
    ]);
    expect(entries(next.body).map((e) => e.code)).toEqual(['1001', '1001', '1001', '7020', '7020', '7020']);
    expect(last.body.response).toMatchObject({
      code: '7020',
      description: 'You have reached maximum transaction limit',
    });
    expect(sim.accepted).toHaveLength(15);
  });

  it('answers 404 to unknown routes', async () => {
    const sim = await simulator();
    const response = await request(`${sim.url}/resources/v2/messaging`, { method: 'POST', body: '{}' });
    expect(response.statusCode).toBe(404);
    expect(await response.body.json()).toEqual({ error: 'Not found' });
  });

  it('answers a batch in request order with empty correlation ids and suffixed transids, as page "api-faqs" shows', async () => {
    const sim = await simulator();
    const { status, body } = await post(sim, [
      sms([{ msisdn: ['447700900001'], correlationid: 'row-1' }]),
      sms([{ msisdn: '+447700900002', correlationid: 'row-2' }]),
      sms([{ msisdn: ['447700900003', '447700900004'], correlationid: 'pair' }]),
    ]);
    expect(status).toBe(200);
    const stem = entries(body)[0]?.transid as string;
    expect(entries(body)).toEqual([
      { code: '1001', description: 'Queued', transid: stem, correlationid: '' },
      { code: '1001', description: 'Queued', transid: `${stem}_1`, correlationid: '' },
      { code: '1001', description: 'Queued', transid: `${stem}_2`, correlationid: '' },
      { code: '1001', description: 'Queued', transid: `${stem}_3`, correlationid: '' },
    ]);
    expect(sim.accepted.map((m) => [m.correlationid, m.msisdn])).toEqual([
      ['row-1', '447700900001'],
      ['row-2', '+447700900002'],
      ['pair', '447700900003'],
      ['pair', '447700900004'],
    ]);
  });

  it('rejects a bad msisdn with 7102 while the rest of the batch is queued', async () => {
    const sim = await simulator();
    const { status, body } = await post(sim, [
      sms([{ msisdn: ['447700900001'], correlationid: 'a' }]),
      sms([{ msisdn: ['12ab'], correlationid: 'b' }]),
      sms([{ msisdn: ['447700900003'], correlationid: 'c' }]),
    ]);
    expect(status).toBe(200);
    expect(entries(body).map((entry) => entry.code)).toEqual(['1001', '7102', '1001']);
    expect(entries(body)[1]).toEqual({
      code: '7102',
      description: 'Invalid destination address',
      correlationid: '',
    });
  });

  it('reports per-destination errors for missing text, long text, empty sender, undeclared links and non-objects', async () => {
    const sim = await simulator();
    const { body } = await post(sim, [
      sms([{ msisdn: ['447700900001'], correlationid: 'no-text' }], {
        channels: { sms: { senderid: 'DEMOBK' } },
      }),
      sms([{ msisdn: ['447700900002'], correlationid: 'long' }], {
        channels: { sms: { text: 'x'.repeat(1025), senderid: 'DEMOBK' } },
      }),
      sms([{ msisdn: ['447700900003'], correlationid: 'sender' }], {
        channels: { sms: { text: 'Hi', senderid: '' } },
      }),
      sms([{ msisdn: ['447700900004'], correlationid: 'link' }], {
        channels: {
          sms: { text: 'See {{link_9}}', senderid: 'DEMOBK' },
          smartlinks: [{ linkid: 5, validity: 30 }],
        },
      }),
      sms([{ msisdn: ['447700900005'], correlationid: 'declared-link' }], {
        channels: {
          sms: { text: 'See {{link_5}}', senderid: 'DEMOBK' },
          smartlinks: [{ linkid: 5, validity: 30 }],
        },
      }),
      'not an object',
    ]);
    expect(entries(body).map((entry) => [entry.code, entry.description])).toEqual([
      ['7003', 'Mandatory parameter missing'],
      ['7107', 'Message length exceeded'],
      ['7101', 'Invalid sender ID'],
      ['7004', 'Invalid parameter'],
      ['1001', 'Queued'],
      ['7004', 'Invalid parameter'],
    ]);
    expect(sim.accepted[0]?.smartlinks).toEqual([{ linkid: 5, validity: 30 }]);
  });

  it('records exactly the queued destinations in accepted', async () => {
    const sim = await simulator();
    const { body } = await post(sim, [
      sms([{ msisdn: ['447700900001'], correlationid: 'a' }]),
      sms([{ msisdn: ['bad'], correlationid: 'b' }]),
      sms([{ msisdn: ['447700900003', '447700900004'], correlationid: 'c' }], {
        notifyurl: 'http://127.0.0.1:9/dr',
      }),
    ]);
    await post(sim, sms([{ msisdn: ['447700900001'], correlationid: 'd' }]), { key: 'wrong' });
    const queued = entries(body).filter((entry) => entry.code === '1001');
    expect(sim.accepted.map((message) => [message.transid, message.correlationid, message.msisdn])).toEqual([
      [queued[0]?.transid, 'a', '447700900001'],
      [queued[1]?.transid, 'c', '447700900003'],
      [queued[2]?.transid, 'c', '447700900004'],
    ]);
    expect(sim.accepted[1]).toMatchObject({
      text: 'Hello from the bank',
      senderid: 'DEMOBK',
      notifyurl: 'http://127.0.0.1:9/dr',
      acceptedAt: expect.any(String),
    });
    await sim.idle();
    expect(sim.failedPosts.length).toBe(4);
  });
});

describe('IMIconnect simulator: delivery reports', () => {
  it('posts Submitted then the final report with the same transid and callbackData, correlation id empty as documented', async () => {
    const sink = await startSink();
    const sim = await simulator({ failureShare: 0 });
    const { body } = await post(
      sim,
      sms([{ msisdn: ['+447700900001'], correlationid: 'row-1' }], {
        notifyurl: sink.url,
        callbackData: 'cb-1',
      }),
    );
    await sim.idle();
    const reports = sink.received as DeliveryReport[];
    expect(reports.map((report) => report.deliveryInfoNotification.deliveryInfo.deliveryStatus)).toEqual([
      'Submitted',
      'Delivered',
    ]);
    expect(reports.map((report) => report.deliveryInfoNotification.deliveryInfo.code)).toEqual([
      '7501',
      '7500',
    ]);
    for (const { deliveryInfoNotification: dr } of reports) {
      expect(dr).toMatchObject({
        transid: entries(body)[0]?.transid,
        correlationid: '',
        callbackData: 'cb-1',
        carrier: 'SIMTEL',
        deliveryInfo: { destination: '447700900001', destinationType: 'msisdn', deliveryChannel: 'SMS' },
      });
      expect(new Date(dr.deliveryInfo.timeStamp).toISOString()).toBe(dr.deliveryInfo.timeStamp);
    }
    expect(sim.failedPosts).toEqual([]);
  });

  it('keeps Submitted before the final report for every destination', async () => {
    const sink = await startSink();
    const sim = await simulator({ failureShare: 0.5, finalDelayMs: 0 });
    const messages = Array.from({ length: 20 }, (_, i) =>
      sms([{ msisdn: [`4477009000${String(i).padStart(2, '0')}`], correlationid: `row-${i}` }], {
        notifyurl: sink.url,
      }),
    );
    await post(sim, messages);
    await sim.idle();
    const byCorrelation = new Map<string, string[]>();
    for (const { deliveryInfoNotification: dr } of sink.received as DeliveryReport[]) {
      byCorrelation.set(dr.transid, [
        ...(byCorrelation.get(dr.transid) ?? []),
        dr.deliveryInfo.deliveryStatus,
      ]);
    }
    expect(byCorrelation.size).toBe(20);
    for (const statuses of byCorrelation.values()) {
      expect(statuses).toHaveLength(2);
      expect(statuses[0]).toBe('Submitted');
      expect(statuses[1]).not.toBe('Submitted');
    }
  });

  it('ends every destination undelivered with failureShare 1', async () => {
    const sink = await startSink();
    const sim = await simulator({ failureShare: 1 });
    const messages = Array.from({ length: 12 }, (_, i) =>
      sms([{ msisdn: [`4477009000${String(i).padStart(2, '0')}`] }], { notifyurl: sink.url }),
    );
    await post(sim, messages);
    await sim.idle();
    const finals = (sink.received as DeliveryReport[])
      .map((report) => report.deliveryInfoNotification.deliveryInfo)
      .filter((info) => info.deliveryStatus !== 'Submitted');
    expect(finals).toHaveLength(12);
    const undelivered = UNDELIVERED_OUTCOMES.map((outcome) => outcome.code);
    for (const info of finals) {
      expect(undelivered).toContain(info.code);
      expect(['Un-Delivered', 'Failed']).toContain(info.deliveryStatus);
    }
  });

  it('delivers every destination with failureShare 0', async () => {
    const sink = await startSink();
    const sim = await simulator({ failureShare: 0 });
    const messages = Array.from({ length: 12 }, (_, i) =>
      sms([{ msisdn: [`4477009000${String(i).padStart(2, '0')}`] }], { notifyurl: sink.url }),
    );
    await post(sim, messages);
    await sim.idle();
    const finals = (sink.received as DeliveryReport[])
      .map((report) => report.deliveryInfoNotification.deliveryInfo)
      .filter((info) => info.deliveryStatus !== 'Submitted');
    expect(finals.map((info) => [info.code, info.deliveryStatus])).toEqual(
      Array.from({ length: 12 }, () => ['7500', 'Delivered']),
    );
  });

  it('draws the same outcomes for the same seed', async () => {
    const outcomes = async () => {
      const sink = await startSink();
      const sim = await simulator({ failureShare: 0.5, seed: 42, submittedDelayMs: 0, finalDelayMs: 0 });
      const messages = Array.from({ length: 10 }, (_, i) =>
        sms([{ msisdn: [`4477009000${String(i).padStart(2, '0')}`], correlationid: `row-${i}` }], {
          notifyurl: sink.url,
        }),
      );
      await post(sim, messages);
      await sim.idle();
      return (sink.received as DeliveryReport[])
        .map(({ deliveryInfoNotification: dr }) => `${dr.deliveryInfo.destination}:${dr.deliveryInfo.code}`)
        .filter((entry) => !entry.endsWith(':7501'))
        .sort();
    };
    expect(await outcomes()).toEqual(await outcomes());
  });

  it('collects delivery reports the sink rejects without failing', async () => {
    const sink = await startSink(500);
    const sim = await simulator();
    await post(sim, sms([{ msisdn: ['447700900001'] }], { notifyurl: sink.url }));
    await sim.idle();
    expect(sink.received).toHaveLength(2);
    expect(sim.failedPosts).toEqual([
      { url: sink.url, reason: 'HTTP 500' },
      { url: sink.url, reason: 'HTTP 500' },
    ]);
  });

  it('cancels pending delivery reports on close', async () => {
    const sink = await startSink();
    const sim = await startSimulator({ keys: [KEY], submittedDelayMs: 30, finalDelayMs: 30 });
    await post(sim, sms([{ msisdn: ['447700900001'] }], { notifyurl: sink.url }));
    await sim.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.received).toEqual([]);
    expect(sim.failedPosts).toEqual([]);
  });
});

describe('IMIconnect simulator: MO injection', () => {
  it('posts the MO payload to the MO notify URL', async () => {
    const sink = await startSink();
    const sim = await simulator({ moNotifyUrl: sink.url });
    await sim.injectMo({ from: '+447700900123', text: 'STOP' });
    expect(sink.received).toEqual([
      {
        userld: expect.stringMatching(/^\d+$/),
        Channel: 'SMS',
        da: '56263',
        message_source: 'SMS',
        oa: '447700900123',
        message: 'STOP',
        messageCount: '1',
        tid: expect.any(String),
        datetime: expect.any(String),
        ts: expect.any(String),
        x_networkid: 'SIMTEL',
      },
    ]);
  });

  it('injects an MO through the HTTP hook once a notify URL is set', async () => {
    const sink = await startSink();
    const sim = await simulator();
    const before = await post(sim, { from: '447700900123', text: 'STOP' }, { path: MO_HOOK_PATH });
    expect(before.status).toBe(409);

    sim.setMoNotifyUrl(sink.url);
    const wrongKey = await post(
      sim,
      { from: '447700900123', text: 'STOP' },
      { path: MO_HOOK_PATH, key: 'x' },
    );
    expect(wrongKey.status).toBe(401);
    const injected = await post(
      sim,
      { from: '447700900123', text: 'STOP', to: '12345' },
      { path: MO_HOOK_PATH },
    );
    expect(injected.status).toBe(202);
    expect(sink.received).toEqual([
      expect.objectContaining({ oa: '447700900123', da: '12345', message: 'STOP' }),
    ]);
  });

  it('rejects injectMo when no MO notify URL is set', async () => {
    const sim = await simulator();
    await expect(sim.injectMo({ from: '447700900123', text: 'HELP' })).rejects.toThrow('No MO notify URL');
  });
});
