import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { importCampaign, journal, postDr, rowsOf, tempHome, waitFor, type Home } from './sending-support';

let home: Home;

beforeEach(async () => {
  home = await tempHome();
});

afterEach(async () => {
  await home.cleanup();
});

const INBOX_CAP = { maxBytes: 20_000, keep: 1 };
const LONG = 'Please call me back about the order. '.repeat(27);

async function postMo(desk: Desk, i: number): Promise<void> {
  const res = await request(`${desk.receiver.url}/mo/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      oa: `1415555${String(i).padStart(4, '0')}`,
      da: '56263',
      message: `${i} ${LONG}`,
      tid: `mo-${i}`,
    }),
  });
  await res.body.dump();
  expect(res.statusCode).toBe(200);
}

async function replies(desk: Desk) {
  return desk.handlers['inbox.list']({ offset: 0, limit: 1000 });
}

async function filesOf(dir: string, name: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith(name)).sort();
}

describe('the inbox is bounded', () => {
  it('drops the oldest replies past its cap, keeps the newest in order, and says what it dropped', async () => {
    let desk = await home.start({ rotations: { inbox: INBOX_CAP } });
    for (let i = 0; i < 60; i++) await postMo(desk, i);

    const dir = join(home.dir, 'home');
    expect(await filesOf(dir, 'inbox.ndjson')).toEqual([
      'inbox.ndjson',
      'inbox.ndjson.1',
      'inbox.ndjson.dropped.json',
    ]);
    for (const file of ['inbox.ndjson', 'inbox.ndjson.1']) {
      expect((await stat(join(dir, file))).size).toBeLessThanOrEqual(INBOX_CAP.maxBytes);
    }
    const listed = await replies(desk);
    const numbers = listed.entries.map((e) => Number(e.text.split(' ')[0]));
    expect(numbers[0]).toBe(59);
    expect(numbers).toEqual(Array.from({ length: listed.total }, (_, i) => 59 - i));
    expect(listed.total).toBeLessThan(60);
    expect(listed.dropped).toEqual({
      count: 60 - listed.total,
      limitBytes: 40_000,
      keptSince: listed.entries.at(-1)?.receivedAt,
    });

    // After a restart: the same replies, the same note.
    await home.close(desk);
    desk = await home.start({ rotations: { inbox: INBOX_CAP } });
    expect(await replies(desk)).toEqual(listed);
  });

  it('starts after a flood of long replies left an inbox file far past its cap', async () => {
    const dir = join(home.dir, 'home');
    await mkdir(dir, { recursive: true });
    // Written the way the inbox writes a reply: its entry, the platform's id and payload, one JSON line.
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const text = `${i} ${'x'.repeat(2000)}`;
      return `${JSON.stringify({
        id: `r${i}`,
        serviceId: 'sandbox',
        from: '14155550000',
        msisdn: '+14155550000',
        to: '56263',
        text,
        receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        match: null,
        action: null,
        tid: `t${i}`,
        raw: { oa: '14155550000', da: '56263', message: text, tid: `t${i}` },
      })}\n`;
    });
    await writeFile(join(dir, 'inbox.ndjson'), lines.join(''));
    expect((await stat(join(dir, 'inbox.ndjson'))).size).toBeGreaterThan(12_000_000);

    const cap = { maxBytes: 1_000_000, keep: 1 };
    const desk = await home.start({ rotations: { inbox: cap } });
    const listed = await replies(desk);
    expect((await stat(join(dir, 'inbox.ndjson'))).size).toBeLessThanOrEqual(cap.maxBytes);
    expect(listed.entries[0]?.text.startsWith('2999 ')).toBe(true);
    expect(listed.dropped?.count).toBe(3000 - listed.total);
    expect(listed.dropped?.keptSince).toBe(listed.entries.at(-1)?.receivedAt);
    // And it still takes replies.
    await postMo(desk, 1);
    expect((await replies(desk)).total).toBe(listed.total + 1);
  });
});

describe('unmatched reports are bounded', () => {
  it('drops the oldest past the cap and counts them in the receiver figures', async () => {
    const cap = { maxBytes: 5_000, keep: 1 };
    const desk = await home.start({ rotations: { unmatched: cap } });
    for (let i = 0; i < 40; i++) {
      expect(await postDr(desk, report('nobody.0', `no-such-${i}`, '2026-01-01T10:00:00.000Z'))).toBe(200);
    }
    const dir = join(home.dir, 'home');
    const kept = await Promise.all(
      ['unmatched-reports.ndjson.1', 'unmatched-reports.ndjson'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    for (const text of kept) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(cap.maxBytes);
    const keptLines = kept.join('').trim().split('\n').length;
    const stats = await desk.handlers['receiver.stats']({});
    expect(stats.unmatched).toBe(40);
    expect(stats.unmatchedDropped).toEqual({ count: 40 - keptLines, limitBytes: 10_000 });
    expect(stats.rejectedDropped).toBeNull();
  });
});

describe('a report the platform posts again', () => {
  it('is journaled once, also when the two posts cross and after a restart', async () => {
    let desk = await home.start();
    const id = await importCampaign(desk, 1);
    await desk.send(id);
    await desk.finished(id);
    await waitFor(async () => (await rowsOf(desk, id))[0]?.status === 'delivered');
    const transid = (await journal(home.dir, id)).find((e) => e.t === 'dr')?.transid ?? '';
    expect(transid).not.toBe('');
    const stamp = '2026-01-01T10:00:00.000+01:00';
    const dr = report(`${id}.0`, transid, stamp);
    const drsAt = async (at: string) =>
      (await journal(home.dir, id)).filter((e) => e.t === 'dr' && e.reportedAt === at).length;

    expect(await Promise.all([postDr(desk, dr), postDr(desk, dr)])).toEqual([200, 200]);
    expect(await postDr(desk, dr)).toBe(200);
    // Two in one post.
    expect(await postDr(desk, [dr, dr])).toBe(200);
    expect(await drsAt(stamp)).toBe(1);

    await home.close(desk);
    desk = await home.start();
    expect(await postDr(desk, dr)).toBe(200);
    expect(await drsAt(stamp)).toBe(1);

    // A report at another time is another report; one with no time stamp cannot be told from a retry.
    const later = '2026-01-01T10:00:05.000+01:00';
    expect(await postDr(desk, report(`${id}.0`, transid, later))).toBe(200);
    expect(await drsAt(later)).toBe(1);
    expect(await postDr(desk, report(`${id}.0`, transid, ''))).toBe(200);
    expect(await postDr(desk, report(`${id}.0`, transid, ''))).toBe(200);
    expect(await drsAt(null as unknown as string)).toBe(2);

    // The payloads are kept beside the campaign, once each, not in its journal.
    const events = await journal(home.dir, id);
    expect(events.filter((e) => e.t === 'dr' && 'raw' in e)).toEqual([]);
    const payloads = (await readFile(join(home.dir, 'home', 'report-payloads.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { campaignId: string; row: number; raw: typeof dr });
    expect(payloads).toHaveLength(events.filter((e) => e.t === 'dr').length);
    expect(payloads.filter((p) => p.raw.deliveryInfoNotification.deliveryInfo.timeStamp === stamp)).toEqual([
      { at: expect.any(String), campaignId: id, row: 0, raw: dr },
    ]);
  });
});

describe('report payloads are bounded', () => {
  it('drops the oldest past the cap and counts them; the campaign keeps every report', async () => {
    const cap = { maxBytes: 3_000, keep: 1 };
    const desk = await home.start({ rotations: { payloads: cap } });
    const id = await importCampaign(desk, 20);
    await desk.send(id);
    await desk.finished(id);
    await waitFor(async () => (await rowsOf(desk, id)).every((r) => r.status === 'delivered'));
    const reports = (await journal(home.dir, id)).filter((e) => e.t === 'dr').length;
    expect(reports).toBe(40);
    const dir = join(home.dir, 'home');
    const files = ['report-payloads.ndjson.1', 'report-payloads.ndjson'];
    const keptLines = async () => {
      const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8').catch(() => '')));
      return texts
        .join('')
        .split('\n')
        .filter((line) => line !== '').length;
    };
    // Every payload is written or counted as deleted.
    const dropped = async () => (await desk.handlers['receiver.stats']({})).payloadsDropped;
    await waitFor(async () => (await keptLines()) + ((await dropped())?.count ?? 0) === reports);
    for (const f of files) expect((await stat(join(dir, f))).size).toBeLessThanOrEqual(cap.maxBytes);
    expect(await dropped()).toEqual({ count: reports - (await keptLines()), limitBytes: 6_000 });
  });
});

function report(correlationid: string, transid: string, timeStamp: string) {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        timeStamp,
        Description: 'Delivered',
        code: '7500',
        deliveryStatus: 'Delivered',
        destination: '14155000000',
      },
      carrier: 'USTMO',
      transid,
      correlationid,
    },
  };
}
