import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JournalEvent } from '../../electron/core/campaigns/journal-events';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import {
  acceptedRows,
  journal,
  recipientsCsv,
  runCli,
  tempHome,
  waitFor,
  type CliRun,
  type Home,
} from './sending-support';

const KEY = 'crash-test-key-5b7e';
const ROWS = 600;
const ID = 'crash-and-resume';

let home: Home;
let sim: Simulator;

beforeAll(async () => {
  home = await tempHome();
  // The platform keeps posting a report its notify URL did not take, so reports for messages in flight at
  // a crash reach the next process (it listens on the same port).
  sim = await startSimulator({
    keys: [KEY],
    failureShare: 0,
    submittedDelayMs: 20,
    finalDelayMs: 20,
    reportRetries: 10,
    faults: { latencyMs: 40 },
  });
});

afterAll(async () => {
  await sim.close();
  await home.cleanup();
});

function cli(args: string[]): CliRun {
  return runCli(args, join(home.dir, 'home'), { CAMPAIGN_DESK_KEY: KEY });
}

/** What the journal proves about each row: batched (a request may have carried it), answered, released. */
function proof(events: JournalEvent[]) {
  const batched = new Map<number, number>();
  const settled = new Set<number>();
  for (const e of events) {
    if (e.t === 'batch') {
      for (const row of e.rows) {
        // A row goes out again only after the journal says its earlier batch queued nothing, or on the user's word.
        expect(batched.has(row) && !settled.has(row), `row ${row} batched twice`).toBe(false);
        batched.set(row, (batched.get(row) ?? 0) + 1);
        settled.delete(row);
      }
    }
    if (e.t === 'result' || e.t === 'dr') settled.add(e.row);
    if (e.t === 'released' || e.t === 'resend') for (const row of e.rows) settled.add(row);
  }
  const inFlight = [...batched.keys()].filter((row) => !settled.has(row));
  return { batched, inFlight };
}

async function killWhenAccepted(child: CliRun, count: number): Promise<void> {
  await waitFor(() => acceptedRows(sim, ID).size >= count, 30_000);
  child.signal('SIGKILL');
  await child.code;
}

it('survives kill -9 twice mid-campaign: resume sends every row at most once, none is lost, and the journal proves it', async () => {
  const csv = join(home.dir, 'people.csv');
  await writeFile(csv, recipientsCsv(ROWS));

  const first = cli([
    'send',
    csv,
    '--text',
    'Hi $(name)',
    '--sender',
    'ACME',
    '--campaign-id',
    ID,
    '--no-window',
    '--api-url',
    sim.url,
    '--rate',
    '150',
    '--wait',
    '0',
    '--report',
    join(home.dir, 'report.csv'),
    '--json',
  ]);
  await killWhenAccepted(first, 150);
  const afterFirst = proof(await journal(home.dir, ID));
  // Nothing went out that the journal had not recorded first.
  for (const row of acceptedRows(sim, ID).keys()) expect(afterFirst.batched.has(row)).toBe(true);
  expect(first.output().split('\n')[0]).toContain(`"campaign":"${ID}"`);

  // The service (with its key from the environment) is the one the journal names.
  const second = cli(['resume', ID, '--wait', '0', '--json']);
  await killWhenAccepted(second, 350);
  const afterSecond = proof(await journal(home.dir, ID));
  for (const row of acceptedRows(sim, ID).keys()) expect(afterSecond.batched.has(row)).toBe(true);
  // At least one kill caught rows between their journal entry and their answer.
  expect(afterFirst.inFlight.length + afterSecond.inFlight.length).toBeGreaterThan(0);
  // Rows caught in flight by a crash were never sent again by the engine.
  expect([...acceptedRows(sim, ID).values()].filter((n) => n > 1)).toEqual([]);

  // Once their grace window passes without a report, rows still unknown are sent again. The window is long
  // enough for the reports the platform posts again (up to 10 times over about 20 s) to reach a process
  // that starts slowly on a busy machine.
  const third = cli(['resume', ID, '--resend-unknown', '--grace', '12', '--wait', '15', '--json']);
  expect(await third.code, third.output()).toBe(0);
  const summary = JSON.parse(third.output().trim().split('\n').at(-1) as string) as Record<string, unknown>;
  expect(summary).toMatchObject({
    event: 'summary',
    state: 'completed',
    settled: true,
    counts: { delivered: ROWS },
  });

  const accepted = acceptedRows(sim, ID);
  expect(accepted.size).toBe(ROWS);
  expect([...accepted.values()].every((n) => n === 1)).toBe(true);
  const final = proof(await journal(home.dir, ID));
  expect(final.inFlight).toEqual([]);
  expect(final.batched.size).toBe(ROWS);
  // Two crashes: each left its in-flight rows unknown until a report or the user's resend settled them.
  const events = await journal(home.dir, ID);
  const interrupted = events.filter((e) => e.t === 'end' && e.error?.includes('interrupted'));
  expect(interrupted).toHaveLength(2);
  // The journal names the service it was sent through, never its key.
  expect(events.find((e) => e.t === 'start')).toMatchObject({
    serviceId: 'cli',
    baseUrl: sim.url,
    rate: 150,
  });
  expect(JSON.stringify(events)).not.toContain(KEY);
}, 120_000);
