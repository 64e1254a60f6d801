import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../electron/core/receiver/receiver';
import { RejectedLog, type RejectedPost } from '../../electron/core/receiver/rejected-log';
import { SourceLimiter } from '../../electron/core/receiver/source-limiter';
import type { DeliveryReport, IncomingMessage } from '../../electron/core/receiver/webhook-schemas';

const SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

let root: string;
const receivers: Receiver[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'receiver-limits-'));
});

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await rm(root, { recursive: true, force: true });
});

interface Started {
  receiver: Receiver;
  reports: DeliveryReport[];
  messages: IncomingMessage[];
  origin: string;
}

async function start(options: Partial<Omit<ReceiverOptions, 'secret' | 'handlers'>> = {}): Promise<Started> {
  const reports: DeliveryReport[] = [];
  const messages: IncomingMessage[] = [];
  const receiver = await startReceiver({
    secret: SECRET,
    ...options,
    handlers: {
      onDeliveryReports: async (batch) => void reports.push(...batch),
      onIncomingMessage: async (message) => void messages.push(message),
    },
  });
  receivers.push(receiver);
  return { receiver, reports, messages, origin: new URL(receiver.url).origin };
}

async function post(
  url: string,
  body: string | Buffer | Readable,
  headers: Record<string, string> = {},
  method: 'POST' | 'GET' = 'POST',
) {
  const res = await request(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: method === 'POST' ? body : undefined,
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    retryAfter: res.headers['retry-after'] as string | undefined,
    message: (JSON.parse(text) as { message: string }).message,
  };
}

function dr(correlationid = 'camp-1.0', extra: Record<string, unknown> = {}) {
  return {
    deliveryInfoNotification: {
      deliveryInfo: { deliveryStatus: 'Delivered', code: '7500', Description: 'Delivered' },
      transid: 'b0c5d0f4-7a43-4c1e-9a57-1d2a3b4c5d6e',
      correlationid,
      ...extra,
    },
  };
}

const from = (address: string) => ({ 'x-forwarded-for': address });
const body = JSON.stringify(dr());

describe('receiver: rate limits per source', () => {
  it('answers 429 with Retry-After to a source over its budget while another source gets through', async () => {
    const { receiver, reports } = await start({ rateLimits: { perSecond: 0.01, burst: 5 } });
    for (let i = 0; i < 5; i++)
      expect((await post(receiver.drUrl, body, from('198.51.100.1'))).status).toBe(200);
    const refused = await post(receiver.drUrl, body, from('198.51.100.1'));
    expect(refused).toMatchObject({ status: 429, message: 'too many requests' });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);

    expect((await post(receiver.drUrl, body, from('198.51.100.2'))).status).toBe(200);
    // Direct posts from loopback (the Sandbox, a local simulator) are a source of their own.
    expect((await post(receiver.drUrl, body)).status).toBe(200);
    // Only the address the tunnel appended counts: a client cannot pose as another by writing one before it.
    expect((await post(receiver.drUrl, body, from('198.51.100.3, 198.51.100.1'))).status).toBe(429);
    expect((await post(receiver.drUrl, body, from('198.51.100.1, 198.51.100.4'))).status).toBe(200);

    expect(reports).toHaveLength(8);
    expect(receiver.stats()).toEqual({
      deliveryReports: 8,
      replies: 0,
      rejected: 0,
      rateLimited: 2,
      rejectedDropped: null,
    });
  });

  it('lets a platform burst of thousands of reports through with the default limits', async () => {
    const { receiver, reports } = await start();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < 3000) statuses.push((await post(receiver.drUrl, body, from('192.0.2.10'))).status);
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(reports).toHaveLength(3000);
    expect(receiver.stats()).toMatchObject({ deliveryReports: 3000, rateLimited: 0 });
  });

  it('stops a source scanning for the secret after a few probes, with the default limits', async () => {
    const { receiver, origin, reports } = await start();
    const statuses: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 60; i++) {
      statuses.push((await post(`${origin}/guess-${i}/dr`, body, from('203.0.113.7'))).status);
    }
    const seconds = (performance.now() - started) / 1000;
    expect(new Set(statuses)).toEqual(new Set([404, 429]));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    // Ten probes from a full budget, then one per fifth of a second at most.
    const answered = statuses.filter((s) => s === 404).length;
    expect(answered).toBeLessThanOrEqual(12 + Math.ceil(seconds * 5));
    // The platform, elsewhere, is not held back by the scanner.
    expect((await post(receiver.drUrl, body, from('192.0.2.10'))).status).toBe(200);
    expect(reports).toHaveLength(1);
    expect(receiver.stats()).toMatchObject({ deliveryReports: 1, rejected: 0, rateLimited: 60 - answered });
  });

  it('charges a probe far more than a refused post, and a refused post more than a report', async () => {
    const limits = { perSecond: 0.01, burst: 100, refusedCost: 20, strayCost: 1000 };
    const { receiver, origin } = await start({ rateLimits: limits });
    const statuses = async (url: string, source: string, times: number, text = body) => {
      const seen: number[] = [];
      for (let i = 0; i < times; i++) seen.push((await post(url, text, from(source))).status);
      return seen;
    };
    // Valid reports: 100 of them fit the budget.
    expect(await statuses(receiver.drUrl, '192.0.2.1', 101)).toEqual([...Array(100).fill(200), 429]);
    // Posts refused as malformed: 5 of them.
    expect(await statuses(receiver.drUrl, '192.0.2.2', 6, '{"not json')).toEqual([
      ...Array(5).fill(400),
      429,
    ]);
    // An unknown endpoint or a wrong method under the secret is a refused post, not a probe.
    expect(await statuses(`${receiver.url}/other`, '192.0.2.3', 6)).toEqual([...Array(5).fill(404), 429]);
    // A path without the secret: one, and the source's reports wait too.
    expect(await statuses(`${origin}/dr`, '192.0.2.4', 2)).toEqual([404, 429]);
    expect(await statuses(receiver.drUrl, '192.0.2.4', 1)).toEqual([429]);
    expect(receiver.stats()).toEqual({
      deliveryReports: 100,
      replies: 0,
      rejected: 5,
      rateLimited: 5,
      rejectedDropped: null,
    });
  });
});

describe('SourceLimiter: memory', () => {
  it('tracks at most maxSources, and forgets a source once its budget has refilled', () => {
    let now = 0;
    const limiter = new SourceLimiter(
      { perSecond: 10, burst: 10, refusedCost: 5, strayCost: 100, maxSources: 3 },
      () => now,
    );
    // A debt is at most one burst: this one is paid off in 1.1 s.
    expect(limiter.admit('a', 100)).toEqual({ admitted: true });
    expect(limiter.admit('a', 1)).toEqual({ admitted: false, retryAfterSeconds: 2 });
    for (const source of ['b', 'c']) expect(limiter.admit(source, 1)).toEqual({ admitted: true });
    expect(limiter.trackedSources).toBe(3);
    now += 1000;
    expect(limiter.admit('b', 1)).toEqual({ admitted: true });
    // b and c had refilled and were dropped (b is tracked again since); 'a' is still in debt.
    expect(limiter.trackedSources).toBe(2);
    expect(limiter.admit('a', 1)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    for (let i = 0; i < 100; i++) limiter.admit(`source ${i}`, 1);
    expect(limiter.trackedSources).toBe(3);
  });
});

describe('receiver: hostile posts', () => {
  it('refuses a body that is not UTF-8', async () => {
    const { receiver, reports } = await start();
    const bytes = Buffer.concat([
      Buffer.from(body.slice(0, 40)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(body.slice(40)),
    ]);
    expect(await post(receiver.drUrl, bytes)).toMatchObject({ status: 400, message: 'invalid UTF-8' });
    expect(reports).toEqual([]);
  });

  it('does not read a report hidden under __proto__, and keeps such keys as plain data', async () => {
    const { receiver, reports } = await start();
    const hidden = `{"__proto__": ${body}}`;
    expect((await post(receiver.drUrl, hidden)).status).toBe(422);
    const inner = `{"deliveryInfoNotification": {"__proto__": ${JSON.stringify(dr().deliveryInfoNotification)}}}`;
    expect((await post(receiver.drUrl, inner)).status).toBe(422);
    expect(
      (await post(receiver.moUrl, '{"__proto__": {"oa": "14155552671", "message": "STOP"}}')).status,
    ).toBe(422);
    expect(reports).toEqual([]);

    const withKeys = `{"constructor": {"prototype": {"polluted": 1}}, "__proto__": {"polluted": 1}, ${body.slice(1)}`;
    expect((await post(receiver.drUrl, withKeys)).status).toBe(200);
    expect(reports[0]).toMatchObject({ status: 'delivered', correlationid: 'camp-1.0' });
    expect(Object.keys(reports[0]?.raw as object)).toEqual([
      'constructor',
      '__proto__',
      'deliveryInfoNotification',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses JSON nested too deeply to be written back, and keeps answering', async () => {
    const { receiver, reports } = await start();
    const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    const nestedReport = `${body.slice(0, -2)}, "callbackData": ${deep(2000)}}}`;
    expect(await post(receiver.drUrl, nestedReport)).toMatchObject({
      status: 422,
      message: 'JSON nested deeper than 32 levels',
    });
    expect((await post(receiver.moUrl, deep(30_000))).status).toBe(422);
    expect((await post(receiver.drUrl, `${body.slice(0, -2)}, "callbackData": ${deep(20)}}}`)).status).toBe(
      200,
    );
    expect(reports).toHaveLength(1);
  });

  it('caps the reports in one post with a clear 413, and refuses an empty list', async () => {
    const { receiver, reports } = await start();
    const many = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => dr(`camp-1.${i}`)));
    expect(await post(receiver.drUrl, many(101))).toEqual({
      status: 413,
      retryAfter: undefined,
      message: '101 reports in one post; at most 100',
    });
    expect(reports).toEqual([]);
    expect((await post(receiver.drUrl, many(100))).status).toBe(200);
    expect(reports).toHaveLength(100);
    expect(await post(receiver.drUrl, '[]')).toMatchObject({
      status: 422,
      message: 'not a delivery report: an empty list',
    });
  });

  it('reads numbers beyond any range as text', async () => {
    const { receiver, reports } = await start();
    const huge = body.replace('"7500"', '1e400').replace('"camp-1.0"', '123456789012345678901234567890');
    expect((await post(receiver.drUrl, huge)).status).toBe(200);
    expect(reports[0]).toMatchObject({
      code: 'Infinity',
      correlationid: '1.2345678901234568e+29',
      status: 'delivered',
    });
  });

  it('reads a JSON body whatever content type it is sent with', async () => {
    const { receiver, reports } = await start();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-8',
    ]) {
      expect((await post(receiver.drUrl, body, { 'content-type': type })).status, type).toBe(200);
    }
    expect(reports).toHaveLength(3);
  });
});

describe('receiver: refused posts are kept', () => {
  async function keptLines(receiver: Receiver, path: string): Promise<RejectedPost[]> {
    receivers.splice(receivers.indexOf(receiver), 1);
    await receiver.close();
    const text = await readFile(path, 'utf8');
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RejectedPost);
  }

  it('keeps each refused post, truncated, with its reason, source and time, and never the secret', async () => {
    const path = join(root, 'rejected-posts.ndjson');
    const { receiver, origin } = await start({ rejectedLog: path, maxBodyBytes: 16 * 1024 });
    const before = Date.now();
    const long = `{"deliveryInfoNotification": "${'x'.repeat(10_000)}`;
    expect((await post(receiver.drUrl, long, from('198.51.100.20'))).status).toBe(400);
    expect((await post(receiver.moUrl, '{"message": "hi"}', { 'content-type': 'text/plain' })).status).toBe(
      422,
    );
    expect((await post(receiver.drUrl, 'y'.repeat(20_000))).status).toBe(413);
    expect((await post(receiver.drUrl, chunked('z', 40_000, 1000))).status).toBe(413);
    // Neither a wrong path nor a report taken in is kept.
    expect((await post(`${origin}/nothing`, long)).status).toBe(404);
    expect((await post(receiver.drUrl, body)).status).toBe(200);
    expect(receiver.stats()).toMatchObject({ rejected: 4, deliveryReports: 1 });

    const kept = await keptLines(receiver, path);
    expect(kept.map((k) => [k.endpoint, k.status, k.reason])).toEqual([
      ['dr', 400, 'invalid JSON'],
      ['mo', 422, 'not an incoming message: no numbers (oa, da)'],
      ['dr', 413, 'body too large'],
      ['dr', 413, 'body too large'],
    ]);
    expect(kept[0]).toMatchObject({
      source: '198.51.100.20',
      contentType: 'application/json',
      bytes: Buffer.byteLength(long),
      body: long.slice(0, 4096),
      truncated: true,
    });
    expect(Date.parse(kept[0]?.at ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(kept[1]).toMatchObject({
      source: '127.0.0.1',
      contentType: 'text/plain',
      body: '{"message": "hi"}',
      truncated: false,
    });
    // Refused by its declared length: nothing was read.
    expect(kept[2]).toMatchObject({ bytes: 0, body: '', truncated: false });
    // A chunked body is cut once past the limit; its first bytes are kept.
    expect(kept[3]?.body).toBe('z'.repeat(4096));
    expect(kept[3]?.truncated).toBe(true);
    expect(await readFile(path, 'utf8')).not.toContain(SECRET);
  });

  it('never lets its files grow past their cap, dropping the oldest posts and counting them', async () => {
    const path = join(root, 'capped.ndjson');
    const rotation = { maxBytes: 10_000, keep: 1 };
    let log = await RejectedLog.open(path, rotation);
    const add = async (i: number) => {
      log.add(
        {
          at: new Date().toISOString(),
          source: '192.0.2.1',
          endpoint: 'dr',
          status: 400,
          reason: `post ${i}`,
          contentType: null,
          bytes: 900,
        },
        Buffer.from('q'.repeat(900)),
      );
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    // Each in its own write, as posts arriving one by one are.
    for (let i = 0; i < 30; i++) await add(i);
    await log.close();
    // Reopened, it knows its size and what it dropped, and keeps to the cap.
    log = await RejectedLog.open(path, rotation);
    for (let i = 30; i < 60; i++) await add(i);
    await log.close();
    expect((await stat(path)).size).toBeLessThanOrEqual(10_000);
    expect((await stat(`${path}.1`)).size).toBeLessThanOrEqual(10_000);
    await expect(stat(`${path}.2`)).rejects.toThrow();
    const text = (await readFile(`${path}.1`, 'utf8')) + (await readFile(path, 'utf8'));
    const reasons = text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as RejectedPost).reason);
    expect(reasons.at(-1)).toBe('post 59');
    expect(reasons).not.toContain('post 0');
    // What is kept is the newest run, in order; what is not is counted, across the restart.
    const numbers = reasons.map((r) => Number(r.slice(5)));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 60 - numbers.length + i));
    log = await RejectedLog.open(path, rotation);
    expect(log.dropped).toEqual({ count: 60 - numbers.length, limitBytes: 20_000 });
    await log.close();
  });
});

/** A body of `total` bytes sent in `size`-byte chunks, without a declared length. */
function chunked(fill: string, total: number, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < total; sent += size) yield Buffer.from(fill.repeat(size));
    })(),
  );
}
