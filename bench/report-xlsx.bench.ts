// The delivery report of a sent 1,000,000-row campaign written as an Excel workbook: the app's writer
// (typed cells, times in a zone, sized columns) beside exceljs' bare streaming write of the same rows,
// each in a process of its own. Resident memory includes the campaign itself, measured before writing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recipientsFixture } from './recipients-fixture';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const csv = await recipientsFixture(ROWS);
const dir = mkdtempSync(join(tmpdir(), 'report-xlsx-bench-'));

interface Run {
  rows: number;
  seconds: number;
  peakBeforeMb: number;
  peakWritingMb: number;
  fileMb: number;
}

function run(mode: string): Run {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/report-xlsx-run.ts', mode, csv, join(dir, `${mode}.xlsx`)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out) as Run;
}

try {
  const baseline = run('baseline');
  const pipeline = run('pipeline');
  const line = (name: string, r: Run) =>
    `${name}: ${r.seconds.toFixed(2)} s, ${r.fileMb.toFixed(1)} MB file, ` +
    `peak RSS ${r.peakBeforeMb.toFixed(0)} MB before writing, ${r.peakWritingMb.toFixed(0)} MB while writing`;
  console.log(`${pipeline.rows.toLocaleString()} rows`);
  console.log(line('baseline: exceljs bare', baseline));
  console.log(
    `${line('report .xlsx          ', pipeline)} (${(pipeline.seconds / baseline.seconds).toFixed(2)}x)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
