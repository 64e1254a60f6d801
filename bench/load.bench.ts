/**
 * Load through the embedded Sandbox: a 100,000-row campaign sent at 10,000 msg/s, each message answered with a
 * 'Submitted' and a final delivery report posted back to the receiver, until every row is final. Printed beside a
 * baseline measured in the same run: the same rows at the same rate through a Sandbox that posts no reports (the
 * send alone, rows left 'queued'). Each round runs in its own process so that peak RSS and the most descriptors
 * open at once (read from /proc/self/fd every 100 ms) are its own.
 *   LOAD_ROWS, LOAD_RATE: other sizes and rates.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeDesk } from '../electron/core/node-desk';
import { usDraft } from './us-draft';

const ROWS = Number(process.env.LOAD_ROWS ?? 100_000);
const RATE = Number(process.env.LOAD_RATE ?? 10_000);
const SETTLE_TIMEOUT_MS = 600_000;

interface RoundResult {
  sendSeconds: number;
  finalSeconds: number | null;
  counts: Record<string, number>;
  peakRssMb: number;
  maxFds: number | null;
  failedPosts: number;
}

function openDescriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

async function round(reports: boolean): Promise<RoundResult> {
  const dir = await mkdtemp(join(tmpdir(), 'load-bench-'));
  let maxFds: number | null = openDescriptors();
  let peakRss = process.memoryUsage.rss();
  const sample = setInterval(() => {
    const fds = openDescriptors();
    if (fds !== null) maxFds = Math.max(maxFds ?? 0, fds);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const desk = await startNodeDesk(join(dir, 'home'), {
    restoreSchedules: false,
    sandbox: {
      failureShare: 0.1,
      submittedDelayMs: 50,
      finalDelayMs: 200,
      seed: 1,
      tps: null,
      deliveryReports: reports,
    },
  });
  try {
    const id = await usDraft(desk, ROWS, 'load.csv');
    const started = performance.now();
    await desk.send(id, { rate: RATE });
    await desk.finished(id);
    const sendSeconds = (performance.now() - started) / 1000;
    const settled = reports && (await desk.settled(id, SETTLE_TIMEOUT_MS));
    const finalSeconds = settled ? (performance.now() - started) / 1000 : null;
    const { counts } = await desk.handlers['campaigns.get']({ id });
    return {
      sendSeconds,
      finalSeconds,
      counts: counts as Record<string, number>,
      peakRssMb: peakRss / 1024 / 1024,
      maxFds,
      failedPosts: desk.simulator.failedPostCount,
    };
  } finally {
    clearInterval(sample);
    await desk.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function inChild(mode: 'reports' | 'no-reports'): RoundResult {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), mode],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  );
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !line.startsWith('{')) throw new Error(`${mode} round failed: ${result.stdout}`);
  return JSON.parse(line) as RoundResult;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

function print(label: string, r: RoundResult): void {
  const final = r.finalSeconds === null ? '—' : `${r.finalSeconds.toFixed(1)} s`;
  console.log(
    `  ${label.padEnd(28)} ${fmt(ROWS / r.sendSeconds).padStart(7)} msg/s sent   all final ${final.padStart(8)}` +
      `   peak RSS ${fmt(r.peakRssMb).padStart(5)} MB   max fds ${String(r.maxFds ?? 'n/a').padStart(5)}`,
  );
}

async function main(): Promise<void> {
  console.log(`${cpus().length} cores, Node ${process.version}`);
  const withReports = inChild('reports');
  const baseline = inChild('no-reports');
  console.log(`Load, ${fmt(ROWS)} rows through the embedded Sandbox at ${fmt(RATE)} msg/s:`);
  print('with delivery reports', withReports);
  print('baseline: no reports posted', baseline);
  console.log(`  rows: ${JSON.stringify(withReports.counts)}; reports not taken: ${withReports.failedPosts}`);
  const final = ['delivered', 'undelivered', 'failed', 'expired', 'rejected', 'skipped'];
  const finalRows = final.reduce((sum, status) => sum + (withReports.counts[status] ?? 0), 0);
  console.log(`  every row final: ${finalRows === ROWS ? 'yes' : `NO (${fmt(finalRows)} of ${fmt(ROWS)})`}`);
}

const mode = process.argv[2];
if (mode === 'reports' || mode === 'no-reports') console.log(JSON.stringify(await round(mode === 'reports')));
else await main();
