import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../electron/core/receiver/receiver';
import type { DeliveryReport, IncomingMessage } from '../../electron/core/receiver/webhook-schemas';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

interface Recorder {
  receiver: Receiver;
  reports: DeliveryReport[][];
  messages: IncomingMessage[];
  /** The service id each message came with. */
  services: string[];
}

const receivers: Receiver[] = [];

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function start(options: { maxBodyBytes?: number; fail?: Error } = {}): Promise<Recorder> {
  const reports: DeliveryReport[][] = [];
  const messages: IncomingMessage[] = [];
  const services: string[] = [];
  const receiver = await startReceiver({
    secret: SECRET,
    maxBodyBytes: options.maxBodyBytes,
    handlers: {
      onDeliveryReports: async (batch) => {
        if (options.fail) throw options.fail;
        reports.push(batch);
      },
      onIncomingMessage: async (message, serviceId) => {
        if (options.fail) throw options.fail;
        messages.push(message);
        services.push(serviceId);
      },
    },
  });
  receivers.push(receiver);
  return { receiver, reports, messages, services };
}

async function post(url: string, body: unknown, method = 'POST') {
  const res = await request(url, {
    method: method as 'POST',
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as { status: number; message: string } };
}

function dr(overrides: { info?: Record<string, unknown>; top?: Record<string, unknown> } = {}) {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        timeStamp: '2022-10-10T13:53:13.749+01:00',
        Description: 'Delivered',
        code: '7500',
        messageCount: '1',
        deliveryChannel: 'SMS',
        additionalInfo: '',
        destination: '14155552671',
        destinationType: 'msisdn',
        deliveryStatus: 'Delivered',
        ...overrides.info,
      },
      carrier: 'USTMO',
      subtid: '',
      transid: 'b0c5d0f4-7a43-4c1e-9a57-1d2a3b4c5d6e',
      callbackData: 'cb',
      correlationid: 'camp-1.0',
      ...overrides.top,
    },
  };
}

describe('receiver: routing', () => {
  it('binds to loopback and puts the secret in its URLs', async () => {
    const { receiver } = await start();
    expect(receiver.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${SECRET}$`));
    expect(receiver.drUrl).toBe(`${receiver.url}/dr`);
    expect(receiver.moUrl).toBe(`${receiver.url}/mo`);
  });

  it('answers 404 to a wrong secret or an unknown path, without calling a handler', async () => {
    const { receiver, reports, messages } = await start();
    const base = new URL(receiver.url).origin;
    for (const path of [
      `/wrong${SECRET}/dr`,
      `/${SECRET.slice(0, -1)}/dr`,
      `/${SECRET}/other`,
      '/dr',
      `/${SECRET}`,
    ]) {
      expect((await post(base + path, dr())).status, path).toBe(404);
    }
    expect(reports).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('takes replies per service at /mo/<service id>, plain /mo being the Sandbox', async () => {
    const { receiver, messages, services } = await start();
    const uuid = '3f2b8c1e-9d4a-4e6b-8f0c-1a2b3c4d5e6f';
    for (const path of ['/mo/sandbox', `/mo/${uuid}`, '/mo']) {
      expect((await post(receiver.url + path, { oa: '14155552671', message: 'hi' })).status, path).toBe(200);
    }
    expect(services).toEqual(['sandbox', uuid, 'sandbox']);
    for (const path of [
      '/mo/',
      '/mo/Sandbox',
      '/mo/other',
      `/mo/${uuid.toUpperCase()}`,
      `/mo/${uuid}x`,
      `/mo/${uuid}/dr`,
      '/mo/sandbox/',
      '/mo/..%2Fdr',
    ]) {
      expect((await post(receiver.url + path, { oa: '14155552671', message: 'hi' })).status, path).toBe(404);
    }
    expect(messages).toHaveLength(3);
  });

  it('answers 405 to other methods', async () => {
    const { receiver } = await start();
    expect((await post(receiver.drUrl, null, 'GET')).status).toBe(405);
    expect((await post(receiver.moUrl, dr(), 'PUT')).status).toBe(405);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { receiver, reports } = await start();
    const answer = await post(receiver.drUrl, '{"deliveryInfoNotification": ');
    expect(answer).toEqual({ status: 400, body: { status: 400, message: 'invalid JSON' } });
    expect((await post(receiver.drUrl, '')).status).toBe(400);
    expect(reports).toEqual([]);
  });

  it('answers 422 to JSON that is not a delivery report or an incoming message', async () => {
    const { receiver, reports, messages } = await start();
    for (const body of [
      { hello: 'world' },
      42,
      null,
      [dr(), { nope: true }],
      dr({ info: { deliveryStatus: undefined } }),
    ]) {
      const answer = await post(receiver.drUrl, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.message).toMatch(/^not a delivery report/);
    }
    expect((await post(receiver.moUrl, { message: 'STOP' })).status).toBe(422);
    expect((await post(receiver.moUrl, { oa: '', message: 'STOP' })).status).toBe(422);
    expect((await post(receiver.moUrl, dr())).status).toBe(422);
    expect(reports).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('accepts the secret path with a query string', async () => {
    const { receiver, reports } = await start();
    expect((await post(`${receiver.drUrl}?source=platform`, dr())).status).toBe(200);
    expect(reports).toHaveLength(1);
  });
});

describe('receiver: body size', () => {
  it('answers 413 to a declared body over the limit', async () => {
    const { receiver, reports } = await start({ maxBodyBytes: 1024 });
    const big = dr({ top: { callbackData: 'x'.repeat(2000) } });
    const answer = await post(receiver.drUrl, big);
    expect(answer.status).toBe(413);
    expect(reports).toEqual([]);
    // A body just under the limit still goes through.
    expect((await post(receiver.drUrl, dr({ top: { callbackData: 'x'.repeat(300) } }))).status).toBe(200);
  });

  it('answers 413 to a chunked body once it passes the limit, while the client is still sending', async () => {
    const { receiver, reports } = await start({ maxBodyBytes: 1024 });
    const url = new URL(receiver.drUrl);
    const outcome = await new Promise<{ status: number; body: string; chunksWritten: number }>(
      (resolve, reject) => {
        let written = 0;
        let timer: NodeJS.Timeout | undefined;
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            clearTimeout(timer);
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body, chunksWritten: written }));
          },
        );
        req.on('error', reject);
        // Keeps sending 256-byte chunks for as long as no answer came, up to 2 s.
        const deadline = Date.now() + 2000;
        const write = () => {
          if (Date.now() > deadline) return req.end();
          req.write('x'.repeat(256));
          written += 1;
          timer = setTimeout(write, 5);
        };
        write();
      },
    );
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toEqual({ status: 413, message: 'body too large' });
    // The answer came long before the client gave up sending.
    expect(outcome.chunksWritten).toBeLessThan(50);
    expect(reports).toEqual([]);
  });

  it('applies a 64 KiB limit by default', async () => {
    const { receiver } = await start();
    const answer = await post(receiver.drUrl, dr({ top: { callbackData: 'x'.repeat(70 * 1024) } }));
    expect(answer.status).toBe(413);
  });

  it('answers a client that declares a large body but sends it slowly, without waiting for it', async () => {
    const { receiver } = await start({ maxBodyBytes: 1024 });
    const url = new URL(receiver.drUrl);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":`,
        );
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        resolve(text);
      }, 2000);
    });
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe('receiver: delivery reports', () => {
  it('parses the documented sample and keeps the raw payload', async () => {
    const { receiver, reports } = await start();
    const body = dr();
    expect(await post(receiver.drUrl, body)).toEqual({ status: 200, body: { status: 200, message: 'ok' } });
    expect(reports).toEqual([
      [
        {
          status: 'delivered',
          deliveryStatus: 'Delivered',
          code: '7500',
          description: 'Delivered',
          transid: 'b0c5d0f4-7a43-4c1e-9a57-1d2a3b4c5d6e',
          correlationid: 'camp-1.0',
          callbackData: 'cb',
          carrier: 'USTMO',
          destination: '14155552671',
          timestamp: '2022-10-10T13:53:13.749+01:00',
          raw: body,
        },
      ],
    ]);
  });

  it('reads Description or description, and the notification key in any casing', async () => {
    const { receiver, reports } = await start();
    const lower = dr({
      info: {
        Description: undefined,
        description: 'Unknown subscriber',
        deliveryStatus: 'Un-Delivered',
        code: '7203',
      },
    });
    const variants = [
      lower,
      { DeliveryInfoNotification: dr().deliveryInfoNotification },
      {
        deliveryinfonotification: {
          ...dr().deliveryInfoNotification,
          DeliveryInfo: dr().deliveryInfoNotification.deliveryInfo,
        },
      },
      {
        DELIVERYINFONOTIFICATION: dr({ top: { TransID: 't-upper', transid: undefined } })
          .deliveryInfoNotification,
      },
    ];
    for (const body of variants) expect((await post(receiver.drUrl, body)).status).toBe(200);
    const got = reports.map(([r]) => r);
    expect(got[0]).toMatchObject({ status: 'undelivered', code: '7203', description: 'Unknown subscriber' });
    expect(got[1]).toMatchObject({ status: 'delivered', description: 'Delivered' });
    expect(got[2]).toMatchObject({ status: 'delivered', transid: 'b0c5d0f4-7a43-4c1e-9a57-1d2a3b4c5d6e' });
    expect(got[3]).toMatchObject({ status: 'delivered', transid: 't-upper' });
    // The raw payload keeps the casing it came with.
    expect(got[1]?.raw).toEqual(variants[1]);
  });

  it('reads timeStamp without a zone, numeric codes, and blank ids as missing', async () => {
    const { receiver, reports } = await start();
    const body = dr({
      info: { timeStamp: '2022-10-10 13:53:13', code: 7500 },
      top: { transid: '', correlationid: '  ', carrier: '' },
    });
    expect((await post(receiver.drUrl, body)).status).toBe(200);
    expect(reports[0]?.[0]).toMatchObject({
      code: '7500',
      timestamp: '2022-10-10 13:53:13',
      transid: null,
      correlationid: null,
      carrier: null,
    });
  });

  it('falls back to the delivery status when there is no description', async () => {
    const { receiver, reports } = await start();
    await post(
      receiver.drUrl,
      dr({ info: { Description: undefined, deliveryStatus: 'Submitted', code: '7501' } }),
    );
    expect(reports[0]?.[0]).toMatchObject({ status: 'submitted', description: 'Submitted' });
  });

  it('maps expiry and clicks', async () => {
    const { receiver, reports } = await start();
    await post(receiver.drUrl, [
      dr({ info: { deliveryStatus: 'Un-Delivered', code: '7208', Description: 'Expired' } }),
      dr({ info: { deliveryStatus: 'Clicked', code: '7528', Description: 'Clicked' } }),
    ]);
    expect(reports[0]?.map((r) => r.status)).toEqual(['expired', null]);
  });

  it('hands an array of reports to the handler in one call, in order', async () => {
    const { receiver, reports } = await start();
    const body = [
      dr({ top: { correlationid: 'c.0' } }),
      dr({ top: { correlationid: 'c.1' }, info: { deliveryStatus: 'Failed', code: '7201' } }),
      dr({ top: { correlationid: 'c.2' }, info: { deliveryStatus: 'Submitted', code: '7501' } }),
    ];
    expect((await post(receiver.drUrl, body)).status).toBe(200);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.map((r) => [r.correlationid, r.status])).toEqual([
      ['c.0', 'delivered'],
      ['c.1', 'failed'],
      ['c.2', 'submitted'],
    ]);
    expect(reports[0]?.map((r) => r.raw)).toEqual(body);
  });

  it('answers 500 and does not acknowledge when the handler cannot record the reports', async () => {
    const { receiver } = await start({ fail: new Error('disk full') });
    const answer = await post(receiver.drUrl, dr());
    expect(answer).toEqual({ status: 500, body: { status: 500, message: 'not recorded' } });
    expect((await post(receiver.moUrl, { oa: '14155552671', message: 'STOP' })).status).toBe(500);
  });

  it('acknowledges only once the handler has finished', async () => {
    let release: () => void = () => undefined;
    let done = false;
    const receiver = await startReceiver({
      secret: SECRET,
      handlers: {
        onDeliveryReports: () =>
          new Promise<void>((resolve) => {
            release = () => {
              done = true;
              resolve();
            };
          }),
        onIncomingMessage: async () => undefined,
      },
    });
    receivers.push(receiver);
    const pending = post(receiver.drUrl, dr()).then((answer) => ({ answer, doneWhenAnswered: done }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const { answer, doneWhenAnswered } = await pending;
    expect(answer.status).toBe(200);
    expect(doneWhenAnswered).toBe(true);
  });
});

describe('receiver: incoming messages', () => {
  it('keeps both sides of a reply as posted (which is the customer is decided with the service in hand)', async () => {
    const { receiver, messages, reports } = await start();
    const body = {
      userId: '447700900123',
      channel: 'SMS',
      da: '56263',
      oa: '447700900123',
      message: 'STOP',
      messageCount: '1',
      tid: 'tid-1',
      datetime: '2024-01-07T14:36:09.266Z',
      ts: '1704638169266',
      x_networkid: 'USTMO',
    };
    expect((await post(receiver.moUrl, body)).status).toBe(200);
    expect(messages).toEqual([
      {
        oa: '447700900123',
        da: '56263',
        text: 'STOP',
        receivedAt: '2024-01-07T14:36:09.266Z',
        tid: 'tid-1',
        raw: body,
      },
    ]);
    expect(reports).toEqual([]);
  });

  it('reads keys in any casing and tolerates missing optional fields', async () => {
    const { receiver, messages } = await start();
    expect((await post(receiver.moUrl, { OA: '14155552671', Message: 'help me' })).status).toBe(200);
    expect(messages).toEqual([
      {
        oa: '14155552671',
        da: null,
        text: 'help me',
        receivedAt: null,
        tid: null,
        raw: { OA: '14155552671', Message: 'help me' },
      },
    ]);
  });
});

describe('receiver: closing', () => {
  it('finishes recording the posts it took in before it says it has closed', async () => {
    const recorded: DeliveryReport[][] = [];
    let taken: () => void = () => {};
    const takenIn = new Promise<void>((resolve) => (taken = resolve));
    const receiver = await startReceiver({
      secret: SECRET,
      handlers: {
        // As a journal write does, recording takes a while.
        onDeliveryReports: async (batch) => {
          taken();
          await new Promise((resolve) => setTimeout(resolve, 300));
          recorded.push(batch);
        },
        onIncomingMessage: async () => {},
      },
    });
    const posted = post(`${receiver.url}/dr`, dr()).catch((error: Error) => error);
    await takenIn;
    await receiver.close();
    // Closed: what came in before is recorded, so the stores behind it may close now.
    expect(recorded).toHaveLength(1);
    await posted;
  });
});
