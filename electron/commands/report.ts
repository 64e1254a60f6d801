import { resolveDataDir } from '../core/data-dir';
import { startNodeDesk } from '../core/node-desk';
import { UsageError } from './usage-error';
import { parseCommandArgs } from './parse-command-args';
import { reportFormat, systemTimeZone, writeReport } from './write-report';

export const REPORT_HELP = `Usage: campaign-desk report <campaign-id> --out FILE [options]

Writes a campaign's delivery report to --out: CSV, or an Excel workbook for a FILE ending in .xlsx.

Options:
  --out FILE               Where to write the report.
  --format csv|xlsx        The format, whatever the file's name.
  --time-zone ZONE         The time zone of the workbook's times, such as Europe/Paris
                           (default: this computer's, ${systemTimeZone()}). Excel times have no zone:
                           the wall-clock time of ZONE is written, and the columns' headers name it.
  --data-dir DIR           The data folder.

Exit codes: 0 written, 1 stopped by an error, 2 usage error.`;

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', {
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string' },
      'time-zone': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new UsageError('report takes exactly one campaign id.');
  if (!values.out) throw new UsageError('report needs --out <file>.');
  const format = reportFormat(values.out, values.format);
  const desk = await startNodeDesk(resolveDataDir(values['data-dir']), { restoreSchedules: false });
  try {
    await writeReport(desk, id, values.out, { format, timeZone: values['time-zone'] });
    console.log(`Report written to ${values.out}`);
    for (const note of (await desk.call('campaigns.get', { id })).journalDamage) console.log(note);
    return 0;
  } finally {
    await desk.close();
  }
}
