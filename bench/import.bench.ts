// Import of a 1,000,000-row recipient file through the whole pipeline (decode, parse, normalize and
// validate numbers, drop duplicates, render every message, count its segments), beside papaparse's bare
// parse of the same file, each in a fresh process. Targets: at most 3x the bare parse, at most 600 MB RSS.
import { statSync } from 'node:fs';
import { runImport } from './import-child';
import { recipientsFixture } from './recipients-fixture';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const path = await recipientsFixture(ROWS);
console.log(`file: ${path}, ${(statSync(path).size / 1e6).toFixed(1)} MB, ${ROWS.toLocaleString()} rows`);

function run(mode: string) {
  return runImport(mode, path);
}

const baseline = run('baseline');
const pipeline = run('pipeline');
const ratio = pipeline.seconds / baseline.seconds;
console.log(
  `papaparse bare parse : ${baseline.seconds.toFixed(2)} s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB`,
);
console.log(
  `full import pipeline : ${pipeline.seconds.toFixed(2)} s, peak RSS ${pipeline.peakRssMb.toFixed(0)} MB ` +
    `(${pipeline.ready} ready, ${pipeline.skipped} skipped, ${pipeline.segments} segments)`,
);
console.log(
  `longest stretch without a progress report (the event loop is free at each): ${pipeline.maxProgressGapMs?.toFixed(0)} ms (target <= 250 ms)`,
);
console.log(
  `ratio ${ratio.toFixed(2)}x (target <= 3x): ${ratio <= 3 ? 'met' : 'MISSED'}; ` +
    `peak RSS ${pipeline.peakRssMb.toFixed(0)} MB (target <= 600 MB): ${pipeline.peakRssMb <= 600 ? 'met' : 'MISSED'}`,
);
