/**
 * `campaign-desk preview --json` of a 1,000,000-row recipient file, its output written to a file, beside
 * papaparse's bare parse of the same file, each in a fresh process of this run. The CLI is built first, as
 * `npm install` builds it. Target: at most 3× the bare parse. Peak RSS is printed for both.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from './import-child';
import { recipientsFixture } from './recipients-fixture';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TARGET = 3;

execFileSync(process.execPath, ['scripts/build-node.js'], { stdio: 'inherit' });
const path = await recipientsFixture(ROWS);
console.log(`file: ${path}, ${(statSync(path).size / 1e6).toFixed(1)} MB, ${ROWS.toLocaleString()} rows`);

/** The high-water mark of a live process's resident memory (Linux), in MB; 0 once it has gone. */
function peakRssOf(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the built CLI's preview with stdout to a file: its time, peak RSS (sampled) and output. */
async function preview(): Promise<{ seconds: number; peakRssMb: number; outputMb: number; lines: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'preview-bench-'));
  const out = join(dir, 'preview.jsonl');
  const fd = openSync(out, 'w');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'bin/campaign-desk.js',
      'preview',
      path,
      '--text',
      'Hi $(first_name), your order is ready at our $(city) shop. Show this text for 10% off.',
      '--country',
      'GB',
      '--json',
      '--data-dir',
      dir,
    ],
    { stdio: ['ignore', fd, 'inherit'] },
  );
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, peakRssOf(child.pid as number))), 50);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);
  if (code !== 0) throw new Error(`preview exited with ${code}`);
  const outputMb = statSync(out).size / 1e6;
  const lines = Number(execFileSync('wc', ['-l', out], { encoding: 'utf8' }).trim().split(' ')[0]);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, peakRssMb, outputMb, lines };
}

// Alternated, and the medians compared: this machine's speed drifts by a fifth between runs a minute apart.
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const baselines: number[] = [];
const runs: Awaited<ReturnType<typeof preview>>[] = [];
let baselineRss = 0;
for (let i = 0; i < RUNS; i++) {
  const baseline = runImport('baseline', path);
  baselines.push(baseline.seconds);
  baselineRss = Math.max(baselineRss, baseline.peakRssMb);
  const run = await preview();
  runs.push(run);
  console.log(
    `  run ${i + 1}: bare parse ${baseline.seconds.toFixed(2)} s, preview ${run.seconds.toFixed(2)} s (${(run.seconds / baseline.seconds).toFixed(2)}×)`,
  );
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const bare = median(baselines);
const shown = median(runs.map((r) => r.seconds));
const last = runs.at(-1) as Awaited<ReturnType<typeof preview>>;
const ratio = shown / bare;
console.log(
  `papaparse bare parse : ${bare.toFixed(2)} s (median of ${RUNS}), peak RSS ${baselineRss.toFixed(0)} MB`,
);
console.log(
  `preview --json > file: ${shown.toFixed(2)} s (median of ${RUNS}), peak RSS ${Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0)} MB (sampled), ${last.lines.toLocaleString()} lines, ${last.outputMb.toFixed(0)} MB written`,
);
console.log(`ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET}×)${ratio <= TARGET ? ': met' : ': MISSED'}`);
