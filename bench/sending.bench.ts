/**
 * Sending benchmarks, each printed beside a baseline measured in the same run:
 *  1. engine throughput against the simulator (no rate limit, batch 1000) beside a bare undici loop
 *     posting the same request bodies to the same server with as many requests in flight;
 *  2. the same through the Send SMS API (one message a request, each with its Idempotency-Key, no rate limit)
 *     beside a bare undici loop posting the same one-message requests with as many in flight;
 *  3. delivery-report intake: reports per second recorded durably by the receiver, beside a bare
 *     node:http server that only reads and answers. The same load generator drives both.
 * The simulator and the load generator run in child processes, as the platform would be elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { Desk } from '../electron/core/desk';
import { startNodeDesk } from '../electron/core/node-desk';
import type { ResolvedService } from '../electron/core/services';
import { messagingUrl, toMessageObject } from '../electron/core/sending/messaging-api';
import { smsUrl, toSmsRequest } from '../electron/core/sending/sms-api';
import { outgoingMessage } from '../electron/core/sending/send-campaign';
import { sendSettings } from '../electron/core/sending/send-settings';
import { startSimulator } from '../electron/core/simulator/simulator';

const SELF = fileURLToPath(import.meta.url);
const KEY = 'bench-key';
const ROWS = 50_000;
const ROUNDS = 3;
const DR_ROWS = 20_000;
const SMS_ROWS = 20_000;
/** Posts in flight from the load generator: the platform posts reports in parallel. */
const DR_CONCURRENCIES = [32, 64];

async function serveSimulator(): Promise<void> {
  const sim = await startSimulator({ keys: [KEY], deliveryReports: false });
  process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
  // Nothing here reads what was accepted; emptying the record keeps memory flat over the rounds.
  setInterval(() => (sim.accepted as unknown[]).splice(0, sim.accepted.length), 2000).unref();
  process.stdin.resume();
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
}

/** Posts every body of the file (JSON array of strings) with `concurrency` requests in flight. */
async function generateLoad(url: string, bodiesFile: string, concurrency: number): Promise<void> {
  const bodies = JSON.parse(await readFile(bodiesFile, 'utf8')) as string[];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.body.dump();
        if (res.statusCode !== 200) failed++;
      }
    }),
  );
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ count: bodies.length, ms, failed })}\n`);
}

function child(args: string[]): { process: ChildProcess; firstLine: Promise<Record<string, unknown>> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as Record<string, unknown>);
    });
    proc.once('exit', (code) => reject(new Error(`child ${args[0]} exited with ${code}`)));
  });
  return { process: proc, firstLine };
}

function csvOf(rows: number): string {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++) lines.push(`Person ${i},+1415${String(5_000_000 + i).padStart(7, '0')}`);
  return lines.join('\n');
}

async function importCampaign(desk: Desk, rows: number): Promise<string> {
  const imported = await desk.importRecipients('bench.csv', { text: csvOf(rows) });
  await desk.update(imported.id, {
    phoneColumn: 1,
    defaultCountry: 'US',
    template: 'Hello $(name), your parcel is on its way. Track it in the app.',
    senderId: 'BENCH',
  });
  return imported.id;
}

function externalService(baseUrl: string, api: 'messaging' | 'sms' = 'messaging'): ResolvedService {
  return {
    baseUrl,
    key: KEY,
    view: {
      id: 'bench',
      name: 'bench',
      kind: 'imiconnect',
      baseUrl,
      keyHint: null,
      tunnel: { kind: 'none', target: null, tokenHint: null },
      frequencyCap: null,
      rate: 10_000,
      pricePerSegment: 0,
      currency: 'USD',
      api,
      numbersWithPlus: true,
      sendWindow: null,
    },
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function engineRound(desk: Desk, service: ResolvedService): Promise<number> {
  const id = await importCampaign(desk, ROWS);
  const started = performance.now();
  await desk.send(id, { service, rate: Infinity, batchSize: 1000 });
  await desk.finished(id);
  const seconds = (performance.now() - started) / 1000;
  const view = await desk.handlers['campaigns.get']({ id });
  if (view.state !== 'completed' || view.counts.queued !== ROWS)
    throw new Error(`engine round ended ${view.state} with ${JSON.stringify(view.counts)}`);
  return ROWS / seconds;
}

async function bareLoopRound(desk: Desk, service: ResolvedService, inFlight: number): Promise<number> {
  const id = await importCampaign(desk, ROWS);
  const { campaign } = await desk.campaign(id);
  const notifyUrl = desk.receiver.drUrl;
  const bodies: string[] = [];
  for (let first = 0; first < ROWS; first += 1000) {
    const batch = [];
    for (let row = first; row < Math.min(ROWS, first + 1000); row++) {
      batch.push(toMessageObject(outgoingMessage(campaign, row), notifyUrl, true));
    }
    bodies.push(JSON.stringify(batch));
  }
  const url = messagingUrl(service.baseUrl);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const res = await request(url, {
          method: 'POST',
          headers: { key: service.key, 'content-type': 'application/json' },
          body,
        });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`bare loop got HTTP ${res.statusCode}`);
      }
    }),
  );
  return ROWS / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function benchThroughput(desk: Desk, service: ResolvedService): Promise<void> {
  const inFlight = sendSettings(Infinity, { batchSize: 1000 }).maxInFlight;
  await engineRound(desk, service);
  await bareLoopRound(desk, service, inFlight);
  const engine: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    engine.push(await engineRound(desk, service));
    bare.push(await bareLoopRound(desk, service, inFlight));
  }
  const e = median(engine);
  const b = median(bare);
  console.log(
    `Sending, ${fmt(ROWS)} messages, batch 1000, ${inFlight} requests in flight, median of ${ROUNDS} (after a warm-up):`,
  );
  console.log(`  engine (journaled)   ${fmt(e).padStart(8)} msg/s`);
  console.log(`  bare undici loop     ${fmt(b).padStart(8)} msg/s`);
  console.log(
    `  ratio ${(e / b).toFixed(2)} (target ≥ 0.70); engine ≥ 5,000 msg/s: ${e >= 5000 ? 'yes' : 'NO'}`,
  );
}

async function smsEngineRound(desk: Desk, service: ResolvedService): Promise<number> {
  const id = await importCampaign(desk, SMS_ROWS);
  const started = performance.now();
  await desk.send(id, { service, rate: Infinity });
  await desk.finished(id);
  const seconds = (performance.now() - started) / 1000;
  const view = await desk.handlers['campaigns.get']({ id });
  if (view.state !== 'completed' || view.counts.queued !== SMS_ROWS)
    throw new Error(`Send SMS API round ended ${view.state} with ${JSON.stringify(view.counts)}`);
  return SMS_ROWS / seconds;
}

async function smsBareLoopRound(desk: Desk, service: ResolvedService, inFlight: number): Promise<number> {
  const id = await importCampaign(desk, SMS_ROWS);
  const { campaign } = await desk.campaign(id);
  const notifyUrl = desk.receiver.drUrl;
  const requests = Array.from({ length: SMS_ROWS }, (_, row) => {
    const message = outgoingMessage(campaign, row);
    return { key: message.idempotencyKey, body: JSON.stringify(toSmsRequest(message, notifyUrl)) };
  });
  const url = smsUrl(service.baseUrl);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests.length) {
        const { key, body } = requests[next++] as { key: string; body: string };
        const res = await request(url, {
          method: 'POST',
          headers: { authorization: service.key, 'content-type': 'application/json', 'idempotency-key': key },
          body,
        });
        await res.body.text();
        if (res.statusCode !== 202) throw new Error(`bare loop got HTTP ${res.statusCode}`);
      }
    }),
  );
  return SMS_ROWS / ((performance.now() - started) / 1000);
}

async function benchSmsThroughput(desk: Desk, service: ResolvedService): Promise<void> {
  const inFlight = sendSettings(Infinity, {}, 1).maxInFlight;
  await smsEngineRound(desk, service);
  await smsBareLoopRound(desk, service, inFlight);
  const engine: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    engine.push(await smsEngineRound(desk, service));
    bare.push(await smsBareLoopRound(desk, service, inFlight));
  }
  const e = median(engine);
  const b = median(bare);
  console.log(
    `Send SMS API, ${fmt(SMS_ROWS)} messages, one a request, ${inFlight} requests in flight, median of ${ROUNDS} (after a warm-up):`,
  );
  console.log(`  engine (journaled)   ${fmt(e).padStart(8)} msg/s`);
  console.log(`  bare undici loop     ${fmt(b).padStart(8)} msg/s`);
  console.log(
    `  ratio ${(e / b).toFixed(2)} (target ≥ 0.70); engine ≥ 2,000 msg/s: ${e >= 2000 ? 'yes' : 'NO'}`,
  );
}

/** Reports as the platform posts them: each names its row's correlation id and the transid the API gave it. */
function drBodies(campaignId: string, rows: number, transidOf: (row: number) => string | null): string[] {
  const bodies: string[] = [];
  for (const [status, code] of [
    ['Submitted', '7501'],
    ['Delivered', '7500'],
  ] as const) {
    for (let row = 0; row < rows; row++) {
      bodies.push(
        JSON.stringify({
          deliveryInfoNotification: {
            deliveryInfo: {
              timeStamp: new Date().toISOString(),
              Description: status,
              code,
              messageCount: '1',
              deliveryChannel: 'SMS',
              additionalInfo: '',
              destination: `1415${String(5_000_000 + row).padStart(7, '0')}`,
              destinationType: 'msisdn',
              deliveryStatus: status,
            },
            carrier: 'BENCH',
            subtid: '',
            transid: transidOf(row) ?? randomUUID(),
            callbackData: '',
            correlationid: `${campaignId}.${row}`,
          },
        }),
      );
    }
  }
  return bodies;
}

async function load(
  url: string,
  bodiesFile: string,
  concurrency: number,
): Promise<{ perSecond: number; failed: number }> {
  const loader = child(['load', url, bodiesFile, String(concurrency)]);
  const result = (await loader.firstLine) as { count: number; ms: number; failed: number };
  return { perSecond: result.count / (result.ms / 1000), failed: result.failed };
}

async function receiverRound(
  desk: Desk,
  service: ResolvedService,
  dir: string,
  concurrency: number,
): Promise<number> {
  const id = await importCampaign(desk, DR_ROWS);
  await desk.send(id, { service, rate: Infinity, batchSize: 1000 });
  await desk.finished(id);
  const bodiesFile = join(dir, `reports-${id}.json`);
  const { campaign } = await desk.campaign(id);
  await writeFile(bodiesFile, JSON.stringify(drBodies(id, DR_ROWS, (row) => campaign.transidOf(row))));
  const result = await load(desk.receiver.drUrl, bodiesFile, concurrency);
  const view = await desk.handlers['campaigns.get']({ id });
  if (result.failed > 0 || view.counts.delivered !== DR_ROWS)
    throw new Error(`receiver recorded ${JSON.stringify(view.counts)}, ${result.failed} posts failed`);
  return result.perSecond;
}

async function bareServerRound(bodiesFile: string, concurrency: number): Promise<number> {
  const bare = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":200}'));
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/dr`;
    return (await load(url, bodiesFile, concurrency)).perSecond;
  } finally {
    bare.close();
  }
}

async function benchReportIntake(
  desk: Desk,
  service: ResolvedService,
  dir: string,
  concurrency: number,
): Promise<void> {
  const receiver: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    receiver.push(await receiverRound(desk, service, dir, concurrency));
    bare.push(await bareServerRound(join(dir, 'reports-bare.json'), concurrency));
  }
  const r = median(receiver);
  const b = median(bare);
  console.log(
    `Delivery-report intake, ${fmt(DR_ROWS * 2)} reports, ${concurrency} posts in flight, median of ${ROUNDS}:`,
  );
  console.log(`  receiver (journaled, fsynced)  ${fmt(r).padStart(8)} DR/s`);
  console.log(`  bare node:http server          ${fmt(b).padStart(8)} DR/s`);
  console.log(`  ratio ${(r / b).toFixed(2)} (target ≥ 0.50)`);
}

/** `npm run bench -- sending sms`: the Send SMS API section alone. */
const onlySms = process.argv.includes('sms');

async function main(): Promise<void> {
  console.log(`${cpus().length} cores, Node ${process.version}`);
  const dir = await mkdtemp(join(tmpdir(), 'sending-bench-'));
  const simulator = child(['simulator']);
  const { url } = (await simulator.firstLine) as { url: string };
  const desk = await startNodeDesk(join(dir, 'home'), { restoreSchedules: false });
  try {
    const service = externalService(url);
    if (!onlySms) await benchThroughput(desk, service);
    await benchSmsThroughput(desk, externalService(url, 'sms'));
    if (onlySms) return;
    await writeFile(join(dir, 'reports-bare.json'), JSON.stringify(drBodies('bare', DR_ROWS, () => null)));
    for (const concurrency of DR_CONCURRENCIES) await benchReportIntake(desk, service, dir, concurrency);
  } finally {
    await desk.close();
    simulator.process.stdin?.end();
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'simulator') await serveSimulator();
else if (mode === 'load') await generateLoad(args[0] as string, args[1] as string, Number(args[2]));
else await main();
