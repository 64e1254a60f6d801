// A campaign of a recipient file, imported and sent as the app journals it: a batch of 1,000 rows at a
// time, each row answered "Queued" with transid `t-<row>`. Times count from `at(0)`.
import { readFileSync } from 'node:fs';
import { TEXT_LIMITS } from '../shared/text-limits';
import { Campaign } from '../electron/core/campaigns/campaign';
import { CampaignChecker } from '../electron/core/campaigns/checks';
import type { CampaignDefinition } from '../electron/core/campaigns/definition';
import { parseRecipientsCsv } from '../electron/core/recipients/csv-import';
import { decodeText } from '../electron/core/recipients/decode';
import { choosePhoneColumn } from '../electron/core/recipients/phone-column';
import type { RecipientTable } from '../electron/core/recipients/recipient-table';

const T0 = Date.parse('2026-03-01T10:00:00Z');

/** The time `ms` after the campaign started. */
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export interface SentCampaign {
  table: RecipientTable;
  campaign: Campaign;
  /** The rows sent, in order. */
  ready: number[];
}

/** `answer` says how the platform answered each row (default: queued). */
export async function sentCampaign(
  csvPath: string,
  answer: (row: number) => 'queued' | 'unknown' = () => 'queued',
): Promise<SentCampaign> {
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
    timeZoneColumn: null,
    sendWindow: { mode: 'service' },
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
  campaign.apply({ t: 'start', at: at(0), notifyUrl: 'http://127.0.0.1/dr' });
  for (let i = 0; i < ready.length; i += 1000) {
    const rows = ready.slice(i, i + 1000);
    campaign.apply({ t: 'batch', at: at(i), rows });
    for (const row of rows) {
      campaign.apply({
        t: 'result',
        at: at(i),
        row,
        ...(answer(row) === 'queued'
          ? { status: 'queued', code: '1001', description: 'Queued', transid: `t-${row}` }
          : { status: 'unknown', code: null, description: 'No answer', transid: null }),
      });
    }
  }
  return { table, campaign, ready };
}
