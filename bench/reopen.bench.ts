/**
 * Reopening a large sent campaign: 1,000,000 rows sent through a real desk to the embedded Sandbox, each answered
 * with a 'Submitted' and a final delivery report, until every row is final; the desk closed, a new desk started on
 * the same data folder, the campaign reopened and its CSV report made. Printed beside a bare JSON-lines replay of
 * the same journal bytes (read in chunks, split into lines, each JSON.parse'd, nothing kept), measured in the same
 * run. Each step runs in its own process, so that its peak RSS is its own.
 *   BENCH_ROWS: another size; BENCH_RATE: another rate (messages per second).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeDesk } from '../electron/core/node-desk';
import { usDraft } from './us-draft';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
// Where reports keep up (about 2,600 a second, two a row). Faster, the embedded Sandbox holds at most
// MAX_PENDING_REPORTS rows' reports and throttles sends beyond them (7020): the send goes at the reports' pace.
const RATE = Number(process.env.BENCH_RATE ?? 1_200);
const SETTLE_TIMEOUT_MS = 3_600_000;
const TARGET = 3;

interface Step {
  seconds: number;
  reportSeconds?: number;
  snapshotUsed?: boolean;
  lines?: number;
  peakRssMb: number;
  counts?: Record<string, number>;
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function startDesk(home: string) {
  return startNodeDesk(home, {
    restoreSchedules: false,
    sandbox: { failureShare: 0.1, submittedDelayMs: 50, finalDelayMs: 200, seed: 1, tps: null },
  });
}

async function send(home: string): Promise<Step & { id: string }> {
  const desk = await startDesk(home);
  try {
    const id = await usDraft(desk, ROWS, 'reopen.csv');
    const started = performance.now();
    await desk.send(id, { rate: RATE });
    await desk.finished(id);
    if (!(await desk.settled(id, SETTLE_TIMEOUT_MS))) throw new Error('the campaign did not settle');
    const { counts } = await desk.handlers['campaigns.get']({ id });
    return {
      id,
      seconds: (performance.now() - started) / 1000,
      peakRssMb: peakRssMb(),
      counts: counts as Record<string, number>,
    };
  } finally {
    await desk.close();
  }
}

async function reopen(home: string, id: string): Promise<Step> {
  const desk = await startDesk(home);
  try {
    const started = performance.now();
    const { snapshots } = await desk.campaign(id);
    const seconds = (performance.now() - started) / 1000;
    const reportStarted = performance.now();
    const { csv } = await desk.report(id);
    const reportSeconds = (performance.now() - reportStarted) / 1000;
    if (csv.length === 0) throw new Error('empty report');
    return { seconds, reportSeconds, snapshotUsed: snapshots.covers > 0, peakRssMb: peakRssMb() };
  } finally {
    await desk.close();
  }
}

/** What any JSON-lines reader does at the least: every line of the file parsed, in 4 MB reads. */
async function bareReplay(path: string): Promise<Step> {
  const started = performance.now();
  const file = await open(path, 'r');
  let buffer = Buffer.alloc(4 * 1024 * 1024);
  let held = 0;
  let position = 0;
  let lines = 0;
  try {
    for (;;) {
      if (held === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
      const { bytesRead } = await file.read(buffer, held, buffer.length - held, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const end = held + bytesRead;
      let start = 0;
      for (let nl = buffer.indexOf(10, held); nl !== -1 && nl < end; nl = buffer.indexOf(10, start)) {
        JSON.parse(buffer.toString('utf8', start, nl));
        lines++;
        start = nl + 1;
      }
      buffer.copy(buffer, 0, start, end);
      held = end - start;
    }
  } finally {
    await file.close();
  }
  return { seconds: (performance.now() - started) / 1000, lines, peakRssMb: peakRssMb() };
}

function inChild<T>(...args: string[]): T {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env, maxBuffer: 1 << 20 },
  );
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !line.startsWith('{')) throw new Error(`${args[0]} failed: ${result.stdout}`);
  return JSON.parse(line) as T;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const s = (n: number) => `${n.toFixed(2)} s`.padStart(9);

async function main(): Promise<void> {
  console.log(`${cpus().length} cores, Node ${process.version}`);
  const dir = await mkdtemp(join(tmpdir(), 'reopen-bench-'));
  const home = join(dir, 'home');
  try {
    const sent = inChild<Step & { id: string }>('send', home);
    const folder = join(home, 'campaigns', sent.id);
    const journal = join(folder, 'journal.ndjson');
    const journalMb = (await stat(journal)).size / 1024 / 1024;
    const snapshotMb = (await stat(join(folder, 'snapshot.bin'))).size / 1024 / 1024;
    const bare = inChild<Step>('bare', journal);
    const withSnapshot = inChild<Step>('reopen', home, sent.id);
    await rm(join(folder, 'snapshot.bin'));
    const withoutSnapshot = inChild<Step>('reopen', home, sent.id);
    if (!withSnapshot.snapshotUsed || withoutSnapshot.snapshotUsed)
      throw new Error('snapshot use not as planned');

    console.log(`Reopen, ${fmt(ROWS)} rows sent at ${fmt(RATE)} msg/s with two reports each:`);
    console.log(`  sent and settled in ${s(sent.seconds)}   peak RSS ${fmt(sent.peakRssMb)} MB`);
    console.log(`  rows: ${JSON.stringify(sent.counts)}`);
    console.log(
      `  journal ${journalMb.toFixed(1)} MB, ${fmt(bare.lines ?? 0)} lines; snapshot ${snapshotMb.toFixed(1)} MB`,
    );
    const row = (label: string, step: Step) =>
      console.log(
        `  ${label.padEnd(34)} ${s(step.seconds)}   peak RSS ${fmt(step.peakRssMb).padStart(5)} MB`,
      );
    row('reopen with snapshot', withSnapshot);
    row('reopen without snapshot (full)', withoutSnapshot);
    console.log(`  ${'report CSV after reopen'.padEnd(34)} ${s(withSnapshot.reportSeconds ?? 0)}`);
    row('baseline: bare JSON-lines replay', bare);
    const ratio = withSnapshot.seconds / bare.seconds;
    const fullRatio = withoutSnapshot.seconds / bare.seconds;
    console.log(
      `  reopen / bare replay: ${ratio.toFixed(2)}x with snapshot (target ${TARGET}x: ${ratio <= TARGET ? 'met' : 'NOT MET'}),` +
        ` ${fullRatio.toFixed(2)}x without`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'send') console.log(JSON.stringify(await send(args[0] as string)));
else if (mode === 'reopen') console.log(JSON.stringify(await reopen(args[0] as string, args[1] as string)));
else if (mode === 'bare') console.log(JSON.stringify(await bareReplay(args[0] as string)));
else await main();
