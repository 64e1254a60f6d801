/**
 * A campaign reopened from its snapshot and the journal's tail after it reads exactly as one whose whole journal is
 * replayed; a snapshot that is damaged, of another format or not made from the journal beside it is not used.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import {
  acceptedRows,
  importCampaign,
  phone,
  QUIET_SANDBOX,
  rowsOf,
  tempHome,
  view,
  waitFor,
  type Home,
} from './sending-support';

const ROWS = 300;
const SANDBOX = { ...QUIET_SANDBOX, failureShare: 0.3 };
let home: Home;
let id: string;
/** The snapshot written when the desk closed with the campaign paused part way, and the journal's length then. */
let midSnapshot: Buffer;
let midOffset: number;
/** The snapshot and journal once every row is final. */
let fullSnapshot: Buffer;
let fullJournal: Buffer;

const file = (name: string) => join(home.dir, 'home', 'campaigns', id, name);

beforeAll(async () => {
  home = await tempHome();
  let desk = await home.start({ sandbox: SANDBOX });
  id = await importCampaign(desk, ROWS);
  await desk.testSend(id, 3, '+14155550100');
  await desk.send(id, { rate: 1000, batchSize: 10, maxInFlight: 2 });
  await waitFor(() => acceptedRows(desk.simulator, id).size >= ROWS / 3);
  await desk.pause(id);
  // Its reports all in: this Sandbox goes with this desk.
  expect(await desk.settled(id, 30_000)).toBe(true);
  await home.close(desk);
  midSnapshot = await readFile(file('snapshot.bin'));
  midOffset = (await stat(file('journal.ndjson'))).size;

  desk = await home.start({ sandbox: SANDBOX });
  await desk.send(id, { rate: 1000, batchSize: 10, maxInFlight: 2 });
  await desk.finished(id);
  expect(await desk.settled(id, 30_000)).toBe(true);
  // Written while the desk is open, once the campaign has gone idle.
  const open = await desk.campaign(id);
  const written = async () => open.snapshots.covers === (await stat(file('journal.ndjson'))).size;
  await waitFor(written, 10_000);
  await home.close(desk);
  fullSnapshot = await readFile(file('snapshot.bin'));
  fullJournal = await readFile(file('journal.ndjson'));
  expect(midOffset).toBeLessThan(fullJournal.length);
}, 90_000);

afterAll(async () => {
  await home.cleanup();
});

/** Everything the app shows of the campaign: its view, rows, each row's reports, dashboard and report. */
async function shown(desk: Desk) {
  const rows = await rowsOf(desk, id);
  const details = [];
  for (let row = 0; row < ROWS; row++) details.push(await desk.handlers['campaigns.row']({ id, row }));
  return {
    view: await view(desk, id),
    rows,
    details,
    dashboard: await desk.handlers['campaigns.dashboard']({ id }),
    report: (await desk.report(id)).csv,
  };
}

/** Opens the campaign with these files; what it shows and the journal offset its snapshot covered. */
async function reopen(journal: Buffer, snapshot: Buffer | null) {
  await writeFile(file('journal.ndjson'), journal);
  if (snapshot) await writeFile(file('snapshot.bin'), snapshot);
  else await rm(file('snapshot.bin'), { force: true });
  const desk = await home.start({ sandbox: SANDBOX });
  try {
    const covers = (await desk.campaign(id)).snapshots.covers;
    return { covers, shown: await shown(desk) };
  } finally {
    await home.close(desk);
  }
}

/** The campaign as History lists it from its summary, the desk that left it on disk closed. */
async function listed() {
  const desk = await home.start({ sandbox: SANDBOX });
  try {
    const views = await desk.handlers['campaigns.list']({ includeArchived: true });
    expect(desk.registry.openCount).toBe(0);
    return views.find((v) => v.id === id);
  } finally {
    await home.close(desk);
  }
}

function withByte(bytes: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = value;
  return copy;
}

describe('a campaign reopened from its snapshot', () => {
  const lastLineAt = () => fullJournal.lastIndexOf('\n', fullJournal.length - 2) + 1;
  const cases: { name: string; files: () => [Buffer, Buffer]; covers: () => number }[] = [
    {
      name: 'the snapshot taken part way, and the journal after it',
      files: () => [fullJournal, midSnapshot],
      covers: () => midOffset,
    },
    {
      name: 'the snapshot covering the whole journal',
      files: () => [fullJournal, fullSnapshot],
      covers: () => fullJournal.length,
    },
    {
      name: 'lines another process appended after the snapshot, a damaged one among them',
      files: () => {
        const lines = fullJournal.toString('utf8').trimEnd().split('\n');
        const reports = lines.filter((l) => l.includes('"t":"dr"')).slice(-3);
        const resend = JSON.stringify({ t: 'resend', at: new Date().toISOString(), rows: [1, 2] });
        const tail = [...reports, '{"t":"batch","at":"x","rows":[5,6', resend].join('\n') + '\n';
        return [Buffer.concat([fullJournal, Buffer.from(tail)]), fullSnapshot];
      },
      covers: () => fullJournal.length,
    },
    {
      name: 'a damaged snapshot',
      files: () => [
        fullJournal,
        withByte(fullSnapshot, fullSnapshot.length >> 1, fullSnapshot[fullSnapshot.length >> 1]! ^ 1),
      ],
      covers: () => 0,
    },
    {
      name: 'a snapshot of another format',
      files: () => [fullJournal, withByte(fullSnapshot, 7, 0)],
      covers: () => 0,
    },
    {
      name: 'a journal whose last line is not the one the snapshot was made after',
      files: () => [withByte(fullJournal, lastLineAt() + 2, 'x'.charCodeAt(0)), fullSnapshot],
      covers: () => 0,
    },
    {
      name: 'a journal shorter than the snapshot (an older copy put back)',
      files: () => [fullJournal.subarray(0, midOffset), fullSnapshot],
      covers: () => 0,
    },
  ];

  for (const c of cases) {
    it(`shows what a whole replay shows: ${c.name}`, async () => {
      const [journal, snapshot] = c.files();
      const fromSnapshot = await reopen(journal, snapshot);
      expect(fromSnapshot.covers).toBe(c.covers());
      const replayed = await reopen(journal, null);
      expect(replayed.covers).toBe(0);
      expect(fromSnapshot.shown).toEqual(replayed.shown);
    }, 30_000);
  }

  it('keeps the unknown rows and when the last of them may be sent again', async () => {
    const midJournal = fullJournal.subarray(0, midOffset);
    const sent = new Set<number>();
    for (const line of midJournal.toString('utf8').trimEnd().split('\n')) {
      const event = JSON.parse(line) as { t: string; rows?: number[] };
      if (event.t === 'batch') for (const row of event.rows ?? []) sent.add(row);
    }
    const unsent = Array.from({ length: ROWS }, (_, row) => row).filter((row) => !sent.has(row));
    const [first, second, third] = unsent as [number, number, number];
    const unknownLines = (rows: number[], at: string) => [
      { t: 'batch', at, rows },
      ...rows.map((row) => ({
        t: 'result',
        at,
        row,
        status: 'unknown',
        code: null,
        description: 'No answer',
        transid: null,
      })),
    ];
    const tail = [
      ...unknownLines([first, second], '2026-01-01T10:00:00.000Z'),
      ...unknownLines([third], '2026-01-01T10:05:00.000Z'),
    ];
    const journal = Buffer.concat([
      midJournal,
      Buffer.from(tail.map((e) => JSON.stringify(e) + '\n').join('')),
    ]);
    // Replayed whole, then closed: the snapshot written at close holds the unknown rows.
    await reopen(journal, null);
    const snapshot = await readFile(file('snapshot.bin'));

    const fromSnapshot = await reopen(journal, snapshot);
    expect(fromSnapshot.covers).toBe(journal.length);
    const listedFromSnapshot = await listed();
    const replayed = await reopen(journal, null);
    expect(fromSnapshot.shown).toEqual(replayed.shown);
    expect(listedFromSnapshot).toEqual(await listed());
    expect(listedFromSnapshot?.unknownResendableAt).toBe(fromSnapshot.shown.view.unknownResendableAt);
    expect(fromSnapshot.shown.view.counts.unknown).toBe(3);
    expect(fromSnapshot.shown.view.unknownResendableAt).not.toBeNull();
    expect(Date.parse(fromSnapshot.shown.view.unknownResendableAt!)).toBeGreaterThan(
      Date.parse('2026-01-01T10:05:00.000Z'),
    );
  }, 30_000);

  it('replays the whole journal once a number of the campaign has opted out since the snapshot', async () => {
    const optOut = async (add: boolean) => {
      const desk = await home.start({ sandbox: SANDBOX });
      if (add)
        await desk.handlers['suppression.add']({ numbers: [phone(7)], defaultCountry: 'US', reason: 'test' });
      else await desk.handlers['suppression.remove']({ numbers: [phone(7)] });
      await home.close(desk);
    };
    await optOut(true);
    try {
      const fromSnapshot = await reopen(fullJournal, fullSnapshot);
      expect(fromSnapshot.covers).toBe(0);
      expect(fromSnapshot.shown).toEqual((await reopen(fullJournal, null)).shown);
    } finally {
      await optOut(false);
    }
  }, 30_000);

  it('was sent with reports of every kind, and leaves the journal as it was', async () => {
    const { shown: seen } = await reopen(fullJournal, fullSnapshot);
    expect(Object.keys(seen.view.counts)).toEqual(expect.arrayContaining(['delivered', 'undelivered']));
    expect(seen.view.testSend).not.toBeNull();
    expect((await readFile(file('journal.ndjson'))).equals(fullJournal)).toBe(true);
  }, 30_000);
});
