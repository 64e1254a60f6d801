import { join } from 'node:path';
import { describeLength, TEXT_LIMITS } from '../../shared/text-limits';
import { Campaign, NO_READY_ROW } from '../core/campaigns/campaign';
import { CampaignChecker } from '../core/campaigns/checks';
import type { CampaignDefinition } from '../core/campaigns/definition';
import { DeskError } from '../core/errors';
import { resolveDataDir } from '../core/data-dir';
import { choosePhoneColumn } from '../core/recipients/phone-column';
import { readRecipientFile as readRecipients } from '../core/recipients/recipient-file';
import { SuppressionList } from '../core/recipients/suppression';
import { columnIndex, parseSmartlink, readRecipientFile, UsageError } from './args';
import { ChunkedOutput } from './chunked-output';
import { defaultCountry } from './country-flag';
import { sendApi } from './external-service';
import { phoneColumnLine } from './phone-column-line';
import { parseCommandArgs } from './parse-command-args';

export const PREVIEW_HELP = `Usage: campaign-desk preview <recipients.csv|.xlsx> --text <template> [options]

Prints every row as it would be sent: number (E.164), status, skip reason, message, encoding and segments,
then a summary, by the same checks as send, including the data folder's opt-out list.

Options:
  --text TEMPLATE          The message; $(column) placeholders take the row's cells.
  --sheet NAME             The workbook sheet to read (default: the first with rows under its header).
  --country CC             The country of numbers written without a country code: an ISO 3166 code
                           such as GB (default: the system locale's country, else US).
  --phone-column C         The phone column's name or 1-based position (default: detected).
  --smartlink ID:VALIDITY  Sets up {{link_ID}} with its validity and a unit (m, h or d), e.g. 5:30d.
  --api messaging|sms      The API whose text limit applies: Messaging API v1 (the default) takes 1,024
                           characters, the Send SMS API 4,000.
  --data-dir DIR           The data folder.
  --json                   One JSON object per row, then {"summary": …}.

Exit codes: 0 every ready message can be sent, 1 the message has an unknown placeholder or smartlink or a
ready row's message is too long, 2 usage error.`;

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
  const country = defaultCountry(values.country);

  // The API `send` would use: its text limit applies.
  const api = sendApi(values.api) ?? 'messaging';
  const { table, sheet, sheets } = await readRecipients(await readRecipientFile(file), {
    sheet: values.sheet,
  });
  if (values.sheet !== undefined && sheet === null)
    throw new UsageError('--sheet applies to Excel workbooks; this file is text (CSV).');
  const given = values['phone-column'] !== undefined;
  const def: CampaignDefinition = {
    id: 'preview',
    name: file,
    createdAt: new Date().toISOString(),
    fileName: file,
    sheet,
    sheets,
    columns: [...table.columns],
    phoneColumn: given
      ? columnIndex([...table.columns], values['phone-column'] as string)
      : (choosePhoneColumn(table, country.country)?.column ?? null),
    defaultCountry: country.country,
    template: values.text,
    senderId: 'preview',
    serviceId: 'sandbox',
    smartlinks: values.smartlink.map(parseSmartlink),
    keyNonce: '',
    requestOptions: {},
    archived: false,
    origin: null,
  };
  const suppression = await SuppressionList.open(
    join(resolveDataDir(values['data-dir']), 'suppression.ndjson'),
  );
  try {
    const checks = await new CampaignChecker(table, suppression).check(def);
    const limit = TEXT_LIMITS[api];
    const campaign = new Campaign(def, table, checks, limit);
    if (country.source && campaign.view(0, 0).numbersWithoutPlus > 0)
      process.stderr.write(`${country.source}\n`);
    const tooLong = campaign.tooLongProblem();
    const problem = campaign.problem();
    if (problem && problem !== NO_READY_ROW && problem !== tooLong)
      throw new DeskError('template-invalid', problem);
    const out = new ChunkedOutput();
    for (let row = 0; row < campaign.size; row++) {
      const r = campaign.prepared(row);
      const status = campaign.statusOf(row);
      const tooLong = campaign.isTooLong(row);
      // The same object JSON.stringify would write, built by hand: only the message needs escaping.
      const text = values.json
        ? `{"row":${row + 1},"msisdn":${r.msisdn === null ? 'null' : `"${r.msisdn}"`},"status":"${status}","reason":${r.reason === null ? 'null' : `"${r.reason}"`},"message":${JSON.stringify(r.message)},"encoding":"${r.encoding}","segments":${r.segments},"characters":${r.characters},"tooLong":${tooLong}}`
        : `${String(row + 1).padStart(6)}  ${(r.msisdn ?? '-').padEnd(16)} ${status.padEnd(7)} ${(r.reason ?? '').padEnd(14)} ${r.encoding} ${String(r.segments).padStart(2)}  ${JSON.stringify(r.message)}${tooLong ? `  too long: ${describeLength(r.characters, limit)}` : ''}`;
      await out.line(text);
    }
    await out.flush();
    const view = campaign.view(0, 0);
    const summary = {
      rows: view.rowCount,
      ready: view.counts.ready ?? 0,
      skipped: view.counts.skipped ?? 0,
      skippedBy: view.skipCounts,
      segments: view.totalSegments,
      tooLong: view.messageLength.tooLong,
      phoneColumn: def.phoneColumn === null ? null : def.columns[def.phoneColumn],
      phoneColumnGiven: given,
      phoneColumnChoice: view.phoneColumnChoice,
    };
    if (values.json) console.log(JSON.stringify({ summary }));
    else {
      const reasons = Object.entries(summary.skippedBy).map(([reason, n]) => `${reason} ${n}`);
      console.log(
        def.phoneColumn === null
          ? `\nNo column holds phone numbers (numbers without a country code read as ${country.country} numbers).`
          : `\n${phoneColumnLine(def.columns, def.phoneColumn, view.phoneColumnChoice, given)}`,
      );
      console.log(
        `${summary.rows} rows: ${summary.ready} ready, ${summary.skipped} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}; ${summary.segments} segments to send.`,
      );
    }
    if (tooLong) throw new DeskError('message-too-long', tooLong);
    return 0;
  } finally {
    await suppression.close();
  }
}
