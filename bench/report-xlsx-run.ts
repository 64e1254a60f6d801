// One measured write of the Excel report benchmark, in a process of its own so that its peak memory is
// its own: `pipeline` is the app's writer, `baseline` exceljs' streaming writer given the same rows.
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { TEXT_LIMITS } from '../shared/text-limits';
import { Campaign } from '../electron/core/campaigns/campaign';
import { CampaignChecker } from '../electron/core/campaigns/checks';
import type { CampaignDefinition } from '../electron/core/campaigns/definition';
import { reportHeader } from '../electron/core/campaigns/report';
import { writeReportXlsx } from '../electron/core/campaigns/report-xlsx';
import { parseRecipientsCsv } from '../electron/core/recipients/csv-import';
import { choosePhoneColumn } from '../electron/core/recipients/phone-column';
import { decodeText } from '../electron/core/recipients/decode';

const [mode, csvPath, out] = process.argv.slice(2) as ['pipeline' | 'baseline', string, string];

const table = await parseRecipientsCsv(decodeText(readFileSync(csvPath)).text);
const def: CampaignDefinition = {
  id: 'bench',
  name: 'bench',
  createdAt: new Date().toISOString(),
  fileName: 'bench.csv',
  sheet: null,
  sheets: [],
  columns: [...table.columns],
  phoneColumn: choosePhoneColumn(table, 'GB')?.column ?? null,
  defaultCountry: 'GB',
  template: 'Hi $(first_name), your order $(order_id) ships today.',
  senderId: 'SHOP',
  serviceId: 'sandbox',
  smartlinks: [],
  keyNonce: '',
  requestOptions: {},
  archived: false,
  origin: null,
};
const checks = await new CampaignChecker(table, { has: () => false, size: 0, version: 0 }).check(def);
const campaign = new Campaign(def, table, checks, TEXT_LIMITS.messaging);
const ready = campaign.readyRows();
const t0 = Date.parse('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();
campaign.apply({ t: 'start', at: at(0), notifyUrl: 'http://127.0.0.1/dr' });
for (let i = 0; i < ready.length; i += 1000) {
  const rows = ready.slice(i, i + 1000);
  campaign.apply({ t: 'batch', at: at(i), rows });
  for (const row of rows) {
    const common = { row, transid: `t-${row}` };
    campaign.apply({
      t: 'result',
      at: at(i),
      ...common,
      status: 'queued',
      code: '1001',
      description: 'Queued',
    });
    const final = at(i + 4000 + (row % 9000));
    campaign.apply({
      t: 'dr',
      ...common,
      at: final,
      reportedAt: final,
      carrier: 'UKVOD',
      raw: null,
      ...(row % 10 === 0
        ? { status: 'undelivered', code: '7203', description: 'Unknown subscriber' }
        : { status: 'delivered', code: '7500', description: 'Delivered' }),
    });
  }
}
const mb = (bytes: number) => bytes / 1024 / 1024;
const peakBeforeMb = process.resourceUsage().maxRSS / 1024;
// The resident memory while writing, sampled whenever the writer yields (both sides do, every few rows).
let peakWritingMb = 0;
const sampler = setInterval(
  () => (peakWritingMb = Math.max(peakWritingMb, mb(process.memoryUsage().rss))),
  20,
);

const started = performance.now();
if (mode === 'pipeline') {
  await writeReportXlsx(campaign, 'Europe/London', createWriteStream(out));
} else {
  // The same cells, as exceljs' streaming writer takes them bare: strings, numbers and Dates.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Report');
  sheet.columns = reportHeader(table.columns).map((header) => ({ header }));
  for (let row = 0; row < campaign.size; row++) {
    const r = campaign.rowView(row);
    const date = (iso: string | null) => (iso === null ? null : new Date(iso));
    sheet
      .addRow([
        ...r.values,
        r.msisdn,
        r.message,
        r.segments,
        r.status,
        r.status,
        r.code,
        r.description,
        r.transid,
        date(r.sentAt),
        date(r.deliveredAt),
        '',
      ])
      .commit();
    if (row % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await workbook.commit();
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
process.stdout.write(
  JSON.stringify({
    mode,
    rows: campaign.size,
    seconds,
    peakBeforeMb,
    peakWritingMb,
    fileMb: statSync(out).size / 1e6,
  }) + '\n',
);
