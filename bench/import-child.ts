import { execFileSync } from 'node:child_process';

/** What one import run in its own process measured (bench/import-run.ts prints it as JSON). */
export interface ImportRun {
  seconds: number;
  peakRssMb: number;
  rows: number;
  ready?: number;
  skipped?: number;
  segments?: number;
  maxProgressGapMs?: number;
}

/** Runs bench/import-run.ts in a fresh process, so that each side's peak memory is its own. */
export function runImport(mode: string, path: string): ImportRun {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/import-run.ts', mode, path], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as ImportRun;
}
