import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyCheck, SendApi } from '../../shared/api';
import { checkKey } from '../../electron/core/sending/key-check';
import type { ResolvedService } from '../../electron/core/services';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { tempHome } from './sending-support';

const KEY = 'key-check-secret-9f3e';
const WRONG = 'key-check-wrong-1a2b';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(): Promise<Simulator> {
  const sim = await startSimulator({ keys: [KEY], seed: 3 });
  cleanups.push(() => sim.close());
  return sim;
}

/** A server of our own, for answers the simulator never gives. */
async function fakePlatform(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on any more. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function service(api: SendApi, baseUrl: string, key: string): ResolvedService {
  return {
    baseUrl,
    key,
    view: {
      id: 'svc',
      name: 'Shop',
      kind: 'imiconnect',
      baseUrl,
      keyHint: '••••',
      rate: 10,
      pricePerSegment: 0,
      currency: 'USD',
      api,
      numbersWithPlus: true,
      sendWindow: null,
      tunnel: { kind: 'none', target: null, tokenHint: null },
      frequencyCap: null,
    },
  };
}

async function check(api: SendApi, baseUrl: string, key = KEY): Promise<KeyCheck> {
  const result = await checkKey(service(api, baseUrl, key), 2000);
  expect(JSON.stringify(result)).not.toContain(key);
  return result;
}

for (const api of ['messaging', 'sms'] as const) {
  describe(`checking a key over the ${api === 'sms' ? 'Send SMS API' : 'Messaging API v1'}`, () => {
    it('a good key is valid, a wrong or revoked one refused with 7001, and nothing is ever sent', async () => {
      const sim = await simulator();
      expect(await check(api, sim.url)).toEqual({ kind: 'valid' });
      const refused = { kind: 'refused', code: '7001', description: 'Authentication failed.' };
      expect(await check(api, sim.url, WRONG)).toEqual(refused);
      sim.setFaults({ revokedKey: true });
      expect(await check(api, sim.url)).toEqual(refused);
      expect(sim.accepted).toEqual([]);
    });

    it('a port nothing listens on is unreachable, with the reason', async () => {
      const result = await check(api, await closedPort());
      expect(result).toMatchObject({
        kind: 'unreachable',
        reason: expect.stringMatching(/^nothing answered at 127\.0\.0\.1:\d+/),
        detail: expect.stringContaining('ECONNREFUSED'),
      });
    });

    it('an unreadable 5xx says what came back', async () => {
      const url = await fakePlatform((req, res) => {
        req.resume();
        res.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');
      });
      expect(await check(api, url)).toEqual({
        kind: 'unclear',
        answer: api === 'sms' ? 'HTTP 503' : 'HTTP 503 with an unreadable body',
        detail: null,
      });
    });

    it('a key the answer repeats is not passed on', async () => {
      const url = await fakePlatform((req, res) => {
        req.resume();
        const echoed = `Authentication failed for ${String(req.headers['key'] ?? req.headers['authorization'])}`;
        if (api === 'sms')
          res
            .writeHead(403, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: '7001', message: echoed }));
        else res.end(JSON.stringify({ response: { code: '7001', description: echoed, transid: 't' } }));
      });
      expect(await check(api, url)).toEqual({
        kind: 'refused',
        code: '7001',
        description: 'Authentication failed for ••••',
      });
    });
  });
}

describe('checking a key over Messaging API v1: answers the simulator does not give', () => {
  const answering = (body: unknown) =>
    fakePlatform((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });

  it('7003 or 7004 as an object (the request refused as a whole) means the key got past authentication', async () => {
    for (const code of ['7003', '7004']) {
      const url = await answering({ response: { code, description: 'Mandatory parameter missing' } });
      expect(await check('messaging', url)).toEqual({ kind: 'valid' });
    }
  });

  it('another code says neither, and is shown as it came', async () => {
    const url = await answering({ response: { code: '7000', description: 'Invalid JSON' } });
    expect(await check('messaging', url)).toEqual({
      kind: 'unclear',
      answer: 'code 7000: Invalid JSON',
      detail: null,
    });
  });

  it('an inactive service is a refusal of the key', async () => {
    const url = await answering({ response: { code: '7007', description: 'Service inactive' } });
    expect(await check('messaging', url)).toEqual({
      kind: 'refused',
      code: '7007',
      description: 'Service inactive',
    });
  });
});

describe('services.checkKey', () => {
  it('checks the Sandbox with its own key, and the simulator accepts no message', async () => {
    const home = await tempHome();
    cleanups.push(() => home.cleanup());
    const desk = await home.start();
    expect(await desk.handlers['services.checkKey']({ id: 'sandbox' })).toEqual({ kind: 'valid' });
    expect(desk.simulator.accepted).toEqual([]);
  });
});
