// One measured run of the import benchmark, in a process of its own so that its peak memory is its own.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { CampaignChecker } from '../electron/core/campaigns/checks';
import type { CampaignDefinition } from '../electron/core/campaigns/definition';
import { parseRecipientsCsv } from '../electron/core/recipients/csv-import';
import { choosePhoneColumn } from '../electron/core/recipients/phone-column';
import { decodeText } from '../electron/core/recipients/decode';
import { parseRecipientsWorkbook } from '../electron/core/recipients/workbook-import';

type Mode = 'baseline' | 'pipeline' | 'workbook-baseline' | 'workbook-pipeline';
const [mode, path] = process.argv.slice(2) as [Mode, string];
const TEMPLATE = 'Hi $(first_name), your order $(order_id) of £$(amount) ships today. Reply STOP to opt out.';

const started = performance.now();
let summary: Record<string, number>;
if (mode === 'baseline') {
  const result = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true });
  summary = { rows: result.data.length - 1 };
} else if (mode === 'workbook-baseline') {
  // exceljs's own streaming read of every row of every sheet, values as it gives them.
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache' });
  for await (const sheet of reader) for await (const row of sheet) if (row.hasValues) rows++;
  summary = { rows: rows - 2 };
} else {
  let lastProgress = performance.now();
  let maxProgressGapMs = 0;
  const progress = () => {
    const now = performance.now();
    maxProgressGapMs = Math.max(maxProgressGapMs, now - lastProgress);
    lastProgress = now;
  };
  const table =
    mode === 'workbook-pipeline'
      ? (await parseRecipientsWorkbook(readFileSync(path), { onProgress: progress })).table
      : await parseRecipientsCsv(decodeText(readFileSync(path)).text, { onProgress: progress });
  const columns = [...table.columns];
  const def: CampaignDefinition = {
    id: 'bench',
    name: 'bench',
    createdAt: new Date().toISOString(),
    fileName: path,
    sheet: null,
    sheets: [],
    columns,
    phoneColumn: choosePhoneColumn(table, 'GB')?.column ?? null,
    timeZoneColumn: null,
    sendWindow: { mode: 'service' },
    defaultCountry: 'GB',
    template: TEMPLATE,
    senderId: 'SHOP',
    serviceId: 'sandbox',
    smartlinks: [],
    keyNonce: '',
    requestOptions: {},
    archived: false,
    origin: null,
  };
  const checks = await new CampaignChecker(table, { has: () => false, size: 0, version: 0 }).check(def, {
    onProgress: progress,
  });
  let ready = 0;
  let segments = 0;
  checks.numbers.reason.forEach((r, row) => {
    if (r === 0 && !checks.messages.emptyPlaceholders.has(row)) {
      ready++;
      segments += checks.messages.segments[row] ?? 0;
    }
  });
  summary = { rows: table.size, ready, skipped: table.size - ready, segments, maxProgressGapMs };
}
const seconds = (performance.now() - started) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ mode, seconds, peakRssMb, ...summary }) + '\n');
