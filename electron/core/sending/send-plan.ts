import { createHash } from 'node:crypto';
import type { PlannedMessage, SendPlan, ServiceView, SkipReason } from '../../../shared/api';
import type { Campaign } from '../campaigns/campaign';
import { DeskError } from '../errors';
import { outgoingMessage } from './send-campaign';

/** Version of the digest's serialization: a change to it must not match plans confirmed under another. */
const DIGEST_FORMAT = 'campaign-desk/send-plan/1';

/**
 * What sending the campaign's ready rows through `service` would do, in one pass over the rows. The digest covers
 * the service and the exact message of every ready row (number, text, sender, smartlinks, request options, key):
 * the messages `startSending` builds with the same function, so a plan matches only what would really go out.
 */
export function buildSendPlan(campaign: Campaign, service: ServiceView, startAt: string | null): SendPlan {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      DIGEST_FORMAT,
      campaign.id,
      service.id,
      service.baseUrl,
      service.api,
      service.numbersWithPlus,
    ]),
  );
  const skipped: Partial<Record<SkipReason, number>> = {};
  let ready = 0;
  let segments = 0;
  let first: PlannedMessage | null = null;
  let lastRow = -1;
  for (let row = 0; row < campaign.size; row++) {
    const status = campaign.statusOf(row);
    if (status === 'skipped') {
      const reason = campaign.reasonOf(row) as SkipReason;
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      continue;
    }
    if (status !== 'ready') continue;
    const message = outgoingMessage(campaign, row);
    // Row by row, each one delimited: no two different plans can serialize alike.
    hash.update(`\n${JSON.stringify(message)}`);
    ready++;
    const rowSegments = campaign.segmentsOf(row);
    segments += rowSegments;
    first ??= planned(campaign, row, service, rowSegments);
    lastRow = row;
  }
  if (first === null) throw new DeskError('campaign-not-ready', 'No row is ready to send.');
  return {
    campaignId: campaign.id,
    ready,
    skipped,
    segments,
    cost: {
      amount: segments * service.pricePerSegment,
      currency: service.currency,
      pricePerSegment: service.pricePerSegment,
    },
    senderId: campaign.definition.senderId,
    service: { id: service.id, name: service.name },
    api: service.api,
    startAt,
    first,
    last: planned(campaign, lastRow, service, campaign.segmentsOf(lastRow)),
    digest: hash.digest('hex'),
  };
}

function planned(campaign: Campaign, row: number, service: ServiceView, segments: number): PlannedMessage {
  const msisdn = campaign.msisdn(row) as string;
  return {
    row,
    msisdn: service.numbersWithPlus ? msisdn : msisdn.replace(/^\+/, ''),
    text: campaign.message(row),
    encoding: campaign.encodingOf(row),
    segments,
  };
}

/** Refuses a send whose confirmed plan is no longer what would go out. */
export function checkConfirmed(confirmed: string, now: SendPlan): void {
  if (confirmed === now.digest) return;
  throw new DeskError(
    'plan-changed',
    'The campaign changed after you confirmed it: what would be sent is no longer the plan you saw. Review the plan again.',
  );
}
