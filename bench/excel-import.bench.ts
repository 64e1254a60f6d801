// Import of a 100,000-row .xlsx workbook through the whole pipeline (unzip, parse the sheet, read the
// cells, then the checks of a CSV import), beside exceljs's bare streaming read of the same file, each
// in a fresh process.
import { statSync } from 'node:fs';
import { runImport } from './import-child';
import { workbookFixture } from './workbook-fixture';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const path = await workbookFixture(ROWS);
console.log(`file: ${path}, ${(statSync(path).size / 1e6).toFixed(1)} MB, ${ROWS.toLocaleString()} rows`);

function run(mode: string) {
  return runImport(mode, path);
}

const baseline = run('workbook-baseline');
const pipeline = run('workbook-pipeline');
console.log(
  `exceljs bare streaming read : ${baseline.seconds.toFixed(2)} s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB ` +
    `(${baseline.rows} rows)`,
);
console.log(
  `full import pipeline        : ${pipeline.seconds.toFixed(2)} s, peak RSS ${pipeline.peakRssMb.toFixed(0)} MB ` +
    `(${pipeline.rows} rows: ${pipeline.ready} ready, ${pipeline.skipped} skipped)`,
);
console.log(
  `ratio ${(pipeline.seconds / baseline.seconds).toFixed(2)}x; longest stretch without a progress report: ` +
    `${pipeline.maxProgressGapMs?.toFixed(0)} ms`,
);
