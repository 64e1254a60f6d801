import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry } from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import { deskErrorOf } from './support/desk-error';
import {
  acceptedRows,
  importCampaign,
  phone,
  rowsOf,
  tempHome,
  view,
  waitFor,
  type Home,
} from './sending-support';

const SANDBOX = 'Sandbox (built-in simulator)';
let home: Home;

beforeEach(async () => {
  home = await tempHome();
});

afterEach(async () => {
  await home.cleanup();
});

/** The platform gives the sender's number without the plus. */
const sender = (row: number) => phone(row).slice(1);

async function sendAll(desk: Desk, rows: number): Promise<string> {
  const id = await importCampaign(desk, rows);
  await desk.send(id);
  await desk.finished(id);
  expect(await desk.settled(id, 5000)).toBe(true);
  return id;
}

async function replies(desk: Desk, query: { serviceId?: string; search?: string } = {}) {
  return desk.handlers['inbox.list']({ offset: 0, limit: 1000, ...query });
}

async function optedOut(desk: Desk): Promise<Map<string, string>> {
  const { entries } = await desk.handlers['suppression.list']({ offset: 0, limit: 1000 });
  return new Map(entries.map((e) => [e.msisdn, e.reason]));
}

async function postMo(desk: Desk, path: string, body: unknown): Promise<number> {
  const res = await request(`${desk.receiver.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body.dump();
  return res.statusCode;
}

describe('replies: STOP through the Sandbox', () => {
  it('links the reply to the row it answers, opts the number out, and later campaigns skip it', async () => {
    const desk = await home.start();
    const id = await sendAll(desk, 3);
    const pushed: InboxEntry[] = [];
    desk.bus.subscribe((event, payload) => {
      if (event === 'inbox.received') pushed.push(payload as InboxEntry);
    });

    await desk.simulator.injectMo({ from: phone(1), text: 'stop' });

    const { total, entries } = await replies(desk);
    expect(total).toBe(1);
    expect(entries[0]).toEqual({
      id: expect.any(String),
      serviceId: 'sandbox',
      from: sender(1),
      msisdn: phone(1),
      to: '56263',
      text: 'stop',
      receivedAt: expect.any(String),
      match: { campaignId: id, campaignName: 'people', row: 1 },
      action: 'opted-out',
    });
    expect(pushed).toEqual(entries);
    expect((await optedOut(desk)).get(phone(1))).toBe('replied "STOP" to Sandbox (built-in simulator)');
    // What was sent stays as it was, and the row and the dashboard show the reply.
    expect((await rowsOf(desk, id))[1]).toMatchObject({ status: 'delivered', reason: null });
    const details = await desk.handlers['campaigns.row']({ id, row: 1 });
    expect(details.replies).toEqual(entries);
    expect((await desk.handlers['campaigns.row']({ id, row: 0 })).replies).toEqual([]);
    expect(await desk.handlers['campaigns.dashboard']({ id })).toMatchObject({ replies: 1, optOuts: 1 });

    const next = await importCampaign(desk, 3);
    const rows = await rowsOf(desk, next);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['ready', null],
      ['skipped', 'opted-out'],
      ['ready', null],
    ]);
    await desk.send(next);
    await desk.finished(next);
    expect([...acceptedRows(desk.simulator, next).keys()].sort()).toEqual([0, 2]);
  });

  it('links a reply to the campaign that last messaged the number', async () => {
    const desk = await home.start();
    await sendAll(desk, 2);
    const later = await sendAll(desk, 3);
    await desk.simulator.injectMo({ from: phone(1), text: 'Who is this?' });
    expect((await replies(desk)).entries[0]?.match).toEqual({
      campaignId: later,
      campaignName: 'people',
      row: 1,
    });
  });

  it('opts out only on a keyword, whatever its case, spaces and punctuation around it', async () => {
    const desk = await home.start();
    await sendAll(desk, 6);
    const said = [
      'Stop sending me these?',
      'Stop.',
      '  opt   OUT!! ',
      'please stop',
      'UNSUBSCRIBE',
      '¿quit?',
    ];
    for (const [row, text] of said.entries()) await desk.simulator.injectMo({ from: phone(row), text });

    const { entries } = await replies(desk);
    expect(entries.map((e) => [e.text, e.action]).reverse()).toEqual([
      ['Stop sending me these?', null],
      ['Stop.', 'opted-out'],
      ['  opt   OUT!! ', 'opted-out'],
      ['please stop', null],
      ['UNSUBSCRIBE', 'opted-out'],
      ['¿quit?', 'opted-out'],
    ]);
    expect([...(await optedOut(desk))]).toEqual(
      expect.arrayContaining([
        [phone(1), 'replied "STOP" to Sandbox (built-in simulator)'],
        [phone(2), 'replied "OPT OUT" to Sandbox (built-in simulator)'],
        [phone(4), 'replied "UNSUBSCRIBE" to Sandbox (built-in simulator)'],
        [phone(5), 'replied "QUIT" to Sandbox (built-in simulator)'],
      ]),
    );
    expect((await optedOut(desk)).size).toBe(4);
  });

  it('uses the keywords the user sets, and keeps them', async () => {
    const desk = await home.start();
    expect(await desk.handlers['optOut.keywords']({})).toEqual({
      keywords: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT OUT', 'REVOKE'],
    });
    expect(
      await desk.handlers['optOut.setKeywords']({ keywords: ['halt', ' Leave  me alone. ', 'HALT'] }),
    ).toEqual({ keywords: ['HALT', 'LEAVE ME ALONE'] });
    const refused = await deskErrorOf(desk.handlers['optOut.setKeywords']({ keywords: ['STOP', '?!'] }));
    expect(refused.code).toBe('invalid-keyword');
    expect(refused.message).toContain('"?!"');

    await sendAll(desk, 3);
    await desk.simulator.injectMo({ from: phone(0), text: 'STOP' });
    await desk.simulator.injectMo({ from: phone(1), text: 'Halt!' });
    await desk.simulator.injectMo({ from: phone(2), text: 'leave me alone' });
    expect([...(await optedOut(desk)).keys()].sort()).toEqual([phone(1), phone(2)]);

    await home.close(desk);
    const again = await home.start();
    expect(await again.handlers['optOut.keywords']({})).toEqual({ keywords: ['HALT', 'LEAVE ME ALONE'] });
  });

  it('keeps replies from numbers no campaign messaged, and from senders that are no number', async () => {
    const desk = await home.start();
    await sendAll(desk, 1);
    await desk.simulator.injectMo({ from: '447400123456', text: 'Hello?' });
    expect(await postMo(desk, '/mo/sandbox', { oa: 'INFO', da: '56263', message: 'STOP' })).toBe(200);
    await desk.simulator.injectMo({ from: '447400123457', text: 'stop' });

    const { entries } = await replies(desk);
    expect(entries.map((e) => [e.from, e.msisdn, e.match, e.action])).toEqual([
      ['447400123457', '+447400123457', null, 'opted-out'],
      ['INFO', null, null, null],
      ['447400123456', '+447400123456', null, null],
    ]);
    expect([...(await optedOut(desk)).keys()]).toEqual(['+447400123457']);
  });

  it('files replies by the service whose URL took them', async () => {
    const desk = await home.start();
    const service = await desk.handlers['services.save']({
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
      name: 'Shop',
      baseUrl: 'https://api.imiconnect.io',
      key: 'shop-key-123456',
      rate: 10,
      pricePerSegment: 0,
    });
    expect(await postMo(desk, `/mo/${service.id}`, { oa: '447400123456', message: 'stop' })).toBe(200);
    await desk.simulator.injectMo({ from: '447400123457', text: 'hi' });

    expect((await replies(desk, { serviceId: service.id })).entries.map((e) => e.from)).toEqual([
      '447400123456',
    ]);
    expect((await replies(desk, { serviceId: 'sandbox' })).entries.map((e) => e.from)).toEqual([
      '447400123457',
    ]);
    expect((await optedOut(desk)).get('+447400123456')).toBe('replied "STOP" to Shop');
  });

  it('lists newest first, pages, and searches numbers however written and texts', async () => {
    const desk = await home.start();
    for (let i = 0; i < 5; i++) await desk.simulator.injectMo({ from: sender(i), text: `Reply number ${i}` });
    const page = await desk.handlers['inbox.list']({ offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.entries.map((e) => e.text)).toEqual(['Reply number 3', 'Reply number 2']);
    expect((await replies(desk, { search: 'NUMBER 4' })).entries.map((e) => e.from)).toEqual([sender(4)]);
    expect((await replies(desk, { search: '(415) 500-0002' })).entries.map((e) => e.from)).toEqual([
      sender(2),
    ]);
    expect((await replies(desk, { search: 'nothing like it' })).total).toBe(0);
  });
});

describe('replies: opting out while a campaign is sent', () => {
  it('a campaign resumed after a STOP does not message the number', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 4);
    // One message goes out before the key is refused: the campaign is stopped, not back to a draft.
    await desk.send(id, { rate: 2, batchSize: 1, maxInFlight: 1 });
    await waitFor(() => acceptedRows(desk.simulator, id).size > 0);
    desk.simulator.setFaults({ revokedKey: true });
    await desk.finished(id);
    expect((await view(desk, id)).state).toBe('stopped');

    await desk.simulator.injectMo({ from: phone(2), text: 'STOP' });
    expect((await rowsOf(desk, id))[2]).toMatchObject({ status: 'skipped', reason: 'opted-out' });

    desk.simulator.setFaults({});
    await desk.send(id);
    await desk.finished(id);
    expect([...acceptedRows(desk.simulator, id).keys()].sort()).toEqual([0, 1, 3]);

    await home.close(desk);
    const again = await home.start();
    const rows = await rowsOf(again, id);
    expect(rows.map((r) => r.reason)).toEqual([null, null, 'opted-out', null]);
    expect(rows.map((r) => r.status === 'skipped')).toEqual([false, false, true, false]);
  });

  it('a campaign being sent when the STOP arrives does not message the number', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 5);
    await desk.send(id, { rate: 2, batchSize: 1, maxInFlight: 1 });
    await waitFor(() => acceptedRows(desk.simulator, id).size > 0);
    await desk.simulator.injectMo({ from: phone(4), text: 'STOP' });
    await desk.finished(id);
    expect([...acceptedRows(desk.simulator, id).keys()].sort()).toEqual([0, 1, 2, 3]);
    expect((await rowsOf(desk, id))[4]).toMatchObject({ status: 'skipped', reason: 'opted-out' });
    expect((await view(desk, id)).state).toBe('completed');
  });
});

describe('replies: kept', () => {
  it('survive a restart, still linked, and the row answered still shows what became of it', async () => {
    const desk = await home.start();
    const id = await sendAll(desk, 2);
    await desk.simulator.injectMo({ from: phone(0), text: 'STOP' });
    await desk.simulator.injectMo({ from: phone(1), text: 'Thanks!' });
    const before = await replies(desk);
    await home.close(desk);

    const again = await home.start();
    expect(await replies(again)).toEqual(before);
    expect((await rowsOf(again, id)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
    await again.simulator.injectMo({ from: phone(1), text: 'One more' });
    expect((await replies(again)).entries[0]?.match).toEqual({
      campaignId: id,
      campaignName: 'people',
      row: 1,
    });
  });

  it('takes a reply the platform posts again (same tid) once, also after a restart', async () => {
    const desk = await home.start();
    await sendAll(desk, 2);
    const mo = { oa: sender(0), da: '56263', message: 'STOP', tid: 'mo-7f3a' };
    const pushed: InboxEntry[] = [];
    desk.bus.subscribe((event, payload) => {
      if (event === 'inbox.received') pushed.push(payload as InboxEntry);
    });
    // The retry may arrive before the first post is on disk.
    expect(await Promise.all([postMo(desk, '/mo/sandbox', mo), postMo(desk, '/mo/sandbox', mo)])).toEqual([
      200, 200,
    ]);
    expect(await postMo(desk, '/mo/sandbox', { ...mo, tid: 'mo-8b41', message: 'Hello' })).toBe(200);
    expect((await replies(desk)).entries.map((e) => e.text)).toEqual(['Hello', 'STOP']);
    expect(pushed).toHaveLength(2);
    await home.close(desk);

    const again = await home.start();
    expect(await postMo(again, '/mo/sandbox', mo)).toBe(200);
    expect((await replies(again)).total).toBe(2);
  });

  it('keeps the replies journaled before they were linked', async () => {
    const dir = join(home.dir, 'home');
    await mkdir(dir, { recursive: true });
    const earlier = {
      at: '2024-01-07T14:36:10.000Z',
      from: '447400123456',
      to: '56263',
      text: 'hello',
      receivedAt: '2024-01-07T14:36:09.266Z',
      raw: { oa: '447400123456', da: '56263', message: 'hello' },
    };
    await writeFile(join(dir, 'inbox.ndjson'), `${JSON.stringify(earlier)}\n`);
    const desk = await home.start();
    expect((await replies(desk)).entries).toEqual([
      {
        id: expect.any(String),
        serviceId: 'sandbox',
        from: '447400123456',
        msisdn: '+447400123456',
        to: '56263',
        text: 'hello',
        receivedAt: '2024-01-07T14:36:10.000Z',
        match: null,
        action: null,
      },
    ]);
  });

  it('exports a spreadsheet-safe CSV: BOM, the columns, strangers\u2019 formulas neutralized', async () => {
    const desk = await home.start();
    await sendAll(desk, 2);
    await desk.simulator.injectMo({ from: phone(1), text: '=HYPERLINK("http://evil.example","win")' });
    await desk.simulator.injectMo({ from: phone(0), text: 'Stop' });
    await desk.simulator.injectMo({ from: '447400123456', text: '+1 more, "quoted"' });

    const { fileName, csv } = await desk.handlers['inbox.export']({});
    expect(fileName).toBe('replies.csv');
    expect(csv.startsWith('\uFEFFreceived_at,service,from,msisdn,to,text,campaign,row,action\r\n')).toBe(
      true,
    );
    const parsed = Papa.parse<string[]>(csv.slice(1).trim(), { newline: '\r\n' }).data;
    expect(parsed.slice(1).map((r) => r.slice(1))).toEqual([
      [SANDBOX, '447400123456', '+447400123456', '56263', '\'+1 more, "quoted"', '', '', ''],
      [SANDBOX, sender(0), phone(0), '56263', 'Stop', 'people', '1', 'opted-out'],
      [SANDBOX, sender(1), phone(1), '56263', `'=HYPERLINK("http://evil.example","win")`, 'people', '2', ''],
    ]);
    expect(parsed[1]?.[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
    const sandboxOnly = await desk.handlers['inbox.export']({ serviceId: 'sandbox' });
    expect(sandboxOnly.fileName).toBe(`replies-${SANDBOX}.csv`);
    expect(sandboxOnly.csv).toBe(csv);
  });
});
