/**
 * A campaign's journal damaged on disk (a line cut, a byte flipped, bytes added) never makes resume send a row the
 * platform already took; what was assumed is shown in the campaign's view.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { DeskError } from '../../electron/core/errors';
import { acceptedRows, importCampaign, rowsOf, tempHome, view, waitFor, type Home } from './sending-support';

const ROWS = 40;
let home: Home;
let desk: Desk;
let sentId: string;
/** The journal of a campaign paused with about half its rows sent, and those rows. */
let original: Buffer;
let accepted: Set<number>;
let copies = 0;

beforeAll(async () => {
  home = await tempHome();
  desk = await home.start();
  sentId = await importCampaign(desk, ROWS);
  await desk.send(sentId, { rate: 200, batchSize: 4, maxInFlight: 2 });
  await waitFor(() => acceptedRows(desk.simulator, sentId).size >= ROWS / 2);
  await desk.pause(sentId);
  // Some delivery reports in the journal too.
  await waitFor(async () => ((await view(desk, sentId)).counts.delivered ?? 0) > 0);
  original = await readFile(journalPath(sentId));
  accepted = new Set(acceptedRows(desk.simulator, sentId).keys());
  expect(accepted.size).toBeLessThan(ROWS);
}, 60_000);

afterAll(async () => {
  await home.cleanup();
});

function journalPath(id: string): string {
  return join(home.dir, 'home', 'campaigns', id, 'journal.ndjson');
}

/** A new campaign with the sent one's definition and rows, and `journal` as its journal. */
async function copyWithJournal(journal: Buffer): Promise<string> {
  const id = `damaged-${++copies}`;
  const from = join(home.dir, 'home', 'campaigns', sentId);
  const to = join(home.dir, 'home', 'campaigns', id);
  await mkdir(to);
  const def = JSON.parse(await readFile(join(from, 'campaign.json'), 'utf8')) as { id: string };
  await writeFile(join(to, 'campaign.json'), JSON.stringify({ ...def, id }));
  await copyFile(join(from, 'recipients.ndjson'), join(to, 'recipients.ndjson'));
  await writeFile(journalPath(id), journal);
  return id;
}

/** Resumes the copy; returns the rows the platform took for it. */
async function resume(id: string): Promise<Set<number>> {
  try {
    await desk.send(id);
    await desk.finished(id);
  } catch (error) {
    // Damage may leave nothing to send ("No row is ready to send."): that sends nothing twice either.
    if (!(error instanceof DeskError)) throw error;
  }
  return new Set(acceptedRows(desk.simulator, id).keys());
}

function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = bytes.indexOf(0x0a); i !== -1 && i + 1 < bytes.length; i = bytes.indexOf(0x0a, i + 1))
    starts.push(i + 1);
  return starts;
}

/** The journal with line `n` (from 0) replaced by what `edit` makes of it. */
function withLine(n: number, edit: (line: string) => string): Buffer {
  const lines = original.toString('utf8').split('\n');
  lines[n] = edit(lines[n] as string);
  return Buffer.from(lines.join('\n'));
}

function firstLine(kind: string): number {
  return original
    .toString('utf8')
    .split('\n')
    .findIndex((line) => line.startsWith(`{"t":"${kind}"`));
}

describe('a damaged journal line', () => {
  it('leaves the rows of a damaged batch line counted as sent when their answers are in the journal', async () => {
    const n = firstLine('batch');
    const rows = (JSON.parse(original.toString('utf8').split('\n')[n] as string) as { rows: number[] }).rows;
    const id = await copyWithJournal(withLine(n, (line) => line.replace('"batch"', '"bat\u00e7h"')));
    const shown = await view(desk, id);
    expect(shown.journalDamage).toEqual([
      `Line ${n + 1} of this campaign's journal was damaged: rows ${rows[0]! + 1}–${rows.at(-1)! + 1} were counted as sent (answers or reports for them were found).`,
    ]);
    // The command line's report says it too.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'bin/campaign-desk.js',
        'report',
        id,
        '--out',
        join(home.dir, 'report.csv'),
        '--data-dir',
        join(home.dir, 'home'),
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 30_000 },
    );
    expect(stdout.split('\n')).toContain(shown.journalDamage[0]);
    // `resume` on the command line says it before it sends anything (on a copy: the rows here stay unsent).
    const copy = await copyWithJournal(withLine(n, (line) => line.replace('"batch"', '"bat\u00e7h"')));
    const resumed = await promisify(execFile)(
      process.execPath,
      ['bin/campaign-desk.js', 'resume', copy, '--json', '--wait', '0', '--data-dir', join(home.dir, 'home')],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 30_000 },
    );
    const events = resumed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; note?: string });
    const firstSend = events.findIndex((e) => e.event === 'progress' || e.event === 'sent');
    const said = events.findIndex((e) => e.event === 'journal-damage');
    expect(events[said]?.note).toBe(shown.journalDamage[0]);
    expect(said).toBeLessThan(firstSend === -1 ? events.length : firstSend);
    expect(said).toBe(0);
    const sent = await resume(id);
    for (const row of sent) expect(accepted.has(row), `row ${row} sent twice`).toBe(false);
    expect(sent.size).toBe(ROWS - accepted.size);
  });

  it('marks unknown, and never sends by itself, the rows a damaged line names with nothing else in the journal', async () => {
    const text = original.toString('utf8').split('\n');
    const n = firstLine('batch');
    const rows = (JSON.parse(text[n] as string) as { rows: number[] }).rows;
    // The batch's answers and reports gone too: only the damaged line says the rows may have been sent.
    const kept = text
      .map((line, i) => (i === n ? line.slice(0, line.indexOf(']') - 1) : line))
      .filter(
        (line) =>
          !/^\{"t":"(result|dr)"/.test(line) || !rows.includes((JSON.parse(line) as { row: number }).row),
      );
    const id = await copyWithJournal(Buffer.from(kept.join('\n')));
    const shown = await view(desk, id);
    expect(shown.counts.unknown).toBe(rows.length);
    expect(shown.journalDamage).toEqual([
      `Line ${n + 1} of this campaign's journal was damaged: rows ${rows[0]! + 1}–${rows.at(-1)! + 1} may have been sent, so they are marked unknown and will not be sent again unless you choose to.`,
    ]);
    const sent = await resume(id);
    for (const row of rows) expect(sent.has(row)).toBe(false);
    for (const row of sent) expect(accepted.has(row)).toBe(false);
  });

  it('keeps a campaign sent, and its rows, when the line of its start is damaged', async () => {
    const text = original.toString('utf8').split('\n');
    const n = firstLine('start');
    // The run's end is gone too, as after a crash: without its start the campaign would read as a draft.
    const kept = text
      .map((line, i) => (i === n ? line.replace('"start"', '"st@rt"') : line))
      .filter((line) => !line.startsWith('{"t":"end"'));
    const id = await copyWithJournal(Buffer.from(kept.join('\n')));
    const shown = await view(desk, id);
    expect(shown.state).toBe('stopped');
    expect(shown.counts.ready).toBe(ROWS - accepted.size);
    const sent = await resume(id);
    expect(sent.size).toBe(ROWS - accepted.size);
    for (const row of sent) expect(accepted.has(row)).toBe(false);
  });

  it('reads a report glued onto what a failed write left of a line, and sends its row no second time', async () => {
    const text = original.toString('utf8').split('\n');
    const n = text.findIndex((line) => line.startsWith('{"t":"dr"'));
    // The line before the report lost its end and its newline: the report was appended onto it.
    const glued = [
      ...text.slice(0, n - 1),
      (text[n - 1] as string).slice(0, 20) + text[n],
      ...text.slice(n + 1),
    ];
    const id = await copyWithJournal(Buffer.from(glued.join('\n')));
    const row = (JSON.parse(text[n] as string) as { row: number }).row;
    expect((await desk.handlers['campaigns.rows']({ id, offset: row, limit: 1 })).rows[0]?.status).not.toBe(
      'ready',
    );
    expect((await view(desk, id)).journalDamage[0]).toMatch(
      new RegExp(`^Line ${n} of this campaign's journal`),
    );
    const sent = await resume(id);
    for (const r of sent) expect(accepted.has(r)).toBe(false);
  });
});

type Damage =
  | { kind: 'cut'; at: number; glue: boolean }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'pad'; at: number; bytes: Uint8Array };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), glue: fc.boolean() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('pad' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
);

function damaged(bytes: Buffer, d: Damage): Buffer {
  const at = d.at % bytes.length;
  switch (d.kind) {
    case 'cut': {
      // A line loses its end from `at`; glued, the next line follows straight on.
      const end = bytes.indexOf(0x0a, at);
      if (end === -1) return bytes.subarray(0, at);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(d.glue ? end + 1 : end)]);
    }
    case 'flip': {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] as number) ^ d.mask;
      return copy;
    }
    case 'pad':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(d.bytes), bytes.subarray(at)]);
  }
}

it('never sends again a row the platform took, however the journal is cut, flipped or padded', async () => {
  let shownDamage = 0;
  let resumedWithSends = 0;
  expect(lineStarts(original).length).toBeGreaterThan(20);
  await fc.assert(
    fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 3 }), async (damages) => {
      const id = await copyWithJournal(damages.reduce(damaged, original));
      const opened = await view(desk, id);
      if (opened.journalDamage.length > 0) shownDamage++;
      // The counts the view keeps as rows change agree with the rows, whatever the replay made of them.
      const recount: Record<string, number> = {};
      for (const row of await rowsOf(desk, id)) recount[row.status] = (recount[row.status] ?? 0) + 1;
      expect(opened.counts).toEqual(recount);
      const sent = await resume(id);
      if (sent.size > 0) resumedWithSends++;
      const twice = [...sent].filter((row) => accepted.has(row));
      expect(twice, `rows sent again after ${JSON.stringify(damages)}`).toEqual([]);
    }),
    { numRuns: 30 },
  );
  // The runs damaged lines that were reported, and resumed campaigns that still had rows to send.
  expect(shownDamage).toBeGreaterThan(5);
  expect(resumedWithSends).toBeGreaterThan(5);
}, 60_000);
