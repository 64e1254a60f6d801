// One measured write of the Excel report benchmark, in a process of its own so that its peak memory is
// its own: `pipeline` is the app's writer, `baseline` exceljs' streaming writer given the same rows.
import { createWriteStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { reportHeader } from '../electron/core/campaigns/report';
import { writeReportXlsx } from '../electron/core/campaigns/report-xlsx';
import { at, sentCampaign } from './sent-campaign';

const [mode, csvPath, out] = process.argv.slice(2) as ['pipeline' | 'baseline', string, string];

const { table, campaign, ready } = await sentCampaign(csvPath);
for (const row of ready) {
  const final = at(row + 4000 + (row % 9000));
  campaign.apply({
    t: 'dr',
    row,
    transid: `t-${row}`,
    at: final,
    reportedAt: final,
    carrier: 'UKVOD',
    raw: null,
    ...(row % 10 === 0
      ? { status: 'undelivered', code: '7203', description: 'Unknown subscriber' }
      : { status: 'delivered', code: '7500', description: 'Delivered' }),
  });
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
