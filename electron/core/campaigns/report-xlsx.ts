import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { DeskError } from '../errors';
import type { Campaign } from './campaign';
import { REPORT_COLUMN_KINDS, reportHeader, reportRows, type ReportValue } from './report';

/** Excel's own limits: rows in a sheet (the header among them) and characters in a cell. */
export const XLSX_MAX_ROWS = 1_048_576;
const XLSX_MAX_CELL = 32_767;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';
/** Text cells formatted as text (`@`), so that a number typed into one later stays text too. */
const STYLES: Record<ReportValue['kind'], Partial<ExcelJS.Style>> = {
  text: { numFmt: '@' },
  number: {},
  time: { numFmt: DATE_FORMAT },
};
/** Rows read before the first is written, to size the columns. */
const WIDTH_SAMPLE = 200;
const MAX_WIDTH = 60;

/**
 * The largest workbook the app takes across its bridge (as base64 in a JSON answer, a third larger):
 * about a million rows of a short message. Larger reports are written by the command line, which streams.
 */
export const MAX_XLSX_DOWNLOAD = 160 * 1024 * 1024;
/** How often, in rows, the writer asks whether to stop and lets the compressor catch up. */
const CHECK_ROWS = 500;
/** How much sheet XML may wait for the compressor before the writer waits in turn. */
const MAX_QUEUED_XML = 4 * 1024 * 1024;

/** The time zone named, as named (Intl would rename some, Asia/Kolkata to Asia/Calcutta), or a plain error. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new DeskError('invalid-time-zone', `"${timeZone}" is not a time zone this computer knows.`);
  }
}

/**
 * The delivery report as an Excel workbook, streamed to `output` row by row (exceljs' WorkbookWriter,
 * without a shared-strings table, so memory stays flat however many rows). Every value is written as a
 * value, never as a formula: the recipient's cells, the number and the message as text (a cell reading
 * `=cmd|…` stays that text), segments as numbers, times as Excel dates. Excel dates have no time zone,
 * so a time is written as the wall-clock time in `timeZone`, and the time columns' headers name it.
 */
export async function writeReportXlsx(
  campaign: Campaign,
  timeZone: string,
  output: Writable,
  stopIfTooLarge: () => void = () => {},
): Promise<void> {
  if (campaign.size + 1 > XLSX_MAX_ROWS) {
    throw new DeskError(
      'report-too-large',
      `This campaign has ${campaign.size.toLocaleString('en-US')} rows, more than an Excel sheet holds; export the report as CSV instead.`,
    );
  }
  const zone = checkTimeZone(timeZone);
  const wallClock = wallClockIn(zone);
  const recipientColumns = campaign.table.columns;
  const header = reportHeader(recipientColumns, (column) =>
    REPORT_COLUMN_KINDS[column] === 'time' ? ` (${zone})` : '',
  );
  const rows = reportRows(campaign);
  const sample: ReturnType<typeof rows.next>[] = [];
  for (let i = 0; i < WIDTH_SAMPLE; i++) {
    const next = rows.next();
    if (next.done) break;
    sample.push(next);
  }

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Report', { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = header.map((name) => name.length);
  for (const next of sample) {
    if (next.done) continue;
    next.value.values.forEach((v, i) => (widths[i] = Math.max(widths[i] ?? 0, v.length)));
    next.value.own.forEach((v, i) => {
      const at = recipientColumns.length + i;
      widths[at] = Math.max(widths[at] ?? 0, v.kind === 'text' ? v.text.length : DATE_FORMAT.length);
    });
  }
  sheet.columns = header.map((name, i) => ({
    header: name,
    width: Math.min(MAX_WIDTH, (widths[i] ?? 0) + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();

  // One style object per kind, shared by every cell: exceljs then looks each up once, not once a cell.
  const styles = [
    ...recipientColumns.map(() => STYLES.text),
    ...REPORT_COLUMN_KINDS.map((kind) => STYLES[kind]),
  ];
  const write = (values: readonly string[], own: readonly ReportValue[]) => {
    const row = sheet.addRow([...values.map(textCell), ...own.map((v) => ownCell(v, wallClock))]);
    styles.forEach((style, i) => (row.getCell(i + 1).style = style));
    row.commit();
  };
  for (const next of sample) if (!next.done) write(next.value.values, next.value.own);
  let written = 0;
  for (const { values, own } of rows) {
    write(values, own);
    if (++written % CHECK_ROWS === 0) {
      stopIfTooLarge();
      await compressorCaughtUp(sheet);
    }
  }
  await workbook.commit();
  stopIfTooLarge();
}

/** The workbook in memory, for the app's download; a plain error once it grows past `maxBytes`. */
export async function reportXlsxBytes(
  campaign: Campaign,
  timeZone: string,
  maxBytes = MAX_XLSX_DOWNLOAD,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      // Past the bound nothing more is kept; the writer stops at its next check.
      if (size <= maxBytes) chunks.push(chunk);
      done();
    },
  });
  await writeReportXlsx(campaign, timeZone, sink, () => {
    if (size > maxBytes) {
      throw new DeskError(
        'report-too-large',
        `This report is larger than ${Math.round(maxBytes / 1024 / 1024)} MB as a workbook, too large to export here; export it as CSV, or write it with the command line: campaign-desk report ${campaign.id} --out report.xlsx`,
      );
    }
  });
  return Buffer.concat(chunks);
}

/**
 * Waits while more than MAX_QUEUED_XML of the sheet's XML awaits compression. exceljs' streaming writer
 * has no backpressure of its own (exceljs issue #734): a committed row goes straight into the queue of
 * the zip entry's stream, and without this wait a million rows pile up there (800 MB measured). The
 * queue is read from that stream's state (exceljs 4.4.0); should it not be found, the writer only
 * yields, so that the compressor on libuv's thread pool gets a turn.
 */
async function compressorCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const entry = (sheet as unknown as { stream?: { pipes?: { _writableState?: { length?: number } }[] } })
    .stream?.pipes?.[0];
  const queued = () => entry?._writableState?.length ?? 0;
  await new Promise((resolve) => setImmediate(resolve));
  while (queued() > MAX_QUEUED_XML) await new Promise((resolve) => setTimeout(resolve, 2));
}

function textCell(text: string): string | null {
  if (text === '') return null;
  return text.length > XLSX_MAX_CELL ? `${text.slice(0, XLSX_MAX_CELL - 1)}…` : text;
}

function ownCell(value: ReportValue, wallClock: (iso: string) => Date): string | number | Date | null {
  if (value.kind === 'number') return value.number;
  if (value.kind === 'time') {
    if (value.iso === null) return null;
    return Number.isNaN(Date.parse(value.iso)) ? value.iso : wallClock(value.iso);
  }
  return textCell(value.text);
}

/**
 * A Date whose UTC fields are the wall-clock time of `iso` in `zone`: what exceljs writes as an Excel
 * date. The zone's offset is looked up once per minute of time (offsets change on whole minutes).
 */
export function wallClockIn(zone: string): (iso: string) => Date {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const offsets = new Map<number, number>();
  return (iso) => {
    const ms = Date.parse(iso);
    const minute = Math.floor(ms / 60_000);
    let offset = offsets.get(minute);
    if (offset === undefined) {
      const f = Object.fromEntries(format.formatToParts(minute * 60_000).map((p) => [p.type, p.value]));
      const local = Date.UTC(+f.year!, +f.month! - 1, +f.day!, +f.hour!, +f.minute!);
      offset = local - minute * 60_000;
      if (offsets.size > 10_000) offsets.clear();
      offsets.set(minute, offset);
    }
    return new Date(ms + offset);
  };
}
