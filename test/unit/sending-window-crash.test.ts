import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { acceptedRows, journal, runCli, tempHome, waitFor, type CliRun, type Home } from './sending-support';

const KEY = 'window-crash-key-41d9';
const ID = 'window-crash';
const LONDON = 80;
const TOKYO = 40;

let home: Home;
let sim: Simulator;

beforeAll(async () => {
  home = await tempHome();
  sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 20, finalDelayMs: 20 });
});

afterAll(async () => {
  await sim.close();
  await home.cleanup();
});

function cli(args: string[]): CliRun {
  return runCli(args, join(home.dir, 'home'), { CAMPAIGN_DESK_KEY: KEY });
}

/** From an hour before London's present hour to two after: open in London now, shut in Tokyo for hours. */
function windowOpenInLondon(): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
      Date.now(),
    ),
  );
  const clock = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  return `${clock(hour - 1)}-${clock(hour + 2)}`;
}

const isTokyo = (row: number) => row % 3 === 2;

it('keeps the window across kill -9: the open zone is sent once, the shut one waits, unsent, after a resume', async () => {
  const csv = join(home.dir, 'people.csv');
  const lines = ['name,phone'];
  let london = 0;
  let tokyo = 0;
  for (let row = 0; row < LONDON + TOKYO; row++) {
    if (isTokyo(row)) lines.push(`Kenji ${row},+8135250${String(1000 + tokyo++)}`);
    else lines.push(`Ann ${row},+4420794${String(60000 + london++)}`);
  }
  await writeFile(csv, lines.join('\n'));
  const window = windowOpenInLondon();

  const first = cli(
    ['send', csv, '--text', 'Hi $(name)', '--sender', 'ACME', '--campaign-id', ID, '--window', window].concat(
      ['--api-url', sim.url, '--rate', '20', '--wait', '0', '--json'],
    ),
  );
  await waitFor(() => acceptedRows(sim, ID).size >= 20, 30_000);
  first.signal('SIGKILL');
  await first.code;
  const plan = first
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map(
      (line) => JSON.parse(line) as { event: string; window?: { now: number; waiting: { rows: number }[] } },
    )
    .find((event) => event.event === 'plan');
  expect(plan?.window).toMatchObject({ now: LONDON, waiting: [{ rows: TOKYO }] });

  // Rows caught between their batch and its answer are unknown: resume does not send them again by itself.
  const afterKill = await journal(home.dir, ID);
  const answered = new Set(afterKill.flatMap((e) => (e.t === 'result' ? [e.row] : [])));
  const caught = afterKill
    .flatMap((e) => (e.t === 'batch' ? e.rows : []))
    .filter((row) => !answered.has(row));
  const unsentCaught = caught.filter((row) => !acceptedRows(sim, ID).has(row)).length;

  // The journaled definition and start keep the window: resume waits for the same hours.
  const resumed = cli(['resume', ID, '--wait', '0', '--json']);
  await waitFor(() => acceptedRows(sim, ID).size >= LONDON - unsentCaught, 60_000);
  // Every London row has gone; the run goes on, waiting for Tokyo's window, until it is stopped.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  resumed.signal('SIGKILL');
  await resumed.code;

  const accepted = acceptedRows(sim, ID);
  expect(accepted.size).toBe(LONDON - unsentCaught);
  expect([...accepted.values()].every((times) => times === 1)).toBe(true);
  expect([...accepted.keys()].filter(isTokyo)).toEqual([]);
  const events = await journal(home.dir, ID);
  const [from, to] = window.split('-');
  const starts = events.filter((e) => e.t === 'start');
  expect(starts).toHaveLength(2);
  for (const start of starts) expect(start).toMatchObject({ window: { from, to } });
  const batched = events.flatMap((e) => (e.t === 'batch' ? e.rows : []));
  expect(batched.filter(isTokyo)).toEqual([]);
}, 120_000);
