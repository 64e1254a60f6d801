import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveDataDir, startNodeDesk } from '../core/node-desk';
import { UsageError } from './args';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
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
