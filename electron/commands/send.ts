import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { CampaignView } from '../../shared/api';
import { DeskError } from '../core/errors';
import { resolveDataDir, startNodeDesk } from '../core/node-desk';
import type { ResolvedService } from '../core/services';
import { columnIndex, nonNegativeNumber, positiveInt, UsageError } from './args';

export async function sendCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      sender: { type: 'string' },
      'phone-column': { type: 'string' },
      country: { type: 'string', default: 'US' },
      'api-url': { type: 'string' },
      'notify-url': { type: 'string' },
      rate: { type: 'string' },
      batch: { type: 'string' },
      wait: { type: 'string', default: '30' },
      report: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('send takes exactly one recipients CSV file.');
  if (values.text === undefined) throw new UsageError('send needs --text <template>.');
  if (values.sender === undefined) throw new UsageError('send needs --sender <id>.');
  const rate = values.rate === undefined ? undefined : positiveInt(values.rate, '--rate');
  const batchSize = values.batch === undefined ? undefined : positiveInt(values.batch, '--batch');
  const waitMs = nonNegativeNumber(values.wait, '--wait') * 1000;
  const service = values['api-url'] ? externalService(values['api-url'], rate) : undefined;
  const reportPath = values.report ?? `${basename(file, extname(file))}-report.csv`;
  const csv = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DeskError(
      'file-unreadable',
      `Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });

  const desk = await startNodeDesk(resolveDataDir(values['data-dir']), {
    publicReceiverUrl: values['notify-url'],
  });
  try {
    const say = (line: string) => {
      if (!values.json) console.log(line);
    };
    const imported = await desk.importRecipients(basename(file), { bytes: csv });
    const phoneColumn =
      values['phone-column'] === undefined
        ? imported.phoneColumn
        : columnIndex(imported.columns, values['phone-column']);
    const campaign = await desk.update(imported.id, {
      phoneColumn: phoneColumn ?? undefined,
      defaultCountry: values.country.toUpperCase(),
      template: values.text,
      senderId: values.sender,
    });
    say(
      `Campaign ${campaign.id}: ${campaign.rowCount} rows, ${campaign.counts.ready ?? 0} ready, ${campaign.counts.skipped ?? 0} skipped`,
    );
    await desk.send(campaign.id, { service, rate, batchSize });
    await desk.finished(campaign.id);
    const settled = await desk.settled(campaign.id, waitMs);
    const final = await desk.handlers['campaigns.get']({ id: campaign.id });
    await writeFile(reportPath, (await desk.report(campaign.id)).csv);
    if (values.json) {
      console.log(
        JSON.stringify({
          campaign: final.id,
          state: final.state,
          settled,
          counts: final.counts,
          error: final.error,
          report: reportPath,
        }),
      );
    } else {
      printSummary(final, settled, reportPath);
    }
    return final.state === 'completed' ? 0 : 1;
  } finally {
    await desk.close();
  }
}

function printSummary(c: CampaignView, settled: boolean, reportPath: string): void {
  const counts = Object.entries(c.counts)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  console.log(`${c.state === 'completed' ? 'Sent' : 'Stopped'}: ${counts}`);
  if (c.error) console.log(`Error: ${c.error}`);
  if (!settled) console.log('Some delivery reports had not arrived when the wait ended.');
  console.log(`Report written to ${reportPath}`);
}

function externalService(apiUrl: string, rate: number | undefined): ResolvedService {
  const key = process.env.CAMPAIGN_DESK_KEY;
  if (!key)
    throw new UsageError(
      'With --api-url the service key must be in the CAMPAIGN_DESK_KEY environment variable.',
    );
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UsageError(`--api-url is not a URL: ${apiUrl}`);
  }
  const baseUrl = url.origin + url.pathname.replace(/\/resources\/v1\/messaging\/?$/, '').replace(/\/+$/, '');
  return {
    baseUrl,
    key,
    view: {
      id: 'cli',
      name: url.host,
      kind: 'imiconnect',
      baseUrl,
      keyHint: null,
      rate: rate ?? 10,
      pricePerSegment: 0,
    },
  };
}
