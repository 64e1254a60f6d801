import { join } from 'node:path';
import { TEXT_LIMITS } from '../../shared/text-limits';
import { resolveDataDir } from '../core/data-dir';
import { uniqueColumnNames } from '../core/recipients/column-names';
import { streamRecipientsCsv } from '../core/recipients/csv-import';
import { SAMPLE_ROWS } from '../core/recipients/phone-column';
import { openRecipientFile } from '../core/recipients/recipient-file';
import { RecipientTable } from '../core/recipients/recipient-table';
import { SuppressionList } from '../core/recipients/suppression';
import { parseSmartlink, readRecipientFile, UsageError } from './args';
import { defaultCountry } from './country-flag';
import { sendApi } from './external-service';
import { parseCommandArgs } from './parse-command-args';
import { damageLines } from './plan-lines';
import { RowChecks } from './row-checks';
import { ColumnsNeeded, PreviewRun } from './preview-run';
import { ProgressLine } from './progress-line';
import { WINDOW_FLAGS, windowFromFlags } from './window-flags';

/** The rows of a workbook given to the preview at a time, about a CSV chunk's. */
const WORKBOOK_BATCH = 4096;

export const PREVIEW_HELP = `Usage: campaign-desk preview <recipients.csv|.xlsx> --text <template> [options]

Prints every row as it would be sent: number (E.164), time zone, status, skip reason, message, encoding and
segments, then a summary, by the same checks as send, including the data folder's opt-out list, and which
ready rows would go if sent now and which would wait for their send window, until when.

Options:
  --text TEMPLATE          The message; $(column) placeholders take the row's cells.
  --sheet NAME             The workbook sheet to read (default: the first with rows under its header).
  --country CC             The country of numbers written without a country code: an ISO 3166 code
                           such as GB (default: the system locale's country, else US).
  --phone-column C         The phone column's name or 1-based position (default: detected).
  --time-zone-column C     A column naming each row's time zone (America/New_York); default: a column
                           named Time zone, Timezone, TZ, Zone, Timezone ID or IANA, else each
                           number's own zone.
  --window HH:MM-HH:MM     The hours on each recipient's clock within which messages go, e.g.
                           08:00-21:00 or 09:00-17:00 Mon-Fri (default: 08:00-21:00, a new service's).
  --no-window              As sent at any hour, whatever the time where the recipient is.
  --smartlink ID:VALIDITY  Sets up {{link_ID}} with its validity and a unit (m, h or d), e.g. 5:30d.
  --api messaging|sms      The API whose text limit applies: Messaging API v1 (the default) takes 1,024
                           characters, the Send SMS API 4,000.
  --data-dir DIR           The data folder.
  --json                   One JSON object per row, then {"summary": …}.

Exit codes: 0 every ready message can be sent, 1 the message has an unknown placeholder or smartlink, a
ready row's message is too long or some rows could never be sent within the window, 2 usage error.`;

/**
 * `preview`: every row as it would be sent (number, status, reason, message, encoding, segments, length) and
 * a summary, by the same checks as `send`, including the opt-out list of the data folder.
 */
export async function previewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('preview', {
    args,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      sheet: { type: 'string' },
      country: { type: 'string' },
      'phone-column': { type: 'string' },
      ...WINDOW_FLAGS,
      smartlink: { type: 'string', multiple: true, default: [] },
      api: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1)
    throw new UsageError('preview takes exactly one recipients file (CSV or .xlsx).');
  if (values.text === undefined) throw new UsageError('preview needs --text <template>.');
  const sendWindow = windowFromFlags(values.window, values['no-window']);
  const country = defaultCountry(values.country);
  // Started first: the worker loads while the file is read.
  const checks = new RowChecks(country.country);
  let suppression: SuppressionList | null = null;
  try {
    // The file's bytes are not kept: once decoded, only its text is.
    const opened = await openRecipientFile(await readRecipientFile(file), { sheet: values.sheet });
    suppression = await SuppressionList.open(join(resolveDataDir(values['data-dir']), 'suppression.ndjson'));
    if (suppression.damage) process.stderr.write(`${damageLines(suppression.damage).join('\n')}\n`);
    const run = new PreviewRun({
      file,
      template: values.text,
      country,
      phoneColumn: values['phone-column'],
      timeZoneColumn: values['time-zone-column'],
      sendWindow,
      sheet: values.sheet,
      smartlinks: values.smartlink.map(parseSmartlink),
      // The API `send` would use: its text limit applies.
      limit: TEXT_LIMITS[sendApi(values.api) ?? 'messaging'],
      json: values.json,
      optedOut: suppression,
      checks,
    });
    if (opened.kind === 'workbook') {
      const { table, sheet, sheets } = opened;
      run.begin({ columns: table.columns, sample: table, sheet, sheets, columnsFinal: true });
      for (let start = 0; start < table.size; start += WORKBOOK_BATCH) {
        const end = Math.min(table.size, start + WORKBOOK_BATCH);
        const rows: string[][] = [];
        for (let row = start; row < end; row++) rows.push(table.values(row));
        await run.take(rows);
      }
    } else {
      await previewCsv(opened.text, run).catch(async (error: unknown) => {
        if (!(error instanceof ColumnsNeeded)) throw error;
        const { width } = await streamRecipientsCsv(opened.text, { header: () => {}, rows: () => {} });
        await previewCsv(opened.text, run, width);
      });
    }
    return await run.finish();
  } finally {
    await suppression?.close();
    await checks.close();
  }
}

/**
 * Streams a CSV's rows through the preview: the first SAMPLE_ROWS are held to choose the phone column by,
 * then every row goes straight through. `width`: the widest row's cells, when a first pass found it.
 */
async function previewCsv(text: string, run: PreviewRun, width: number | null = null): Promise<void> {
  let header: string[] = [];
  let sample: string[][] | null = [];
  let widest = width ?? 0;
  const begin = (columnsFinal: boolean) => {
    const held = sample as string[][];
    const columns = uniqueColumnNames(header, widest);
    run.begin({
      columns,
      sample: RecipientTable.fromRows(columns, held),
      sheet: null,
      sheets: [],
      columnsFinal,
    });
    sample = null;
    return held;
  };
  const progress = new ProgressLine(process.stderr);
  await streamRecipientsCsv(
    text,
    {
      header: (cells) => (header = cells),
      rows: async (rows) => {
        let next = 0;
        if (sample !== null) {
          for (; next < rows.length && sample.length < SAMPLE_ROWS; next++) {
            const cells = rows[next] as string[];
            sample.push(cells);
            if (cells.length > widest) widest = cells.length;
          }
          if (sample.length < SAMPLE_ROWS) return;
          await run.take(begin(width !== null));
        }
        await run.take(next === 0 ? rows : rows.slice(next));
      },
    },
    { onProgress: ({ fraction }) => progress.show(fraction) },
  ).finally(() => progress.clear());
  if (sample !== null) await run.take(begin(true));
}
