import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { CampaignId } from '../../shared/api';
import { resolveDataDir } from '../core/data-dir';
import { startNodeDesk } from '../core/node-desk';
import {
  columnIndex,
  nonNegativeNumber,
  parseSmartlink,
  positiveInt,
  readRecipientFile,
  UsageError,
} from './args';
import { defaultCountry } from './country-flag';
import { commandLineKey, externalService } from './external-service';
import { parseCommandArgs } from './parse-command-args';
import { phoneColumnLine } from './phone-column-line';
import { noPhoneColumn } from '../core/recipients/phone-column';
import { REQUEST_OPTION_FLAGS, requestOptionsFromFlags } from './request-option-flags';
import { finish, followRun, Output, waitForReports } from './follow-campaign';
import { confirmOnTerminal, planLines } from './plan-lines';
import { WINDOW_FLAGS, windowFromFlags } from './window-flags';

export const SEND_HELP = `Usage: campaign-desk send <recipients.csv> --text <template> --sender <id> [options]

Prints the send plan (messages, skipped rows, segments, cost, sender, service, first and last messages), asks
on a terminal whether to send it (--yes does not ask; a script's command line is its confirmation), then sends
one message per row of the CSV, waits up to --wait seconds for final delivery reports (then, on the Send SMS
API, asks the status of the rows still without one), writes the report and prints a summary.
Ctrl-C pauses: requests already sent are answered and recorded, then it exits.

Options:
  --text TEMPLATE          The message; $(column) placeholders take the row's cells.
  --sender ID              The sender id.
  --campaign-id ID         Names the campaign (lower-case letters, digits, dashes); otherwise one is
                           generated. Either way it is printed first.
  --phone-column C         The phone column's name or 1-based position (default: detected).
  --time-zone-column C     A column naming each row's time zone (America/New_York); default: a column
                           named Time zone, Timezone, TZ, Zone, Timezone ID or IANA, else each
                           number's own zone.
  --window HH:MM-HH:MM     Sends each message only within these hours on its recipient's clock, e.g.
                           08:00-21:00 or 09:00-17:00 Mon-Fri (default: the service's window; for
                           --api-url and a new service 08:00-21:00; the built-in simulator has none).
  --no-window              Sends at any hour, whatever the time where the recipient is.
  --country CC             The country of numbers written without a country code: an ISO 3166 code
                           such as GB (default: the system locale's country, else US).
  --smartlink ID:VALIDITY  Sets up {{link_ID}} with its validity and a unit, m (minutes), h (hours) or
                           d (days), e.g. 5:30d. May be repeated.
  --api-url URL            The service's base URL, such as https://api.us.webexconnect.io; its key is read
                           from CAMPAIGN_DESK_KEY. Without it, messages go to the built-in simulator.
  --api messaging|sms      Messaging API v1 (the default) or the Send SMS API (one message a request,
                           retried safely with an Idempotency-Key).
  --without-plus           Sends numbers without their plus, for accounts that need that.
  --notify-url URL         The public URL that forwards to this machine's receiver (a tunnel).
  --rate N                 Messages per second.
  --batch N                Messages per request.
  --wait SECONDS           How long to wait for final reports (default 30).
  --report FILE            Where to write the report (default: <recipients>-report.csv; .xlsx for Excel).
  --data-dir DIR           The data folder.
  --json                   JSON lines instead of a progress bar.
  --yes                    Sends the plan without asking, on a terminal too.

Request options, sent with every message:
  --expiry DATE-TIME       After it (ISO 8601 with its zone, e.g. 2030-01-31T18:00:00Z; sent in UTC) the
                           platform no longer tries to deliver.
  --priority 1|2|3         1 (low), 2 (medium) or 3 (high). Messaging API v1 only: the Send SMS API
                           documents none, so it is not sent there.
  --template ID            A platform template. Messaging API v1 only: such a campaign is refused on the
                           Send SMS API, which documents no field for a template ID.
  --template-param NAME=VALUE
                           One of the template's parameters; VALUE may hold $(column) placeholders.
  --dlt-template ID        India's DLT template ID.

Exit codes: 0 completed, 1 stopped by an error or not confirmed, 2 usage error, 3 paused.`;

export async function sendCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('send', {
    args,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      sender: { type: 'string' },
      'phone-column': { type: 'string' },
      ...WINDOW_FLAGS,
      country: { type: 'string' },
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
      yes: { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('send takes exactly one recipients CSV file.');
  if (values.text === undefined) throw new UsageError('send needs --text <template>.');
  if (values.sender === undefined) throw new UsageError('send needs --sender <id>.');
  const id = values['campaign-id'];
  if (id !== undefined && !CampaignId.safeParse(id).success)
    throw new UsageError('--campaign-id takes lower-case letters, digits and dashes (at most 64).');
  const rate = values.rate === undefined ? undefined : positiveInt(values.rate, '--rate');
  const sendWindow = windowFromFlags(values.window, values['no-window']);
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
  const country = defaultCountry(values.country);
  const smartlinks = values.smartlink.map(parseSmartlink);
  const requestOptions = requestOptionsFromFlags(values);
  const reportPath = values.report ?? `${basename(file, extname(file))}-report.csv`;
  const csv = await readRecipientFile(file);

  const desk = await startNodeDesk(resolveDataDir(values['data-dir']), {
    publicReceiverUrl: values['notify-url'],
    restoreSchedules: false,
    openTunnels: false,
    commandLineKey: commandLineKey(),
  });
  try {
    const out = new Output(values.json);
    const given = values['phone-column'] !== undefined;
    // The bytes go in as the browser's upload does; the import names them by their upload id.
    const uploadId = await desk.uploads.receive(Readable.from([csv]));
    const imported = await desk.call('cli.import', {
      fileName: basename(file),
      uploadId,
      campaignId: id,
      defaultCountry: country.country,
    });
    const phoneColumn = given
      ? columnIndex(imported.columns, values['phone-column'] as string)
      : imported.phoneColumn;
    if (phoneColumn === null) throw noPhoneColumn(basename(file), country.country);
    const zoneColumn = values['time-zone-column'];
    const timeZoneColumn = zoneColumn === undefined ? undefined : columnIndex(imported.columns, zoneColumn);
    const campaign = await desk.call('campaigns.update', {
      id: imported.id,
      patch: {
        phoneColumn,
        timeZoneColumn,
        sendWindow,
        template: values.text,
        senderId: values.sender,
        smartlinks,
        requestOptions,
      },
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
    if (country.source && campaign.numbersWithoutPlus > 0) process.stderr.write(`${country.source}\n`);
    out.say(phoneColumnLine(imported.columns, phoneColumn, imported.phoneColumnChoice, given), {
      event: 'phone-column',
      column: imported.columns[phoneColumn],
      given,
      choice: imported.phoneColumnChoice,
    });
    const warning = service
      ? (await desk.call('cli.receiverWarning', { service })).warning
      : campaign.receiverWarning;
    if (warning) process.stderr.write(`Warning: ${warning}\n`);
    if (requestOptions.priority !== undefined && service?.api === 'sms')
      process.stderr.write('Warning: --priority is not sent: the Send SMS API documents no priority.\n');
    const plan = service
      ? await desk.call('cli.plan', { id: campaign.id, service })
      : await desk.call('campaigns.plan', { id: campaign.id });
    out.say(planLines(plan).join('\n'), { event: 'plan', ...plan });
    if (!values.yes && process.stdin.isTTY && !(await confirmOnTerminal())) {
      process.stderr.write('Nothing sent: the plan was not confirmed.\n');
      return 1;
    }
    // What goes is the plan printed: the core refuses it if anything changed since.
    await desk.call('cli.send', { id: campaign.id, service, rate, batchSize, digest: plan.digest });
    const ended = await followRun(desk, campaign.id, out);
    const settled =
      ended.state === 'completed' ? await waitForReports(desk, campaign.id, waitMs, service) : false;
    return await finish(desk, campaign.id, out, { settled, reportPath });
  } finally {
    await desk.close();
  }
}
