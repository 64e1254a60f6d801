import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import {
  KEPT_RECORDS,
  MESSAGING_PATH,
  SMS_PATH,
  startSimulator,
  type Simulator,
} from '../../electron/core/simulator/simulator';
import { expectAtMostOnce, importCampaign, QUIET_SANDBOX, tempHome, view } from './sending-support';

const KEY = 'backlog-test-key';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** A campaign's request as the app sends it: one message object per row, each with its own reference. */
function messages(campaignId: string, from: number, count: number, notifyurl: string) {
  return Array.from({ length: count }, (_, i) => {
    const ref = `${campaignId}.${from + i}`;
    return {
      deliverychannel: 'sms',
      channels: { sms: { text: `Hi Person ${from + i}, your order is ready.`, senderid: 'ACME', type: '1' } },
      destination: [{ msisdn: [`+1415${String(5_000_000 + from + i)}`], correlationid: ref }],
      callbackData: ref,
      notifyurl,
    };
  });
}

interface Entry {
  code: string;
  description: string;
}

async function send(sim: Simulator, body: unknown): Promise<{ response: Entry | Entry[] }> {
  const res = await request(sim.url + MESSAGING_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', key: KEY },
    body: JSON.stringify(body),
  });
  return (await res.body.json()) as { response: Entry | Entry[] };
}

/** A receiver that holds every report until let go, then takes them all. */
async function heldReceiver() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      void released.then(() => {
        received++;
        res.writeHead(200).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dr`,
    release,
    get received() {
      return received;
    },
  };
}

it('throttles sends with 7020 while its backlog of reports is full, and takes them again once it drains', async () => {
  const receiver = await heldReceiver();
  const sim = await startSimulator({
    keys: [KEY],
    submittedDelayMs: 0,
    finalDelayMs: 0,
    failureShare: 0,
    seed: 5,
    tps: null,
    maxPendingReports: 100,
  });
  cleanups.push(() => sim.close());
  const campaignId = randomUUID();
  // Past the room left, destinations are answered 7020 one by one, as beyond the TPS.
  const first = await send(sim, messages(campaignId, 0, 150, receiver.url));
  const codes = (first.response as Entry[]).map((e) => e.code);
  expect(codes.filter((c) => c === '1001')).toHaveLength(100);
  expect(codes.slice(100)).toEqual(Array(50).fill('7020'));
  // Full: a request as a whole, the platform's throttle answer.
  expect(await send(sim, messages(campaignId, 150, 10, receiver.url))).toEqual({
    response: {
      code: '7020',
      description: 'You have reached maximum transaction limit',
      transid: expect.any(String),
    },
  });
  const sms = await request(sim.url + SMS_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ from: 'ACME', to: '+14155550100', content: 'Hi', callbackUrl: receiver.url }),
  });
  expect(sms.statusCode).toBe(429);
  expect(await sms.body.json()).toMatchObject({ code: '7020' });
  receiver.release();
  await sim.idle();
  expect(receiver.received).toBe(200);
  const again = await send(sim, messages(campaignId, 150, 10, receiver.url));
  expect((again.response as Entry[]).map((e) => e.code)).toEqual(Array(10).fill('1001'));
  expect(sim.acceptedCount).toBe(110);
});

it('sends a campaign faster than its reports come back: held at the backlog bound, every row once, all final', async () => {
  const home = await tempHome();
  cleanups.push(() => home.cleanup());
  const rows = 2000;
  const desk = await home.start({ sandbox: { ...QUIET_SANDBOX, maxPendingReports: 200 } });
  const id = await importCampaign(desk, rows);
  await desk.send(id, { rate: 5000 });
  await desk.finished(id);
  const { requests } = desk.simulator;
  expect(requests.some((r) => r.answer === 'throttled' || r.throttled > 0)).toBe(true);
  expect(await desk.settled(id, 30_000)).toBe(true);
  const { counts, state } = await view(desk, id);
  expect(state).toBe('completed');
  expect(counts).toEqual({ delivered: rows });
  expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(rows);
  expect(desk.simulator.acceptedCount).toBe(rows);
}, 60_000);

// Measured with 200,000 pending: 395 bytes each when every pending report was an object with its job, its reports
// and its own strings; 123 bytes kept in columns. The bound leaves room for the heap's own noise.
const MAX_BYTES_PER_PENDING = 200;

it('keeps 200,000 pending delivery reports in under 200 bytes each', async () => {
  const pending = 200_000;
  const sim = await startSimulator({
    keys: [KEY],
    // Nothing falls due while the test runs: every report stays pending.
    submittedDelayMs: 3_600_000,
    finalDelayMs: 10,
    seed: 3,
    tps: null,
    maxPendingReports: KEPT_RECORDS + pending,
  });
  cleanups.push(() => sim.close());
  const campaignId = randomUUID();
  const notifyurl = 'http://127.0.0.1:45678/dr';
  // The messages the simulator keeps for inspection are kept first, so that what follows is the backlog alone.
  for (let row = 0; row < KEPT_RECORDS; row += 1000)
    await send(sim, messages(campaignId, row, 1000, notifyurl));
  const before = heapUsed();
  for (let row = KEPT_RECORDS; row < KEPT_RECORDS + pending; row += 1000) {
    await send(sim, messages(campaignId, row, 1000, notifyurl));
  }
  const perPending = (heapUsed() - before) / pending;
  console.log(`heap per pending delivery report: ${perPending.toFixed(0)} bytes`);
  expect(sim.acceptedCount).toBe(KEPT_RECORDS + pending);
  expect(perPending).toBeLessThan(MAX_BYTES_PER_PENDING);
}, 120_000);
