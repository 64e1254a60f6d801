import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverStats, RowView } from '../../shared/api';
import { canAdvance } from '../../shared/status';
import type { Desk } from '../../electron/core/desk';
import { dispatch } from '../../electron/core/dispatch';
import { startNodeDesk } from '../../electron/core/node-desk';
import { parseDeliveryReports, type DeliveryReport } from '../../electron/core/receiver/webhook-schemas';

// One seed for the whole file, printed, so that a run that times out (fast-check then reports none) can be
// replayed with FUZZ_SEED=<seed>.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`receiver fuzz seed: ${SEED}`);

/**
 * Garbage, hostile and mutated posts to a real Desk's receiver, after two campaigns went out through the
 * Sandbox (whose own reports are held back an hour, so that every row stays open to a report). After each
 * post the rows of both campaigns are compared with what that post, as the receiver answered it, may change.
 */

const ROWS = 24;
const CSV = [
  'name,phone',
  ...Array.from({ length: ROWS }, (_, i) =>
    i % 7 === 3 ? `P${i},not a number` : `P${i},+1415555${String(1000 + i)}`,
  ),
].join('\n');
const ANSWERS = new Set([200, 400, 404, 405, 413, 422, 429]);
const CORRELATION = /^([a-z0-9-]{1,64})\.(\d{1,9})$/;

let root: string;
let dataDir: string;
let desk: Desk;
let closed = false;
let campaigns: string[];
/** The rows as the fuzzing of reports began: the transids to borrow. */
let campaignsRows: Snapshot;
/** What every post so far should have added up to. */
const expected: ReceiverStats = {
  deliveryReports: 0,
  replies: 0,
  unmatched: 0,
  rejected: 0,
  rateLimited: 0,
  unmatchedDropped: null,
  payloadsDropped: null,
  rejectedDropped: null,
};
let matchedReports = 0;
/** Matched reports not journaled: posted again, with the row's own transid and the same time stamp. */
let repeatedReports = 0;
/** Each report journaled with its row's own transid (and a time stamp), as its row, transid and fields. */
const ownReports = new Set<string>();
/**
 * Per row (`<campaign>.<row>`), whether a report with its own transid came (`transid`), or one naming it by
 * reference alone set its status (`reference`): after the first, reports without the transid are unmatched.
 */
const trust = new Map<string, 'transid' | 'reference'>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'receiver-fuzz-'));
  dataDir = join(root, 'home');
  desk = await startNodeDesk(dataDir, {
    sandbox: { failureShare: 0, submittedDelayMs: 3_600_000, finalDelayMs: 3_600_000 },
  });
  campaigns = [];
  for (const name of ['spring.csv', 'autumn.csv']) {
    const imported = await desk.importRecipients(name, { text: CSV });
    await desk.update(imported.id, {
      phoneColumn: 1,
      defaultCountry: 'US',
      template: 'Hi $(name)',
      senderId: 'ACME',
    });
    await desk.send(imported.id);
    await desk.finished(imported.id);
    campaigns.push(imported.id);
  }
});

afterAll(async () => {
  if (!closed) await desk?.close();
  await rm(root, { recursive: true, force: true });
});

type Snapshot = Map<string, RowView[]>;

async function snapshot(): Promise<Snapshot> {
  const rows = new Map<string, RowView[]>();
  for (const id of campaigns)
    rows.set(id, (await desk.handlers['campaigns.rows']({ id, offset: 0, limit: 1000 })).rows);
  return rows;
}

async function stats(): Promise<ReceiverStats> {
  const result = await dispatch(desk.handlers, 'receiver.stats', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ReceiverStats;
}

async function lines(file: string): Promise<unknown[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

type Endpoint = 'dr' | 'mo';
interface Post {
  endpoint: Endpoint;
  body: Buffer;
  contentType?: string;
}

const pick = ({ status, code, description, transid }: RowView) => ({ status, code, description, transid });
const sent = (row: RowView) => row.status !== 'ready' && row.status !== 'skipped';

/** The row a report is about, as the spec reads it: correlation id first, then transid; contradictions match none. */
function target(report: DeliveryReport, before: Snapshot): { id: string; row: number } | null {
  if (!report.status) return null;
  const byTransid = (transid: string) => {
    for (const [id, rows] of before) {
      const row = rows.findIndex((r) => r.transid === transid);
      if (row >= 0) return { id, row };
    }
    return null;
  };
  const m = report.correlationid?.match(CORRELATION);
  const named = m && before.get(m[1] as string)?.[Number(m[2])];
  if (m && named && sent(named)) {
    const other = report.transid ? byTransid(report.transid) : null;
    const self = { id: m[1] as string, row: Number(m[2]) };
    return !other || (other.id === self.id && other.row === self.row) ? self : null;
  }
  return report.transid ? byTransid(report.transid) : null;
}

/** Posts one body and checks the answer, the rows, the counts and what was kept against the spec. */
async function check(post: Post): Promise<void> {
  const before = await snapshot();
  const statsBefore = await stats();
  const unmatchedBefore = (await lines(join(dataDir, 'unmatched-reports.ndjson'))).length;
  const res = await request(post.endpoint === 'dr' ? desk.receiver.drUrl : desk.receiver.moUrl, {
    method: 'POST',
    headers: post.contentType === undefined ? {} : { 'content-type': post.contentType },
    body: post.body,
  });
  await res.body.dump();
  const status = res.statusCode;
  expect(ANSWERS.has(status), `answered ${status}`).toBe(true);

  const want = structuredClone(before);
  let unmatched = 0;
  if (status === 200 && post.endpoint === 'dr') {
    const reports = parseDeliveryReports(JSON.parse(post.body.toString('utf8')));
    if (typeof reports === 'string') throw new Error(`acknowledged a post that is not a report: ${reports}`);
    expected.deliveryReports += reports.length;
    // The receiver takes a post's reports in against the rows as they were before it, then applies them in turn.
    const trustBefore = new Map(trust);
    for (const report of reports) {
      const found = target(report, before);
      const key = found && `${found.id}.${found.row}`;
      const ownBefore =
        found !== null &&
        report.transid !== null &&
        before.get(found.id)?.[found.row]?.transid === report.transid;
      if (!found || !report.status || (trustBefore.get(key as string) === 'transid' && !ownBefore)) {
        unmatched++;
        continue;
      }
      matchedReports++;
      const fields = JSON.stringify([
        key,
        report.transid,
        report.status,
        report.code,
        report.description,
        report.carrier,
        report.timestamp,
      ]);
      if (ownBefore && report.timestamp !== null && ownReports.has(fields)) {
        repeatedReports++;
        continue;
      }
      const row = want.get(found.id)?.[found.row] as RowView;
      row.transid ??= report.transid;
      const own = report.transid !== null && report.transid === row.transid;
      if (own && report.timestamp !== null) ownReports.add(fields);
      const level = trust.get(key as string);
      if (!own && level === 'transid') continue;
      const overrules = own && level === 'reference';
      // Set again even to the status it had: its time changes, so only the fields picked are compared.
      if (overrules) row.updatedAt = 'set again';
      const applies = overrules || canAdvance(row.status, report.status);
      if (own) trust.set(key as string, 'transid');
      else if (applies && level === undefined) trust.set(key as string, 'reference');
      if (applies) {
        Object.assign(row, { status: report.status, code: report.code, description: report.description });
      }
    }
  } else if (status === 200) expected.replies++;
  else if (status === 429) expected.rateLimited++;
  else if (status !== 404 && status !== 405) expected.rejected++;
  expected.unmatched += unmatched;

  const after = await snapshot();
  for (const [id, rows] of after) {
    rows.forEach((row, index) => {
      const was = before.get(id)?.[index] as RowView;
      const due = want.get(id)?.[index] as RowView;
      const where = `row ${index} of ${id} after ${status}`;
      if (JSON.stringify(due) === JSON.stringify(was)) expect(row, where).toEqual(was);
      else expect(pick(row), where).toEqual(pick(due));
    });
  }
  expect(await stats()).toEqual(expected);
  expect((await lines(join(dataDir, 'unmatched-reports.ndjson'))).length - unmatchedBefore).toBe(unmatched);
  expect(statsBefore.unmatched + unmatched).toBe(expected.unmatched);
}

// ---------------------------------------------------------------------------------------------------
// Payloads

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
];
const contentType = fc.constantFrom(...CONTENT_TYPES);
const endpoint = fc.constantFrom<Endpoint>('dr', 'mo');
const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'undefined');

const STATES = [
  ['Submitted', '7501'],
  ['Delivered', '7500'],
  ['Un-Delivered', '7203'],
  ['Failed', '7201'],
  ['Un-Delivered', '7208'],
  ['Clicked', '7528'],
  ['Pending', '1'],
] as const;

/** A well-formed report about a row of either campaign (sent or not), or of none. */
function validReport() {
  const transids = [...campaignsRows.values()].flat().flatMap((r) => (r.transid ? [r.transid] : []));
  return fc
    .record({
      campaign: fc.constantFrom(...campaigns, '20990101-0000-abcdef'),
      row: fc.integer({ min: 0, max: ROWS + 2 }),
      state: fc.constantFrom(...STATES),
      transid: fc.oneof(
        fc.constant('own'),
        fc.constantFrom(...transids),
        fc.uuid(),
        fc.constant(''),
        fc.constant(undefined),
      ),
      correlation: fc.oneof(
        { weight: 4, arbitrary: fc.constant('own') },
        fc.constant(undefined),
        fc.string({ maxLength: 20 }),
      ),
    })
    .map(({ campaign, row, state, transid, correlation }) => ({
      deliveryInfoNotification: {
        deliveryInfo: {
          timeStamp: '2022-10-10T13:53:13.749+01:00',
          Description: state[0],
          code: state[1],
          destination: '14155551000',
          deliveryStatus: state[0],
        },
        carrier: 'FUZZ',
        transid: transid === 'own' ? (campaignsRows.get(campaign)?.[row]?.transid ?? '') : transid,
        correlationid: correlation === 'own' ? `${campaign}.${row}` : correlation,
      },
    }));
}

const validReply = fc.record({
  oa: fc.oneof(fc.constant('14155551001'), fc.string({ maxLength: 16 })),
  da: fc.constant('56263'),
  message: fc.string({ maxLength: 40 }),
  datetime: fc.constant('2024-01-07T14:36:09.266Z'),
});

type Json = Record<string, unknown>;

/** Every object inside a value, with the value itself first. */
function objectsIn(value: unknown): Json[] {
  if (value === null || typeof value !== 'object') return [];
  return [value as Json, ...Object.values(value).flatMap(objectsIn)];
}

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2);

/** One change to a payload, applied to a copy; picks are indices reduced modulo the payload's own size. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop'), pick: fc.nat(), key: fc.nat() }),
  fc.record({
    kind: fc.constant('set'),
    pick: fc.nat(),
    key: fc.nat(),
    value: fc.oneof(fc.jsonValue(), hugeNumber),
  }),
  fc.record({ kind: fc.constant('case'), pick: fc.nat(), key: fc.nat(), upper: fc.boolean() }),
  fc.record({
    kind: fc.constant('hostile-key'),
    pick: fc.nat(),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    value: fc.jsonValue(),
  }),
  fc.record({ kind: fc.constant('hide'), key: fc.constantFrom('__proto__', 'constructor') }),
  fc.record({
    kind: fc.constant('repeat'),
    times: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 98, max: 400 })),
  }),
  fc.record({ kind: fc.constant('nest'), levels: fc.integer({ min: 1, max: 200 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(payload: unknown, m: Mutation): unknown {
  const copy = structuredClone(payload);
  const objects = objectsIn(copy);
  const at = (pick: number) => objects[pick % objects.length] as Json;
  const keyOf = (o: Json, key: number) => Object.keys(o)[key % Math.max(1, Object.keys(o).length)];
  switch (m.kind) {
    case 'drop': {
      const o = at(m.pick);
      const key = keyOf(o, m.key);
      if (key !== undefined) delete o[key];
      return copy;
    }
    case 'set': {
      const o = at(m.pick);
      o[keyOf(o, m.key) ?? 'extra'] = m.value;
      return copy;
    }
    case 'case': {
      const o = at(m.pick);
      const key = keyOf(o, m.key);
      if (key === undefined) return copy;
      const value = o[key];
      delete o[key];
      o[m.upper ? key.toUpperCase() : key.toLowerCase()] = value;
      return copy;
    }
    case 'hostile-key':
      Object.defineProperty(at(m.pick), m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return copy;
    case 'hide': {
      const wrapper: Json = {};
      Object.defineProperty(wrapper, m.key, {
        value: copy,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return wrapper;
    }
    case 'repeat':
      return Array.from({ length: m.times }, () => copy);
    case 'nest': {
      let nested: unknown = copy;
      for (let i = 0; i < m.levels; i++) nested = [nested];
      return nested;
    }
  }
}

/** The bytes of a payload, sometimes broken: cut short, or with bytes that are not UTF-8. */
const encoding = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'plain' as const }) },
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('bad-utf8' as const),
    at: fc.nat(),
    bytes: fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]),
  }),
);

type Encoding = typeof encoding extends fc.Arbitrary<infer E> ? E : never;

function encode(payload: unknown, e: Encoding): Buffer {
  const bytes = json(payload);
  if (e.kind === 'plain') return bytes;
  const at = e.at % (bytes.length + 1);
  if (e.kind === 'cut') return bytes.subarray(0, at);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(e.bytes), bytes.subarray(at)]);
}

// ---------------------------------------------------------------------------------------------------

describe('receiver fuzz: every post is answered, and only a valid report changes a row', () => {
  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, fc.uint8Array({ maxLength: 600 }), contentType, async (to, bytes, type) => {
        await check({ endpoint: to, body: Buffer.from(bytes), contentType: type });
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it('arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, fc.jsonValue({ maxDepth: 6 }), contentType, async (to, value, type) => {
        await check({ endpoint: to, body: json(value), contentType: type });
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  it('delivery reports, valid and mutated', async () => {
    campaignsRows = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        validReport(),
        fc.array(mutation, { maxLength: 3 }),
        encoding,
        contentType,
        async (report, mutations, enc, type) => {
          const payload = mutations.reduce<unknown>(mutate, report);
          await check({ endpoint: 'dr', body: encode(payload, enc), contentType: type });
        },
      ),
      { numRuns: 400, seed: SEED },
    );
  });

  it('replies, valid and mutated', async () => {
    await fc.assert(
      fc.asyncProperty(
        validReply,
        fc.array(mutation, { maxLength: 2 }),
        encoding,
        async (reply, mutations, enc) => {
          const payload = mutations.reduce<unknown>(mutate, reply);
          await check({ endpoint: 'mo', body: encode(payload, enc), contentType: 'application/json' });
        },
      ),
      { numRuns: 120, seed: SEED },
    );
  });

  it('still takes reports in, and kept every report, reply and refusal it counted', async () => {
    const rows = (await snapshot()).get(campaigns[0] as string);
    const open = rows?.findIndex((r) => sent(r) && r.status !== 'delivered');
    if (open !== undefined && open >= 0) {
      await check({
        endpoint: 'dr',
        body: json({
          deliveryInfoNotification: {
            deliveryInfo: { deliveryStatus: 'Delivered', code: '7500' },
            correlationid: `${campaigns[0]}.${open}`,
            transid: rows?.[open]?.transid ?? '',
          },
        }),
      });
    }
    const counted = await stats();
    expect(counted).toEqual(expected);
    // The fuzzing reached every outcome.
    expect(counted.deliveryReports).toBeGreaterThan(0);
    expect(counted.replies).toBeGreaterThan(0);
    expect(counted.unmatched).toBeGreaterThan(0);
    expect(counted.rejected).toBeGreaterThan(0);
    expect(matchedReports).toBeGreaterThan(0);

    const secret = new URL(desk.receiver.url).pathname.slice(1);
    await desk.close();
    closed = true;
    const journals = await Promise.all(
      campaigns.map((id) => lines(join(dataDir, 'campaigns', id, 'journal.ndjson'))),
    );
    const reports = journals.flat().filter((e) => (e as { t: string }).t === 'dr');
    expect(reports).toHaveLength(matchedReports - repeatedReports);
    const payloads = (await lines(join(dataDir, 'report-payloads.ndjson'))) as { raw?: unknown }[];
    expect(payloads).toHaveLength(reports.length);
    expect(payloads.every((e) => e.raw !== undefined && e.raw !== null)).toBe(true);
    const unmatched = (await lines(join(dataDir, 'unmatched-reports.ndjson'))) as { raw?: unknown }[];
    expect(unmatched).toHaveLength(counted.unmatched);
    expect(unmatched.every((e) => e.raw !== undefined)).toBe(true);
    const inbox = (await lines(join(dataDir, 'inbox.ndjson'))) as { raw?: unknown }[];
    expect(inbox).toHaveLength(counted.replies);
    expect(inbox.every((e) => e.raw !== undefined)).toBe(true);
    const refusedText = await readFile(join(dataDir, 'rejected-posts.ndjson'), 'utf8');
    const refused = refusedText.trim().split('\n');
    // Older refusals may have been dropped to keep the file under its cap; the newest are there.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(counted.rejected);
    expect(Buffer.byteLength(refusedText)).toBeLessThanOrEqual(1024 * 1024);
    expect(refusedText).not.toContain(secret);
  });
});
