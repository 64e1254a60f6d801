import { randomBytes } from 'node:crypto';
import type { CampaignOrigin } from '../../../shared/api';
import { FAILED_STATUSES } from '../../../shared/campaign-figures';
import { deliveryCodeMeaning } from '../../../shared/delivery-codes';
import { RecipientTable } from '../recipients/recipient-table';
import type { Campaign } from './campaign';
import { CampaignStore } from './campaign-store';
import type { CampaignDefinition } from './definition';

/** The columns a campaign of failed rows adds, with what became of each row the last time. */
export const PREVIOUS_COLUMNS = ['previous_status', 'previous_code', 'previous_reason'] as const;

const MAX_NAME = 200;

/**
 * A new draft's definition made from `source`: same message, sender, service, smartlinks and request options, but
 * its own id, creation time and Idempotency-Key nonce, so that nothing of the source's sending carries over.
 */
export function derivedDefinition(
  source: CampaignDefinition,
  name: string,
  origin: CampaignOrigin,
  columns: readonly string[] = source.columns,
  now = new Date(),
): CampaignDefinition {
  return {
    ...source,
    id: CampaignStore.newId(now),
    name: name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name,
    createdAt: now.toISOString(),
    columns: [...columns],
    keyNonce: randomBytes(6).toString('hex'),
    archived: false,
    origin,
  };
}

/**
 * The rows whose final status is a failure (FAILED_STATUSES: rejected, undelivered, failed, expired), with every
 * column of the file and PREVIOUS_COLUMNS filled in (replaced where the file has them already, as a campaign of
 * failed rows does). Rows whose outcome is unknown are left out: their message may well have been delivered.
 * Null when no row failed.
 */
export function failedRowsTable(campaign: Campaign): RecipientTable | null {
  const columns = [...campaign.table.columns];
  const at = PREVIOUS_COLUMNS.map((name) => {
    const found = columns.findIndex((c) => c.trim().toLowerCase() === name);
    return found >= 0 ? found : columns.push(name) - 1;
  });
  const rows: string[][] = [];
  for (let row = 0; row < campaign.size; row++) {
    const outcome = campaign.outcome(row);
    if (!outcome || !FAILED_STATUSES.has(outcome.status)) continue;
    const cells = campaign.table.values(row);
    while (cells.length < columns.length) cells.push('');
    const reason = outcome.description || deliveryCodeMeaning(outcome.code) || '';
    [outcome.status, outcome.code ?? '', reason].forEach((value, i) => (cells[at[i] as number] = value));
    rows.push(cells);
  }
  return rows.length === 0 ? null : RecipientTable.fromRows(columns, rows);
}
