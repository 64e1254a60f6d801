import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { DeskError } from '../core/errors';
import { resolveDataDir, startNodeDesk } from '../core/node-desk';
import {
  columnIndex,
  nonNegativeNumber,
  parseSmartlink,
  positiveInt,
  readRecipientFile,
  UsageError,
} from './args';
import { externalService } from './external-service';
import { phoneColumnLine } from './phone-column-line';
import { noPhoneColumn } from '../core/recipients/phone-column';
import { REQUEST_OPTION_FLAGS, requestOptionsFromFlags } from './request-option-flags';
import { finish, followRun, Output, waitForReports } from './follow-campaign';

const CAMPAIGN_ID = /^[a-z0-9-]{1,64}$/;

export async function sendCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      sender: { type: 'string' },
      'phone-column': { type: 'string' },
      country: { type: 'string', default: 'US' },
      'campaign-id': { type: 'string' },
      'api-url': { type: 'string' },
      api: { type: 'string' },
      'without-plus': { type: 'boolean', default: false },
      smartlink: { type: 'string', multiple: true, default: [] },
      ...REQUEST_OPTION_FLAGS,
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
  const id = values['campaign-id'];
  if (id !== undefined && !CAMPAIGN_ID.test(id))
    throw new UsageError('--campaign-id takes lower-case letters, digits and dashes (at most 64).');
  const rate = values.rate === undefined ? undefined : positiveInt(values.rate, '--rate');
  const batchSize = values.batch === undefined ? undefined : positiveInt(values.batch, '--batch');
  const waitMs = nonNegativeNumber(values.wait, '--wait') * 1000;
  if (values.api !== undefined && !values['api-url'])
    throw new UsageError('--api chooses the API of the service given with --api-url.');
  const service = values['api-url']
    ? externalService({
        apiUrl: values['api-url'],
        rate,
        api: values.api,
        numbersWithPlus: !values['without-plus'],
      })
    : undefined;
  const smartlinks = values.smartlink.map(parseSmartlink);
  const requestOptions = requestOptionsFromFlags(values);
  const reportPath = values.report ?? `${basename(file, extname(file))}-report.csv`;
  const csv = await readRecipientFile(file);

  const desk = await startNodeDesk(resolveDataDir(values['data-dir']), {
    publicReceiverUrl: values['notify-url'],
    restoreSchedules: false,
    openTunnels: false,
  });
  try {
    const out = new Output(values.json);
    if (id !== undefined && (await desk.exists(id))) {
      throw new DeskError(
        'campaign-exists',
        `A campaign with id "${id}" already exists; continue it with: campaign-desk resume ${id}`,
      );
    }
    const country = values.country.toUpperCase();
    const given = values['phone-column'] !== undefined;
    const imported = await desk.importRecipients(basename(file), { bytes: csv }, undefined, id, country);
    const phoneColumn = given
      ? columnIndex(imported.columns, values['phone-column'] as string)
      : imported.phoneColumn;
    if (phoneColumn === null) throw noPhoneColumn(basename(file), country);
    const campaign = await desk.update(imported.id, {
      phoneColumn,
      template: values.text,
      senderId: values.sender,
      smartlinks,
      requestOptions,
    });
    const ready = campaign.counts.ready ?? 0;
    const skipped = campaign.counts.skipped ?? 0;
    out.say(`Campaign ${campaign.id}: ${campaign.rowCount} rows, ${ready} ready, ${skipped} skipped`, {
      event: 'campaign',
      campaign: campaign.id,
      rows: campaign.rowCount,
      ready,
      skipped,
    });
    out.say(phoneColumnLine(imported.columns, phoneColumn, imported.phoneColumnChoice, given), {
      event: 'phone-column',
      column: imported.columns[phoneColumn],
      given,
      choice: imported.phoneColumnChoice,
    });
    const warning = service ? desk.receiverWarning(service.view) : campaign.receiverWarning;
    if (warning) process.stderr.write(`Warning: ${warning}\n`);
    if (requestOptions.priority !== undefined && service?.view.api === 'sms')
      process.stderr.write('Warning: --priority is not sent: the Send SMS API documents no priority.\n');
    await desk.send(campaign.id, { service, rate, batchSize });
    const ended = await followRun(desk, campaign.id, out);
    const settled =
      ended.state === 'completed' ? await waitForReports(desk, campaign.id, waitMs, service) : false;
    return await finish(desk, campaign.id, out, { settled, reportPath });
  } finally {
    await desk.close();
  }
}
