import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignView, EventName, EventPayload, RowFilter, RowView } from '../../shared/api';
import { countSegments } from '../../shared/segments';
import { SHORT_LINK_LENGTH, withShownLinks, withStandInLinks } from '../../shared/smartlinks';
import type { Desk } from '../../electron/core/desk';
import { startNodeDesk } from '../../electron/core/node-desk';
import { deskErrorOf } from './support/desk-error';

const SANDBOX = { failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10 };

/** Encodes text as Windows-1252, as older Excel saves a CSV; throws on a character it cannot hold. */
function windows1252(text: string): Uint8Array {
  const high: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 };
  return Uint8Array.from(Array.from(text), (ch) => {
    const code = high[ch] ?? ch.charCodeAt(0);
    if (code > 0xff || (high[ch] === undefined && code >= 0x80 && code <= 0x9f)) throw new Error(ch);
    return code;
  });
}

const HEADER = ['Name', 'City', 'Mobile', 'Code'];
const ROWS = [
  ['Zoë', 'London', '07911 123456', 'A1'],
  ['“Bob”', 'Leeds', '+44 7911 123457', ''],
  ['José', 'Paris', '07911123456', 'C3'],
  ['Ann', 'Austin', '(415) 555-2671', 'D4'],
  ['Cy', 'Oslo', '', 'E5'],
  ['Dee', 'Bristol', '07911 123458', 'F6'],
  ['Eve', 'York', 'not a number', 'G7'],
  ['Renée €', 'Nice', '+1 415 555 2672', 'H8'],
];
const CSV_TEXT = [HEADER, ...ROWS].map((r) => r.join(',')).join('\r\n') + '\r\n';
const CSV_BYTES = windows1252(CSV_TEXT);
const TEMPLATE = 'Hi $(name), your code is $(CODE).';
const OPTED_OUT = '+447911123458';

/** Row statuses for GB as the default country, before anyone opts out. */
const GB_EXPECTED = [
  { msisdn: '+447911123456', status: 'ready', reason: null },
  { msisdn: '+447911123457', status: 'skipped', reason: 'missing-value' },
  { msisdn: '+447911123456', status: 'skipped', reason: 'duplicate' },
  { msisdn: null, status: 'skipped', reason: 'invalid-number' },
  { msisdn: null, status: 'skipped', reason: 'missing-number' },
  { msisdn: OPTED_OUT, status: 'ready', reason: null },
  { msisdn: null, status: 'skipped', reason: 'invalid-number' },
  { msisdn: '+14155552672', status: 'ready', reason: null },
];

type Recorded = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

let root: string;
let dataDir: string;
const desks: Desk[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'recipients-test-'));
  dataDir = join(root, 'home');
});

afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.close();
  await rm(root, { recursive: true, force: true });
});

async function startDesk(): Promise<Desk> {
  const desk = await startNodeDesk(dataDir, { sandbox: SANDBOX });
  desks.push(desk);
  return desk;
}

async function restart(desk: Desk): Promise<Desk> {
  desks.splice(desks.indexOf(desk), 1);
  await desk.close();
  return startDesk();
}

function record(desk: Desk): Recorded[] {
  const seen: Recorded[] = [];
  desk.bus.subscribe((event, payload) => seen.push({ event, payload } as Recorded));
  return seen;
}

async function rowsOf(desk: Desk, id: string, filter?: RowFilter, offset = 0, limit = 1000) {
  return desk.handlers['campaigns.rows']({ id, offset, limit, filter });
}

function brief(rows: RowView[]) {
  return rows.map((r) => ({ msisdn: r.msisdn, status: r.status, reason: r.reason }));
}

/** The Windows-1252 file imported, with GB as the default country and a message that needs every code. */
async function importCustomers(desk: Desk): Promise<CampaignView> {
  const imported = await desk.importRecipients('customers.csv', { bytes: CSV_BYTES });
  return desk.update(imported.id, { defaultCountry: 'GB', template: TEMPLATE, senderId: 'ACME' });
}

describe('Recipients: import and checks', () => {
  it('decodes a Windows-1252 file, detects the phone column and applies the default country', async () => {
    expect(CSV_BYTES.includes(0x93) && CSV_BYTES.includes(0x80) && CSV_BYTES.includes(0xeb)).toBe(true);
    const desk = await startDesk();
    const imported = await desk.importRecipients('customers.csv', { bytes: CSV_BYTES });
    expect(imported).toMatchObject({ columns: HEADER, rowCount: 8, phoneColumn: 2, state: 'draft' });
    const rows = (await rowsOf(desk, imported.id)).rows;
    expect(rows.map((r) => r.values)).toEqual(ROWS);

    const gb = await desk.update(imported.id, { defaultCountry: 'GB', template: 'Hi $(Name)' });
    expect(gb.defaultCountry).toBe('GB');
    const gbRows = (await rowsOf(desk, imported.id)).rows;
    expect(gbRows.map((r) => r.msisdn)).toEqual([
      '+447911123456',
      '+447911123457',
      '+447911123456',
      null,
      null,
      OPTED_OUT,
      null,
      '+14155552672',
    ]);
    expect(gbRows[1]?.message).toBe('Hi “Bob”');

    await desk.update(imported.id, { defaultCountry: 'US' });
    const usRows = (await rowsOf(desk, imported.id)).rows;
    expect(usRows.map((r) => r.msisdn)).toEqual([
      null,
      '+447911123457',
      null,
      '+14155552671',
      null,
      null,
      null,
      '+14155552672',
    ]);
    expect(brief(usRows).map((r) => r.reason)).toEqual([
      'invalid-number',
      null,
      'invalid-number',
      null,
      'missing-number',
      'invalid-number',
      'invalid-number',
      null,
    ]);
  });

  it('marks every row ready or skipped with its reason and counts them', async () => {
    const desk = await startDesk();
    const campaign = await importCustomers(desk);
    expect(brief((await rowsOf(desk, campaign.id)).rows)).toEqual(GB_EXPECTED);
    expect(campaign).toMatchObject({
      problem: null,
      counts: { ready: 3, skipped: 5 },
      skipCounts: { 'missing-value': 1, duplicate: 1, 'invalid-number': 2, 'missing-number': 1 },
      emptyValueRows: 1,
    });
    expect(Object.keys(campaign.skipCounts).sort()).toEqual(
      ['duplicate', 'invalid-number', 'missing-number', 'missing-value'].sort(),
    );
    const row1 = (await rowsOf(desk, campaign.id)).rows[1];
    expect(row1).toMatchObject({ message: 'Hi “Bob”, your code is .', emptyPlaceholders: ['CODE'] });
  });

  it('keeps the first of two rows with the same number and skips the later one', async () => {
    const desk = await startDesk();
    const csv =
      'name,phone\nFirst,+44 7911 123456\nOther,07911 123457\nSecond,07911123456\nThird,0044 7911 123456\n';
    const imported = await desk.importRecipients('dupes.csv', { text: csv });
    await desk.update(imported.id, { defaultCountry: 'GB', template: 'Hi $(name)' });
    expect(brief((await rowsOf(desk, imported.id)).rows).map((r) => r.reason)).toEqual([
      null,
      null,
      'duplicate',
      'duplicate',
    ]);
  });

  it('fills an empty cell from the fallback, so the row is ready', async () => {
    const desk = await startDesk();
    const campaign = await importCustomers(desk);
    const view = await desk.update(campaign.id, { template: 'Hi $(name), your code is $(CODE|none).' });
    expect(view.skipCounts['missing-value']).toBeUndefined();
    expect(view).toMatchObject({ counts: { ready: 4, skipped: 4 }, emptyValueRows: 0 });
    expect((await rowsOf(desk, campaign.id)).rows[1]).toMatchObject({
      status: 'ready',
      reason: null,
      message: 'Hi “Bob”, your code is none.',
      emptyPlaceholders: [],
    });
    // A blank cell counts as empty too.
    const blank = await desk.importRecipients('blank.csv', {
      text: 'name,phone,code\nAnn,+447911123456,   \n',
    });
    expect(
      (await desk.update(blank.id, { template: 'Code: $(code)', defaultCountry: 'GB' })).skipCounts,
    ).toEqual({ 'missing-value': 1 });
  });
});

describe('Recipients: the opt-out list', () => {
  it('skips opted-out numbers in draft campaigns, across a restart, until they are removed', async () => {
    let desk = await startDesk();
    const campaign = await importCustomers(desk);
    let events = record(desk);

    expect(
      await desk.handlers['suppression.add']({
        numbers: ['07911 123458', 'nonsense'],
        defaultCountry: 'GB',
        reason: 'replied STOP',
      }),
    ).toEqual({ added: 1, alreadyListed: 0, invalid: ['nonsense'] });
    const optedOut = GB_EXPECTED.map((r, i) =>
      i === 5 ? { ...r, status: 'skipped', reason: 'opted-out' } : r,
    );
    expect(brief((await rowsOf(desk, campaign.id)).rows)).toEqual(optedOut);
    const updated = events.flatMap((e) => (e.event === 'campaign.updated' ? [e.payload] : []));
    expect(updated.at(-1)).toMatchObject({
      id: campaign.id,
      counts: { ready: 2, skipped: 6 },
      skipCounts: { 'opted-out': 1 },
    });

    desk = await restart(desk);
    expect(await desk.handlers['suppression.list']({ offset: 0, limit: 10 })).toEqual({
      total: 1,
      entries: [{ msisdn: OPTED_OUT, reason: 'replied STOP', addedAt: expect.any(String) }],
      damage: null,
    });
    expect(brief((await rowsOf(desk, campaign.id)).rows)).toEqual(optedOut);
    expect((await desk.handlers['campaigns.get']({ id: campaign.id })).skipCounts['opted-out']).toBe(1);

    events = record(desk);
    expect(await desk.handlers['suppression.remove']({ numbers: [OPTED_OUT] })).toEqual({ removed: 1 });
    expect(brief((await rowsOf(desk, campaign.id)).rows)).toEqual(GB_EXPECTED);
    expect(events.filter((e) => e.event === 'campaign.updated').at(-1)?.payload).toMatchObject({
      id: campaign.id,
      counts: { ready: 3, skipped: 5 },
    });

    desk = await restart(desk);
    expect((await desk.handlers['suppression.list']({ offset: 0, limit: 10 })).total).toBe(0);
    expect(brief((await rowsOf(desk, campaign.id)).rows)).toEqual(GB_EXPECTED);
  });
});

describe('Recipients: filtering, problems and the skipped export', () => {
  it('filters rows by status, reason and search text, with the total of the matches', async () => {
    const desk = await startDesk();
    const { id } = await importCustomers(desk);
    const indexes = async (filter: RowFilter, offset = 0, limit = 1000) => {
      const page = await rowsOf(desk, id, filter, offset, limit);
      return { total: page.total, rows: page.rows.map((r) => r.index) };
    };
    expect(await indexes({ status: 'skipped' })).toEqual({ total: 5, rows: [1, 2, 3, 4, 6] });
    expect(await indexes({ status: 'ready' })).toEqual({ total: 3, rows: [0, 5, 7] });
    expect(await indexes({ reason: 'invalid-number' })).toEqual({ total: 2, rows: [3, 6] });
    expect(await indexes({ reason: 'duplicate' })).toEqual({ total: 1, rows: [2] });
    expect(await indexes({ reason: 'opted-out' })).toEqual({ total: 0, rows: [] });
    // Search looks in the cells (any case), the number and the message.
    expect(await indexes({ search: 'ZOË' })).toEqual({ total: 1, rows: [0] });
    expect(await indexes({ search: '+1415' })).toEqual({ total: 1, rows: [7] });
    expect(await indexes({ search: 'code is h8' })).toEqual({ total: 1, rows: [7] });
    expect(await indexes({ search: '7911' })).toEqual({ total: 4, rows: [0, 1, 2, 5] });
    expect(await indexes({ status: 'skipped', search: '7911' })).toEqual({ total: 2, rows: [1, 2] });
    expect(await indexes({ search: '   ' })).toEqual({ total: 8, rows: [0, 1, 2, 3, 4, 5, 6, 7] });
    // A page of the matches: total still counts them all.
    expect(await indexes({ status: 'skipped' }, 1, 2)).toEqual({ total: 5, rows: [2, 3] });
    expect(await indexes({ status: 'skipped' }, 4, 10)).toEqual({ total: 5, rows: [6] });
  });

  it('jumps to the next skipped row, wrapping around', async () => {
    const desk = await startDesk();
    const { id } = await importCustomers(desk);
    const next = async (after: number) => (await desk.handlers['campaigns.nextProblem']({ id, after })).index;
    expect(await next(-1)).toBe(1);
    expect(await next(1)).toBe(2);
    expect(await next(4)).toBe(6);
    expect(await next(6)).toBe(1);
    expect(await next(7)).toBe(1);

    const clean = await desk.importRecipients('clean.csv', { text: 'name,phone\nAnn,+447911123456\n' });
    await desk.update(clean.id, { template: 'Hi $(name)' });
    expect((await desk.handlers['campaigns.nextProblem']({ id: clean.id, after: -1 })).index).toBeNull();
  });

  it('exports the skipped rows with their original cells, row number, reason and empty placeholders', async () => {
    const desk = await startDesk();
    const { id } = await importCustomers(desk);
    const exported = await desk.handlers['campaigns.exportSkipped']({ id });
    expect(exported.fileName).toBe('customers-skipped.csv');
    expect(exported.csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(exported.csv.slice(1), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      [...HEADER, 'row', 'skip_reason', 'empty_placeholders'],
      // A phone number is written as imported: it runs no formula.
      ['“Bob”', 'Leeds', '+44 7911 123457', '', '2', 'missing-value', 'CODE'],
      [...(ROWS[2] as string[]), '3', 'duplicate', ''],
      [...(ROWS[3] as string[]), '4', 'invalid-number', ''],
      [...(ROWS[4] as string[]), '5', 'missing-number', ''],
      [...(ROWS[6] as string[]), '7', 'invalid-number', ''],
    ]);
  });
});

describe('Recipients: smartlinks', () => {
  // 153 characters: 157 septets as typed ({ and } take two each), 166 once the link is in.
  const TEXT = `${'Spring sale on now. '.repeat(6)}Every item half price: {{link_7}}`;
  const CSV = 'name,phone\nAnn,+447911123456\nBob,+447911123457\n';

  it('counts segments with the link as sent, blocks sending until the smartlink is set, then sends it', async () => {
    // The premise: only the stand-in link makes this text longer than one segment.
    expect(countSegments(TEXT)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(withStandInLinks(TEXT)).toHaveLength(TEXT.length - '{{link_7}}'.length + SHORT_LINK_LENGTH);
    expect(countSegments(withStandInLinks(TEXT))).toMatchObject({ encoding: 'GSM-7', segments: 2 });

    const desk = await startDesk();
    const imported = await desk.importRecipients('links.csv', { text: CSV });
    const draft = await desk.update(imported.id, { template: TEXT, senderId: 'ACME', defaultCountry: 'GB' });
    expect(draft.problem).toContain('{{link_7}}');
    const refused = await deskErrorOf(desk.send(imported.id));
    expect(refused.code).toBe('campaign-not-ready');
    expect(refused.message).toContain('{{link_7}}');
    expect(desk.simulator.accepted).toEqual([]);

    const ready = await desk.update(imported.id, {
      smartlinks: [{ linkid: '7', validity: 30, unit: 'days' }],
    });
    expect(ready).toMatchObject({ problem: null, counts: { ready: 2 }, totalSegments: 4 });
    const rows = (await rowsOf(desk, imported.id)).rows;
    // Shown with the link as every screen shows it; sent as written, below.
    expect(rows.map((r) => [r.message, r.segments])).toEqual([
      [withShownLinks(TEXT), 2],
      [withShownLinks(TEXT), 2],
    ]);

    await desk.send(imported.id);
    await desk.finished(imported.id);
    expect(await desk.settled(imported.id, 5000)).toBe(true);
    expect(
      desk.simulator.accepted.map((m) => ({ msisdn: m.msisdn, text: m.text, smartlinks: m.smartlinks })),
    ).toEqual([
      // 30 days, sent in the minutes the platform reads.
      { msisdn: '+447911123456', text: TEXT, smartlinks: [{ linkid: 7, validity: 43_200 }] },
      { msisdn: '+447911123457', text: TEXT, smartlinks: [{ linkid: 7, validity: 43_200 }] },
    ]);
    expect((await desk.handlers['campaigns.get']({ id: imported.id })).counts).toEqual({ delivered: 2 });
  });
});

describe('Recipients: cancelled and failed imports', () => {
  it('cancels an import through imports.cancel and keeps no campaign', async () => {
    const desk = await startDesk();
    const lines = ['name,phone,city'];
    for (let i = 0; i < 300_000; i++) lines.push(`Person ${i},+4479${String(i).padStart(8, '0')},Leeds`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const importId = 'big-import-1';
    const progress: EventPayload<'import.progress'>[] = [];
    desk.bus.subscribe((event, payload) => {
      if (event !== 'import.progress') return;
      progress.push(payload as EventPayload<'import.progress'>);
      if (progress.length === 1) void desk.handlers['imports.cancel']({ importId });
    });
    const error = await deskErrorOf(desk.importRecipients('big.csv', { bytes }, importId));
    expect(error.code).toBe('import-cancelled');
    expect(progress[0]).toMatchObject({ importId, fileName: 'big.csv' });
    expect(progress.some((p) => p.done)).toBe(false);
    expect(await desk.handlers['campaigns.list']({})).toEqual([]);
    expect(await readdir(join(dataDir, 'campaigns')).catch(() => [])).toEqual([]);
  });

  it('rejects a malformed file with its line and leaves the campaigns already imported intact', async () => {
    const desk = await startDesk();
    const campaign = await importCustomers(desk);
    const before = await rowsOf(desk, campaign.id);
    const bad = windows1252('Name,Mobile\r\nZoë,07911 123456\r\n“Bob”,"07911 123457\r\nCy,07911 123458\r\n');
    const error = await deskErrorOf(desk.importRecipients('bad.csv', { bytes: bad }));
    expect(error.code).toBe('csv-malformed');
    expect(error.message).toContain('line 3');
    const listed = await desk.handlers['campaigns.list']({});
    expect(listed.map((c) => c.id)).toEqual([campaign.id]);
    // As History lists it: what the clock makes of a draft is asked of the campaign itself.
    expect(listed[0]).toEqual({
      ...(await desk.handlers['campaigns.get']({ id: campaign.id })),
      windowPreview: null,
    });
    expect(listed[0]).toMatchObject({ rowCount: 8, template: TEMPLATE, counts: { ready: 3, skipped: 5 } });
    expect(await rowsOf(desk, campaign.id)).toEqual(before);

    const again = await restart(desk);
    expect((await again.handlers['campaigns.list']({})).map((c) => c.id)).toEqual([campaign.id]);
    expect(await rowsOf(again, campaign.id)).toEqual(before);
  });
});

describe("Recipients: message length against the API of the campaign's service", () => {
  /** A row whose message, `Hi <name>, <note>`, is `length` characters long (code points). */
  const row = (name: string, phone: string, length: number, char = 'x') =>
    `${name},${phone},${char.repeat(length - `Hi ${name}, `.length)}`;
  const TEMPLATE_WITH_NOTE = 'Hi $(name), $(note)';

  async function importLengths(desk: Desk, rows: string[]): Promise<CampaignView> {
    const imported = await desk.importRecipients('lengths.csv', {
      text: ['name,phone,note', ...rows].join('\n'),
    });
    return desk.update(imported.id, { defaultCountry: 'GB', template: TEMPLATE_WITH_NOTE, senderId: 'ACME' });
  }

  it('blocks sending while a ready row is over 1,024 characters, naming the rows; nothing is sent', async () => {
    const desk = await startDesk();
    const campaign = await importLengths(desk, [
      row('Ann', '+447911123456', 20),
      row('Bob', '+447911123457', 1100),
      // Not sent for want of a number, so its length does not matter.
      row('Cy', '', 2000),
      row('Dee', '+447911123458', 1025),
      row('Eve', '+447911123459', 1100),
      row('Fay', '+447911123460', 1200),
      row('Gus', '+447911123461', 1100),
    ]);
    const problem =
      "Row 2's message is 1,100 characters; Messaging API v1 takes at most 1,024. Shorten the message or that row's values (5 rows are too long: 2, 4, 5 and 2 more).";
    expect(campaign).toMatchObject({
      problem,
      counts: { ready: 6, skipped: 1 },
      messageLength: { api: 'messaging', longest: { row: 5, characters: 1200 }, tooLong: 5 },
    });
    const rows = (await rowsOf(desk, campaign.id)).rows;
    expect(rows.map((r) => [r.status, r.characters, r.tooLong])).toEqual([
      ['ready', 20, false],
      ['ready', 1100, true],
      ['skipped', 2000, false],
      ['ready', 1025, true],
      ['ready', 1100, true],
      ['ready', 1200, true],
      ['ready', 1100, true],
    ]);
    const next = async (after: number) =>
      (await desk.handlers['campaigns.nextProblem']({ id: campaign.id, after })).index;
    expect([await next(-1), await next(1), await next(2), await next(6)]).toEqual([1, 2, 3, 1]);

    for (const refused of [
      await deskErrorOf(desk.send(campaign.id)),
      await deskErrorOf(desk.schedule(campaign.id, new Date(Date.now() + 3_600_000).toISOString())),
      await deskErrorOf(desk.testSend(campaign.id, 0, '+447911123456')),
    ]) {
      expect(refused).toMatchObject({ code: 'campaign-not-ready', message: problem });
    }
    expect(desk.simulator.accepted).toEqual([]);

    const short = await desk.update(campaign.id, { template: 'Hi $(name)' });
    expect(short).toMatchObject({
      problem: null,
      messageLength: { longest: { row: 0, characters: 6 }, tooLong: 0 },
    });
    expect(await next(-1)).toBe(2);
  });

  it('sends a message of exactly 1,024 characters, counting code points and a smartlink as written', async () => {
    const desk = await startDesk();
    const imported = await desk.importRecipients('lengths.csv', {
      // 1,024 characters with the link as written (1,037 as the recipient sees it); the emoji take two
      // UTF-16 units each, so Bob's text is 2,029 units long.
      text: [
        'name,phone,note',
        row('Ann', '+447911123456', 1013),
        row('Bob', '+447911123457', 1013, '😀'),
      ].join('\n'),
    });
    const campaign = await desk.update(imported.id, {
      defaultCountry: 'GB',
      template: `${TEMPLATE_WITH_NOTE} {{link_7}}`,
      senderId: 'ACME',
      smartlinks: [{ linkid: '7', validity: 1, unit: 'days' }],
    });
    expect(campaign).toMatchObject({
      problem: null,
      messageLength: { api: 'messaging', longest: { row: 0, characters: 1024 }, tooLong: 0 },
    });
    const rows = (await rowsOf(desk, imported.id)).rows;
    // The message shown has the link as `[link: 7]`, one character shorter than `{{link_7}}`.
    expect(rows.map((r) => [r.characters, r.tooLong, r.message.length])).toEqual([
      [1024, false, 1023],
      [1024, false, 2028],
    ]);

    await desk.send(imported.id);
    await desk.finished(imported.id);
    expect(await desk.settled(imported.id, 5000)).toBe(true);
    // What went out is what the rows show, the link as written for the platform to replace.
    expect(desk.simulator.accepted.map((m) => withShownLinks(m.text))).toEqual(rows.map((r) => r.message));
    expect(desk.simulator.accepted.every((m) => m.text.endsWith(' {{link_7}}'))).toBe(true);
    expect((await desk.handlers['campaigns.get']({ id: imported.id })).counts).toEqual({ delivered: 2 });
  });

  it('on the Send SMS API takes 1,100 characters but not 4,001, and follows a change of service or of its API', async () => {
    const desk = await startDesk();
    const sms = await desk.handlers['services.save']({
      name: 'Send SMS',
      baseUrl: desk.simulator.url,
      key: 'a-key',
      rate: 10,
      pricePerSegment: 0,
      api: 'sms',
      numbersWithPlus: true,
      sendWindow: null,
    });
    const campaign = await importLengths(desk, [
      row('Ann', '+447911123456', 1100),
      row('Bob', '+447911123457', 4001),
      row('Cy', '+447911123458', 4000),
    ]);
    const onMessaging =
      "Row 1's message is 1,100 characters; Messaging API v1 takes at most 1,024. Shorten the message or that row's values (3 rows are too long: 1, 2 and 3).";
    const onSms =
      "Row 2's message is 4,001 characters; the Send SMS API takes at most 4,000. Shorten the message or that row's values.";
    expect(campaign.problem).toBe(onMessaging);

    const moved = await desk.update(campaign.id, { serviceId: sms.id });
    expect(moved).toMatchObject({ problem: onSms, messageLength: { api: 'sms', tooLong: 1 } });
    expect((await rowsOf(desk, campaign.id)).rows.map((r) => r.tooLong)).toEqual([false, true, false]);
    expect((await desk.handlers['campaigns.nextProblem']({ id: campaign.id, after: -1 })).index).toBe(1);
    expect(await deskErrorOf(desk.send(campaign.id))).toMatchObject({ message: onSms });

    // The service itself moves to Messaging API v1: its campaigns are checked again at once.
    const events = record(desk);
    await desk.handlers['services.save']({ ...sms, key: undefined, tunnel: undefined, api: 'messaging' });
    const pushed = events.flatMap((e) => (e.event === 'campaign.updated' ? [e.payload] : []));
    expect(pushed.map((v) => [v.id, v.problem])).toEqual([[campaign.id, onMessaging]]);
    expect((await desk.handlers['campaigns.get']({ id: campaign.id })).problem).toBe(onMessaging);

    await desk.handlers['services.save']({ ...sms, key: undefined, tunnel: undefined, api: 'sms' });
    expect((await desk.handlers['campaigns.get']({ id: campaign.id })).problem).toBe(onSms);
    const back = await desk.update(campaign.id, { serviceId: 'sandbox' });
    expect(back).toMatchObject({ problem: onMessaging, messageLength: { api: 'messaging', tooLong: 3 } });
    expect(desk.simulator.accepted).toEqual([]);

    // After a restart the campaign is checked against its service's API as it then stands.
    await desk.update(campaign.id, { serviceId: sms.id });
    const again = await restart(desk);
    expect((await again.handlers['campaigns.get']({ id: campaign.id })).problem).toBe(onSms);
  });
});
