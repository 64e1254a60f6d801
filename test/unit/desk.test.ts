import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, RowView } from '../../shared/api';
import type { RowStatus } from '../../shared/status';
import type { Desk } from '../../electron/core/desk';
import { dispatch } from '../../electron/core/dispatch';
import { startNodeDesk } from '../../electron/core/node-desk';
import { deskErrorOf } from './support/desk-error';

const CSV = [
  'name,phone,city',
  'Ann,+14155552671,Paris',
  'Bob,+1 (415) 555-2672,',
  'Ann again,+14155552671,Rome',
  'Cy,not a number,Oslo',
  'Dee,,Lima',
  'Łukasz 🎉,+4915112345678,Zürich €',
  '"Smith, Jo",4155552673,"New ""York"""',
].join('\r\n');

const TEMPLATE = 'Hi $(name), see you in $(city|town)!';
const READY_ROWS = [0, 1, 5, 6];
const EXPECTED = [
  { msisdn: '+14155552671', message: 'Hi Ann, see you in Paris!', status: 'ready', reason: null },
  { msisdn: '+14155552672', message: 'Hi Bob, see you in town!', status: 'ready', reason: null },
  {
    msisdn: '+14155552671',
    message: 'Hi Ann again, see you in Rome!',
    status: 'skipped',
    reason: 'duplicate',
  },
  { msisdn: null, message: 'Hi Cy, see you in Oslo!', status: 'skipped', reason: 'invalid-number' },
  { msisdn: null, message: 'Hi Dee, see you in Lima!', status: 'skipped', reason: 'missing-number' },
  { msisdn: '+4915112345678', message: 'Hi Łukasz 🎉, see you in Zürich €!', status: 'ready', reason: null },
  { msisdn: '+14155552673', message: 'Hi Smith, Jo, see you in New "York"!', status: 'ready', reason: null },
] as const;

const SANDBOX = { failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10 };
const WRONG_KEY = 'wrong-key-5e8d1c7b9a3f';

type Recorded = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

let root: string;
let dataDir: string;
const desks: Desk[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'desk-test-'));
  dataDir = join(root, 'home');
});

afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.close();
  await rm(root, { recursive: true, force: true });
});

async function startDesk(sandbox: object = SANDBOX): Promise<Desk> {
  const desk = await startNodeDesk(dataDir, { sandbox, systemCountry: 'US' });
  desks.push(desk);
  return desk;
}

async function closeDesk(desk: Desk): Promise<void> {
  desks.splice(desks.indexOf(desk), 1);
  await desk.close();
}

function record(desk: Desk): Recorded[] {
  const seen: Recorded[] = [];
  desk.bus.subscribe((event, payload) => seen.push({ event, payload } as Recorded));
  return seen;
}

async function importReady(desk: Desk, patch: { serviceId?: string; template?: string } = {}) {
  const imported = await desk.importRecipients('customers.csv', { text: CSV });
  return desk.update(imported.id, {
    phoneColumn: 1,
    defaultCountry: 'US',
    template: TEMPLATE,
    senderId: 'ACME',
    ...patch,
  });
}

async function rowsOf(desk: Desk, id: string): Promise<RowView[]> {
  return (await desk.handlers['campaigns.rows']({ id, offset: 0, limit: 1000 })).rows;
}

async function sendAndSettle(desk: Desk) {
  const campaign = await importReady(desk);
  const preview = await rowsOf(desk, campaign.id);
  await desk.send(campaign.id);
  await desk.finished(campaign.id);
  expect(await desk.settled(campaign.id, 5000)).toBe(true);
  return { id: campaign.id, preview };
}

async function postDr(desk: Desk, body: unknown) {
  const res = await request(desk.receiver.drUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body.dump();
  return res.statusCode;
}

function dr(fields: { transid?: string; correlationid?: string; status: string; code: string }) {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        timeStamp: new Date().toISOString(),
        Description: fields.status,
        code: fields.code,
        deliveryStatus: fields.status,
        destination: '14155552671',
      },
      carrier: 'HAND',
      transid: fields.transid ?? '',
      correlationid: fields.correlationid ?? '',
    },
  };
}

async function readLines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const INTERIM_RANK: Partial<Record<RowStatus, number>> = {
  ready: 0,
  sending: 1,
  queued: 2,
  unknown: 2,
  submitted: 3,
};
const RANK = (s: RowStatus) => INTERIM_RANK[s] ?? 4;

describe('Desk: a campaign through the sandbox', () => {
  it('imports, previews, sends every ready row once with the previewed text, and reports', async () => {
    const desk = await startDesk();
    const events = record(desk);

    const imported = await desk.importRecipients('customers.csv', { text: CSV });
    expect(imported).toMatchObject({
      name: 'customers',
      fileName: 'customers.csv',
      columns: ['name', 'phone', 'city'],
      rowCount: 7,
      phoneColumn: 1,
      state: 'draft',
      serviceId: 'sandbox',
      problem: 'Write the message.',
    });
    expect(events).toContainEqual({
      event: 'import.progress',
      payload: expect.objectContaining({ fileName: 'customers.csv', rows: 7, done: true }),
    });

    const campaign = await desk.update(imported.id, {
      phoneColumn: 1,
      defaultCountry: 'US',
      template: TEMPLATE,
      senderId: 'ACME',
    });
    expect(campaign).toMatchObject({
      problem: null,
      template: TEMPLATE,
      senderId: 'ACME',
      counts: { ready: 4, skipped: 3 },
      totalSegments: 4,
      error: null,
    });

    const preview = await rowsOf(desk, campaign.id);
    expect(
      preview.map((r) => ({ msisdn: r.msisdn, message: r.message, status: r.status, reason: r.reason })),
    ).toEqual(EXPECTED);
    expect(preview[5]).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(preview[0]).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
      values: ['Ann', '+14155552671', 'Paris'],
    });

    const sending = await desk.send(campaign.id);
    expect(sending.state).toBe('sending');
    await desk.finished(campaign.id);
    expect(await desk.settled(campaign.id, 5000)).toBe(true);

    const done = await desk.handlers['campaigns.get']({ id: campaign.id });
    expect(done).toMatchObject({ state: 'completed', counts: { delivered: 4, skipped: 3 }, error: null });
    expect(Object.values(done.counts).reduce((a, b) => a + (b ?? 0), 0)).toBe(7);

    const accepted = desk.simulator.accepted.filter((m) => m.correlationid.startsWith(`${campaign.id}.`));
    expect(accepted).toHaveLength(desk.simulator.accepted.length);
    expect(accepted.map((m) => m.correlationid).sort()).toEqual(
      READY_ROWS.map((row) => `${campaign.id}.${row}`).sort(),
    );
    const rows = await rowsOf(desk, campaign.id);
    for (const row of READY_ROWS) {
      const sent = accepted.find((m) => m.correlationid === `${campaign.id}.${row}`);
      const previewed = preview[row] as RowView;
      expect(Buffer.from(sent?.text ?? '', 'utf8').equals(Buffer.from(previewed.message, 'utf8'))).toBe(true);
      expect(sent).toMatchObject({
        // The Sandbox, like new services, sends numbers with their plus.
        msisdn: previewed.msisdn,
        type: previewed.encoding === 'UCS-2' ? '4' : '1',
        callbackData: `${campaign.id}.${row}`,
        senderid: 'ACME',
        notifyurl: desk.receiver.drUrl,
      });
      expect(rows[row]).toMatchObject({
        status: 'delivered',
        code: '7500',
        description: 'Delivered',
        transid: sent?.transid,
        sentAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    }
    for (const row of [2, 3, 4]) {
      expect(rows[row]).toMatchObject({ status: 'skipped', transid: null, sentAt: null, code: null });
    }

    // The campaign's view follows row changes a few times a second, so its last push comes soon after; the
    // row changes held back with it go out before it.
    const lastUpdate = () =>
      events.flatMap((e) => (e.event === 'campaign.updated' ? [e.payload] : [])).at(-1);
    await waitFor(async () => lastUpdate()?.counts.delivered === 4);
    expect(lastUpdate()).toMatchObject({
      id: campaign.id,
      state: 'completed',
      counts: { delivered: 4, skipped: 3 },
    });

    // Row updates were pushed, forward only, and only for the rows that were sent.
    const patches = events.flatMap((e) => (e.event === 'rows.updated' ? e.payload.rows : []));
    expect(
      events.filter((e) => e.event === 'rows.updated').every((e) => e.payload.campaignId === campaign.id),
    ).toBe(true);
    expect([...new Set(patches.map((p) => p.index))].sort()).toEqual(READY_ROWS);
    for (const row of READY_ROWS) {
      const statuses = patches.filter((p) => p.index === row).map((p) => p.status);
      expect(statuses.at(-1)).toBe('delivered');
      for (let i = 1; i < statuses.length; i++) {
        expect(RANK(statuses[i] as RowStatus)).toBeGreaterThanOrEqual(RANK(statuses[i - 1] as RowStatus));
      }
    }

    const report = await desk.report(campaign.id);
    expect(report.fileName).toBe('customers-report.csv');
    expect(report.csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(report.csv.slice(1), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...lines] = parsed.data;
    expect(header).toEqual([
      'name',
      'phone',
      'city',
      'cd_number',
      'cd_message',
      'cd_segments',
      'cd_status',
      'cd_status_text',
      'cd_code',
      'cd_description',
      'cd_transid',
      'cd_sent_at',
      'cd_delivered_at',
      'cd_settled_by',
    ]);
    expect(lines).toHaveLength(7);
    // Phone numbers are written as they were imported: a number runs no formula, so no apostrophe.
    expect(lines.map((l) => l.slice(0, 7))).toEqual([
      ['Ann', '+14155552671', 'Paris', '+14155552671', 'Hi Ann, see you in Paris!', '1', 'delivered'],
      ['Bob', '+1 (415) 555-2672', '', '+14155552672', 'Hi Bob, see you in town!', '1', 'delivered'],
      [
        'Ann again',
        '+14155552671',
        'Rome',
        '+14155552671',
        'Hi Ann again, see you in Rome!',
        '1',
        'skipped: duplicate',
      ],
      ['Cy', 'not a number', 'Oslo', '', 'Hi Cy, see you in Oslo!', '1', 'skipped: invalid-number'],
      ['Dee', '', 'Lima', '', 'Hi Dee, see you in Lima!', '1', 'skipped: missing-number'],
      [
        'Łukasz 🎉',
        '+4915112345678',
        'Zürich €',
        '+4915112345678',
        'Hi Łukasz 🎉, see you in Zürich €!',
        '1',
        'delivered',
      ],
      [
        'Smith, Jo',
        '4155552673',
        'New "York"',
        '+14155552673',
        'Hi Smith, Jo, see you in New "York"!',
        '1',
        'delivered',
      ],
    ]);
    for (const row of READY_ROWS) {
      const line = lines[row] as string[];
      expect(line.slice(7, 11)).toEqual(['Delivered', '7500', 'Delivered', rows[row]?.transid]);
      expect(line[11]).toBe(rows[row]?.sentAt);
      expect(line[12]).toBe(rows[row]?.deliveredAt);
      expect(Date.parse(line[12] ?? '')).toBeGreaterThanOrEqual(Date.parse(line[11] ?? ''));
    }
  });

  it('refuses to change or resend a campaign once sent', async () => {
    const desk = await startDesk();
    const { id } = await sendAndSettle(desk);
    expect((await deskErrorOf(desk.update(id, { template: 'Changed' }))).code).toBe('campaign-started');
    expect((await deskErrorOf(desk.send(id))).code).toBe('campaign-started');
    expect(desk.simulator.accepted).toHaveLength(READY_ROWS.length);
  });
});

describe('Desk: delivery reports', () => {
  it('keeps a report for an unknown transid in unmatched-reports.ndjson and changes no row', async () => {
    const desk = await startDesk();
    const { id } = await sendAndSettle(desk);
    const before = await rowsOf(desk, id);
    const unknown = dr({
      transid: 'f00dfeed-0000-4000-8000-000000000000',
      status: 'Un-Delivered',
      code: '7203',
    });
    const otherRow = dr({
      correlationid: `${id}.999`,
      transid: 'f00dfeed-1',
      status: 'Failed',
      code: '7201',
    });
    const otherCampaign = dr({ correlationid: '20990101-0000-abcdef.0', status: 'Failed', code: '7201' });
    const click = dr({ correlationid: `${id}.0`, status: 'Clicked', code: '7528' });
    for (const body of [unknown, otherRow, otherCampaign, click]) expect(await postDr(desk, body)).toBe(200);

    const kept = await readLines(join(dataDir, 'unmatched-reports.ndjson'));
    expect(kept).toEqual([
      { at: expect.any(String), raw: unknown, reason: 'no matching row' },
      { at: expect.any(String), raw: otherRow, reason: 'no matching row' },
      { at: expect.any(String), raw: otherCampaign, reason: 'no matching row' },
      { at: expect.any(String), raw: click, reason: 'no delivery state' },
    ]);
    expect(await rowsOf(desk, id)).toEqual(before);
    expect((await desk.handlers['campaigns.get']({ id })).counts).toEqual({ delivered: 4, skipped: 3 });
  });

  it('does not let a late Submitted or a different final report overwrite Delivered', async () => {
    const desk = await startDesk();
    const { id } = await sendAndSettle(desk);
    const row0 = (await rowsOf(desk, id))[0] as RowView;
    expect(row0.status).toBe('delivered');

    expect(
      await postDr(
        desk,
        dr({ correlationid: `${id}.0`, transid: row0.transid ?? '', status: 'Submitted', code: '7501' }),
      ),
    ).toBe(200);
    expect(
      await postDr(desk, dr({ transid: row0.transid ?? '', status: 'Un-Delivered', code: '7203' })),
    ).toBe(200);
    const after = (await rowsOf(desk, id))[0];
    expect(after).toMatchObject({
      status: 'delivered',
      code: '7500',
      description: 'Delivered',
      transid: row0.transid,
    });
    expect((await desk.handlers['campaigns.get']({ id })).counts).toEqual({ delivered: 4, skipped: 3 });

    // The reports are journaled, and replaying them keeps the row delivered.
    const journal = (await readLines(join(dataDir, 'campaigns', id, 'journal.ndjson'))) as {
      t: string;
      row?: number;
    }[];
    expect(journal.filter((e) => e.t === 'dr' && e.row === 0)).toHaveLength(4);
    await closeDesk(desk);
    const again = await startDesk();
    expect((await rowsOf(again, id))[0]).toMatchObject({ status: 'delivered', code: '7500' });
  });

  it('settles a row from a report that arrives with its correlation id and the transid of its reports', async () => {
    // Final reports are held back so that the rows stay submitted until a report is posted by hand.
    const desk = await startDesk({ failureShare: 0, submittedDelayMs: 1, finalDelayMs: 60_000 });
    const campaign = await importReady(desk);
    await desk.send(campaign.id);
    await desk.finished(campaign.id);
    await waitFor(
      async () => (await rowsOf(desk, campaign.id)).filter((r) => r.status === 'submitted').length === 4,
    );
    const transid = (await rowsOf(desk, campaign.id))[5]?.transid ?? '';
    // The row's "submitted" came with its transid: a report naming the row without it is kept as unmatched.
    expect(
      await postDr(desk, dr({ correlationid: `${campaign.id}.5`, status: 'Un-Delivered', code: '7208' })),
    ).toBe(200);
    expect((await rowsOf(desk, campaign.id))[5]).toMatchObject({ status: 'submitted' });
    expect(await readLines(join(dataDir, 'unmatched-reports.ndjson'))).toEqual([
      expect.objectContaining({ reason: 'names its row without the transid of its reports' }),
    ]);
    expect(
      await postDr(
        desk,
        dr({ correlationid: `${campaign.id}.5`, transid, status: 'Un-Delivered', code: '7208' }),
      ),
    ).toBe(200);
    expect((await rowsOf(desk, campaign.id))[5]).toMatchObject({ status: 'expired', code: '7208' });
    expect(await desk.settled(campaign.id, 20)).toBe(false);
  });
});

describe('Desk: restart', () => {
  it('restores every row and the campaign state by replaying the journal', async () => {
    const desk = await startDesk();
    const { id } = await sendAndSettle(desk);
    const rows = await rowsOf(desk, id);
    const view = await desk.handlers['campaigns.get']({ id });
    await closeDesk(desk);

    const again = await startDesk();
    expect(await again.handlers['campaigns.list']({})).toEqual([view]);
    expect(await again.handlers['campaigns.get']({ id })).toEqual(view);
    expect(await rowsOf(again, id)).toEqual(rows);
    expect((await again.report(id)).csv).toBe((await desk.report(id)).csv);
  });

  it('matches a late report that carries only the transid after a restart', async () => {
    const desk = await startDesk({ failureShare: 0, submittedDelayMs: 1, finalDelayMs: 60_000 });
    const campaign = await importReady(desk);
    await desk.send(campaign.id);
    await desk.finished(campaign.id);
    await waitFor(
      async () => (await rowsOf(desk, campaign.id)).filter((r) => r.status === 'submitted').length === 4,
    );
    const transid = (await rowsOf(desk, campaign.id))[1]?.transid ?? '';
    expect(transid).not.toBe('');
    await closeDesk(desk);

    const again = await startDesk();
    expect(await postDr(again, dr({ transid, status: 'Delivered', code: '7500' }))).toBe(200);
    expect((await rowsOf(again, campaign.id))[1]).toMatchObject({ status: 'delivered', transid });
    expect(await readLines(join(dataDir, 'unmatched-reports.ndjson'))).toEqual([]);
  });
});

describe('Desk: refusals', () => {
  it('stops a send whose service key is wrong, keeps rows ready (a draft again) and never shows the key', async () => {
    const desk = await startDesk();
    const saved = await dispatch(desk.handlers, 'services.save', {
      name: 'Local IMIconnect',
      baseUrl: desk.simulator.url,
      key: WRONG_KEY,
    });
    expect(saved.ok).toBe(true);
    const service = (saved as { value: { id: string; keyHint: string } }).value;
    expect(service.keyHint).toBe('••••9a3f');

    const campaign = await importReady(desk, { serviceId: service.id });
    const events = record(desk);
    await desk.send(campaign.id);
    await desk.finished(campaign.id);
    const view = await desk.handlers['campaigns.get']({ id: campaign.id });
    // Nothing was sent: the campaign is a draft again, the reason shown.
    expect(view.state).toBe('draft');
    expect(view.error).toMatch(/key/i);
    expect(view.error).not.toContain(WRONG_KEY);
    expect(view.error).not.toContain(WRONG_KEY.slice(0, 10));
    expect(view.counts).toEqual({ ready: 4, skipped: 3 });
    expect(desk.simulator.accepted).toEqual([]);
    expect((await rowsOf(desk, campaign.id)).filter((r) => r.status === 'ready').map((r) => r.index)).toEqual(
      READY_ROWS,
    );
    expect(await desk.settled(campaign.id, 100)).toBe(true);

    expect(JSON.stringify(events)).not.toContain(WRONG_KEY);
    expect(await readFile(join(dataDir, 'campaigns', campaign.id, 'journal.ndjson'), 'utf8')).not.toContain(
      WRONG_KEY,
    );
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).not.toContain(WRONG_KEY);
    const listed = await dispatch(desk.handlers, 'services.list', {});
    expect(JSON.stringify(listed)).not.toContain(WRONG_KEY);
  });

  it('sends a campaign refused for its key once the key is fixed, each row exactly once', async () => {
    const desk = await startDesk();
    const saved = await desk.handlers['services.save']({
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
      name: 'Local IMIconnect',
      baseUrl: desk.simulator.url,
      key: WRONG_KEY,
      rate: 100,
      pricePerSegment: 0,
    });
    const campaign = await importReady(desk, { serviceId: saved.id });
    await desk.send(campaign.id);
    await desk.finished(campaign.id);
    expect((await desk.handlers['campaigns.get']({ id: campaign.id })).state).toBe('draft');

    const rightKey = desk.services.resolve('sandbox').key;
    await desk.handlers['services.save']({
      ...saved,
      tunnel: undefined,
      key: rightKey,
      rate: 100,
      pricePerSegment: 0,
    });
    await desk.send(campaign.id);
    await desk.finished(campaign.id);
    expect(await desk.settled(campaign.id, 5000)).toBe(true);
    const view = await desk.handlers['campaigns.get']({ id: campaign.id });
    expect(view).toMatchObject({ state: 'completed', error: null, counts: { delivered: 4, skipped: 3 } });
    expect(desk.simulator.accepted.map((m) => m.correlationid).sort()).toEqual(
      READY_ROWS.map((row) => `${campaign.id}.${row}`).sort(),
    );
  });

  it('stops without sending when the service cannot be reached, and rows stay ready', async () => {
    const desk = await startDesk();
    const saved = await desk.handlers['services.save']({
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
      name: 'Nowhere',
      baseUrl: 'http://127.0.0.1:1',
      key: 'some-key-1234',
      rate: 10,
      pricePerSegment: 0,
    });
    const campaign = await importReady(desk, { serviceId: saved.id });
    await desk.send(campaign.id);
    await desk.finished(campaign.id);
    const view = await desk.handlers['campaigns.get']({ id: campaign.id });
    expect(view.state).toBe('draft');
    expect(view.error).toContain(
      'Cannot reach the service at http://127.0.0.1:1: nothing answered at 127.0.0.1:1',
    );
    expect(view.error).not.toContain('ECONNREFUSED');
    expect(view.errorDetail).toContain('ECONNREFUSED');
    expect(view.error).not.toContain('some-key-1234');
    expect(view.errorDetail).not.toContain('some-key-1234');
    expect(view.counts).toEqual({ ready: 4, skipped: 3 });
  });

  it('names a service without a key as the reason a campaign cannot be sent', async () => {
    const desk = await startDesk();
    const saved = await desk.handlers['services.save']({
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
      name: 'Keyless',
      baseUrl: 'https://api.imiconnect.io',
      rate: 10,
      pricePerSegment: 0.05,
    });
    const campaign = await importReady(desk, { serviceId: saved.id });
    expect(campaign.problem).toBe('The service "Keyless" has no key; set it under Services.');
    expect(campaign.estimatedCost).toBeCloseTo(campaign.totalSegments * 0.05);
  });

  it('rejects a CSV with an unterminated quote as csv-malformed and creates no campaign', async () => {
    const desk = await startDesk();
    const bad = 'name,phone\n"Ann,+14155552671\nBob,+14155552672\n';
    const error = await deskErrorOf(desk.importRecipients('bad.csv', { text: bad }));
    expect(error.code).toBe('csv-malformed');
    expect(
      await dispatch(desk.handlers, 'campaigns.import', { fileName: 'bad.csv', source: { text: bad } }),
    ).toEqual({
      ok: false,
      error: { code: 'csv-malformed', message: expect.stringContaining('not valid CSV') },
    });
    expect(await desk.handlers['campaigns.list']({})).toEqual([]);
  });

  it('imports an Excel workbook by its bytes, whatever its name, and names its sheets', async () => {
    const desk = await startDesk();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover');
    wb.addWorksheet('London').addRows([
      ['name', 'mobile'],
      ['Ann', 447400123456],
    ]);
    wb.addWorksheet('Paris').addRows([
      ['name', 'mobile'],
      ['Luc', 33612345678],
      ['Zoé', 33612345679],
    ]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const london = await desk.importRecipients('list.dat', { bytes });
    expect(london).toMatchObject({ sheet: 'London', sheets: ['Cover', 'London', 'Paris'], rowCount: 1 });
    expect(london.columns).toEqual(['name', 'mobile']);
    const { rows } = await desk.handlers['campaigns.rows']({ id: london.id, offset: 0, limit: 1 });
    expect(rows[0]?.values).toEqual(['Ann', '447400123456']);
    const paris = await desk.importRecipients('list.dat', { bytes }, undefined, { sheet: 'Paris' });
    expect(paris).toMatchObject({ sheet: 'Paris', rowCount: 2 });

    const damaged = await deskErrorOf(desk.importRecipients('list.xlsx', { bytes: bytes.subarray(0, 900) }));
    expect(damaged.code).toBe('workbook-damaged');
    expect((await desk.handlers['campaigns.list']({})).map((c) => c.id).sort()).toEqual(
      [london.id, paris.id].sort(),
    );
  });

  it('blocks a send while the message uses an unknown placeholder', async () => {
    const desk = await startDesk();
    const campaign = await importReady(desk, { template: 'Hi $(nmae), see you in $(city)!' });
    expect(campaign.problem).toContain('$(nmae)');
    const error = await deskErrorOf(desk.send(campaign.id));
    expect(error.code).toBe('campaign-not-ready');
    expect(error.message).toContain('$(nmae)');
    expect(desk.simulator.accepted).toEqual([]);
    const view = await desk.handlers['campaigns.get']({ id: campaign.id });
    expect(view.state).toBe('draft');
    // Still editable: fixing the template makes it sendable.
    expect((await desk.update(campaign.id, { template: TEMPLATE })).problem).toBeNull();
  });

  it('reports an unknown campaign', async () => {
    const desk = await startDesk();
    expect((await deskErrorOf(desk.handlers['campaigns.get']({ id: 'no-such-campaign' }))).code).toBe(
      'unknown-campaign',
    );
    expect((await deskErrorOf(desk.handlers['campaigns.get']({ id: '../etc' }))).code).toBe(
      'unknown-campaign',
    );
  });
});

describe('Desk: default country', () => {
  it("starts a campaign with the system locale's country, then the last one sent through its service", async () => {
    const desk = await startNodeDesk(dataDir, { sandbox: SANDBOX, systemCountry: 'GB' });
    desks.push(desk);
    const first = await desk.importRecipients('customers.csv', { text: CSV });
    expect(first.defaultCountry).toBe('GB');
    await desk.update(first.id, { phoneColumn: 1, defaultCountry: 'DE', template: 'Hi', senderId: 'ACME' });
    await desk.send(first.id);
    await desk.finished(first.id);
    await closeDesk(desk);

    const again = await startDesk();
    expect((await again.importRecipients('customers.csv', { text: CSV })).defaultCountry).toBe('DE');
  });

  it('takes the country last sent through a service when a draft moves to it, unless one was picked by hand', async () => {
    const desk = await startNodeDesk(dataDir, { sandbox: SANDBOX, systemCountry: 'GB' });
    desks.push(desk);
    const german = await desk.handlers['services.save']({
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
      name: 'German account',
      baseUrl: desk.simulator.url,
      key: desk.services.resolve('sandbox').key,
      rate: 100,
      pricePerSegment: 0,
    });
    const sent = await desk.importRecipients('customers.csv', { text: CSV });
    await desk.update(sent.id, {
      phoneColumn: 1,
      defaultCountry: 'DE',
      template: 'Hi',
      senderId: 'ACME',
      serviceId: german.id,
    });
    await desk.send(sent.id);
    await desk.finished(sent.id);

    const draft = await desk.importRecipients('customers.csv', { text: CSV });
    expect(draft.defaultCountry).toBe('GB');
    expect((await desk.update(draft.id, { serviceId: german.id })).defaultCountry).toBe('DE');
    expect((await desk.update(draft.id, { serviceId: 'sandbox' })).defaultCountry).toBe('GB');

    const picked = await desk.importRecipients('customers.csv', { text: CSV });
    await desk.update(picked.id, { defaultCountry: 'FR' });
    expect((await desk.update(picked.id, { serviceId: german.id })).defaultCountry).toBe('FR');
    expect(
      (await desk.update(picked.id, { serviceId: 'sandbox', defaultCountry: 'IE' })).defaultCountry,
    ).toBe('IE');
  });

  it('names the country of most numbers written with a +, and counts those without', async () => {
    const desk = await startDesk();
    const csv = 'name,phone\nAnn,+44 7400 123456\nBob,+442079460018\nCy,+14155552671\nDee,07400 123457\n';
    const view = await desk.importRecipients('uk.csv', { text: csv });
    expect(view.plusCountry).toEqual({ country: 'GB', callingCode: '44' });
    expect(view.numbersWithoutPlus).toBe(1);
    expect(view.defaultCountry).toBe('US');
  });
});
