import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeLength, TEXT_LIMITS } from '../../shared/text-limits';
import { Campaign, NO_READY_ROW } from '../core/campaigns/campaign';
import { CampaignChecker } from '../core/campaigns/checks';
import type { CampaignDefinition } from '../core/campaigns/definition';
import { DeskError } from '../core/errors';
import { resolveDataDir } from '../core/node-desk';
import { detectPhoneColumn, parseRecipientsCsv } from '../core/recipients/csv-import';
import { decodeText } from '../core/recipients/decode';
import { SuppressionList } from '../core/recipients/suppression';
import { columnIndex, parseSmartlink, readRecipientFile, UsageError } from './args';
import { sendApi } from './external-service';

/**
 * `preview`: every row as it would be sent (number, status, reason, message, encoding, segments, length) and
 * a summary, by the same checks as `send`, including the opt-out list of the data folder.
 */
export async function previewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      country: { type: 'string', default: 'US' },
      'phone-column': { type: 'string' },
      smartlink: { type: 'string', multiple: true, default: [] },
      api: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('preview takes exactly one recipients CSV file.');
  if (values.text === undefined) throw new UsageError('preview needs --text <template>.');
  const country = values.country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw new UsageError(`--country takes a two-letter code such as GB, not "${values.country}".`);

  // The API `send` would use: its text limit applies.
  const api = sendApi(values.api) ?? 'messaging';
  const table = await parseRecipientsCsv(decodeText(await readRecipientFile(file)).text);
  const def: CampaignDefinition = {
    id: 'preview',
    name: file,
    createdAt: new Date().toISOString(),
    fileName: file,
    sheet: null,
    sheets: [],
    columns: [...table.columns],
    phoneColumn:
      values['phone-column'] === undefined
        ? detectPhoneColumn(table)
        : columnIndex([...table.columns], values['phone-column']),
    defaultCountry: country,
    template: values.text,
    senderId: 'preview',
    serviceId: 'sandbox',
    smartlinks: values.smartlink.map(parseSmartlink),
    keyNonce: '',
    requestOptions: {},
  };
  const suppression = await SuppressionList.open(
    join(resolveDataDir(values['data-dir']), 'suppression.ndjson'),
  );
  try {
    const checks = await new CampaignChecker(table, suppression).check(def);
    const limit = TEXT_LIMITS[api];
    const campaign = new Campaign(def, table, checks, limit);
    const tooLong = campaign.tooLongProblem();
    const problem = campaign.problem();
    if (problem && problem !== NO_READY_ROW && problem !== tooLong)
      throw new DeskError('template-invalid', problem);
    for (let row = 0; row < campaign.size; row++) {
      const r = campaign.rowView(row);
      const line = {
        row: row + 1,
        msisdn: r.msisdn,
        status: r.status,
        reason: r.reason,
        message: r.message,
        encoding: r.encoding,
        segments: r.segments,
        characters: r.characters,
        tooLong: r.tooLong,
      };
      console.log(
        values.json
          ? JSON.stringify(line)
          : `${String(line.row).padStart(6)}  ${(line.msisdn ?? '-').padEnd(16)} ${line.status.padEnd(7)} ${(line.reason ?? '').padEnd(14)} ${line.encoding} ${String(line.segments).padStart(2)}  ${JSON.stringify(line.message)}${line.tooLong ? `  too long: ${describeLength(line.characters, limit)}` : ''}`,
      );
    }
    const view = campaign.view(0, 0);
    const summary = {
      rows: view.rowCount,
      ready: view.counts.ready ?? 0,
      skipped: view.counts.skipped ?? 0,
      skippedBy: view.skipCounts,
      segments: view.totalSegments,
      tooLong: view.messageLength.tooLong,
      phoneColumn: def.phoneColumn === null ? null : def.columns[def.phoneColumn],
    };
    if (values.json) console.log(JSON.stringify({ summary }));
    else {
      const reasons = Object.entries(summary.skippedBy).map(([reason, n]) => `${reason} ${n}`);
      console.log(
        `\n${summary.rows} rows: ${summary.ready} ready, ${summary.skipped} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}; ${summary.segments} segments to send.`,
      );
    }
    if (tooLong) throw new DeskError('message-too-long', tooLong);
    return 0;
  } finally {
    await suppression.close();
  }
}
