import { writeFile } from 'node:fs/promises';
import { resolveDataDir } from '../core/data-dir';
import { startNodeDesk } from '../core/node-desk';
import { UsageError } from './args';
import { parseCommandArgs } from './parse-command-args';

export const REPORT_HELP = `Usage: campaign-desk report <campaign-id> --out FILE [options]

Writes a campaign's delivery report (CSV) to --out.

Options:
  --out FILE               Where to write the report.
  --data-dir DIR           The data folder.

Exit codes: 0 written, 1 stopped by an error, 2 usage error.`;

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', {
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new UsageError('report takes exactly one campaign id.');
  if (!values.out) throw new UsageError('report needs --out <file>.');
  const desk = await startNodeDesk(resolveDataDir(values['data-dir']), { restoreSchedules: false });
  try {
    await writeFile(values.out, (await desk.report(id)).csv);
    console.log(`Report written to ${values.out}`);
    return 0;
  } finally {
    await desk.close();
  }
}
