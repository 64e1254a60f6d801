import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Desk } from '../core/desk';
import { UsageError } from './args';

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format asked for with --format, else told by the file's extension (.xlsx), else CSV. */
export function reportFormat(path: string, format: string | undefined): ReportFormat {
  if (format === undefined) return extname(path).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  if ((REPORT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new UsageError(`--format takes csv or xlsx, not "${format}".`);
}

/** The time zone of this computer (TZ, else the system's): the one Excel reports write times in. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Writes a campaign's delivery report to `path`; a workbook is streamed there by the core. */
export async function writeReport(
  desk: Desk,
  id: string,
  path: string,
  options: { format?: ReportFormat; timeZone?: string } = {},
): Promise<void> {
  if ((options.format ?? reportFormat(path, undefined)) === 'csv') {
    await writeFile(path, (await desk.call('campaigns.report', { id })).csv);
    return;
  }
  await desk.call('cli.writeReportXlsx', { id, timeZone: options.timeZone ?? systemTimeZone(), path });
}
