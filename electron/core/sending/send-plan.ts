import { createHash } from 'node:crypto';
import type { PlannedMessage, SendPlan, ServiceView, SkipReason } from '../../../shared/api';
import type { Campaign } from '../campaigns/campaign';
import { DeskError } from '../errors';
import { SANDBOX_ID } from '../services';
import { validityMinutes } from '../../../shared/smartlinks';
import type { RowZones } from '../recipients/row-zones';
import { effectiveWindow, planWindow } from './plan-window';

/** Version of the digest's serialization: a change to it must not match plans confirmed under another. */
const DIGEST_FORMAT = 'campaign-desk/send-plan/2';

/** Row texts are hashed in chunks of about this many characters: one update per row would cost more than the rows. */
const CHUNK_CHARS = 1 << 16;

/**
 * What sending the campaign's ready rows through `service` would do, in one pass over the rows. The digest covers
 * every part of the messages `outgoingMessage` builds for them: the service, the sender, smartlinks and request
 * options, the key's nonce, and each ready row's number, text, attempt and template parameters.
 */
export function buildSendPlan(
  campaign: Campaign,
  service: ServiceView,
  startAt: string | null,
  frequencyCap: SendPlan['frequencyCap'] = null,
): Omit<SendPlan, 'optOutDamage'> {
  const def = campaign.definition;
  const rule = effectiveWindow(def, service);
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      DIGEST_FORMAT,
      campaign.id,
      def.keyNonce,
      service.id,
      // The embedded Sandbox listens on a new port each start: a plan confirmed for it holds across a restart.
      service.id === SANDBOX_ID ? SANDBOX_ID : service.baseUrl,
      service.api,
      service.numbersWithPlus,
      def.senderId,
      campaign.smartlinksUsed.map((l) => [l.linkid, validityMinutes(l)]),
      def.requestOptions,
      rule.window,
    ]),
  );
  // Template parameters may hold placeholders: only then do a row's options differ from the definition's.
  const optionsPerRow = Object.keys(def.requestOptions.template?.parameters ?? {}).length > 0;
  let chunk = '';
  const skipped: Partial<Record<SkipReason, number>> = {};
  let ready = 0;
  let segments = 0;
  let firstRow = -1;
  let lastRow = -1;
  const readyIn = new Map<number, number>();
  const zones = campaign.zones;
  for (let row = 0; row < campaign.size; row++) {
    // Skipped since the plan was made, as over the frequency cap: the plan holds without them (fewer messages).
    const status = campaign.cappedSincePlan(row) ? 'ready' : campaign.statusOf(row);
    if (status === 'skipped') {
      const reason = campaign.reasonOf(row) as SkipReason;
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      continue;
    }
    if (status !== 'ready') continue;
    const text = campaign.message(row);
    const group = zones.groupOf(row);
    readyIn.set(group, (readyIn.get(group) ?? 0) + 1);
    // The text's length makes each row's line unambiguous whatever the text holds; its zones decide when it goes.
    chunk += `\n${row} ${campaign.attemptOf(row)} ${campaign.msisdn(row) as string} ${zoneKey(zones, group)} ${text.length} ${text}`;
    if (optionsPerRow) chunk += JSON.stringify(campaign.requestOptions(row).template?.parameters);
    if (chunk.length >= CHUNK_CHARS) {
      hash.update(chunk);
      chunk = '';
    }
    ready++;
    segments += campaign.segmentsOf(row);
    if (firstRow < 0) firstRow = row;
    lastRow = row;
  }
  hash.update(chunk);
  if (firstRow < 0) throw new DeskError('campaign-not-ready', 'No row is ready to send.');
  const window = planWindow(zones, readyIn, rule, startAt === null ? Date.now() : Date.parse(startAt));
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
    senderId: def.senderId,
    service: { id: service.id, name: service.name },
    api: service.api,
    startAt,
    frequencyCap,
    first: planned(campaign, firstRow, service),
    last: planned(campaign, lastRow, service),
    window,
    digest: hash.digest('hex'),
  };
}

function zoneKey(zones: RowZones, group: number): string {
  return group === 0 ? '-' : zones.group(group).key;
}

function planned(campaign: Campaign, row: number, service: ServiceView): PlannedMessage {
  const msisdn = campaign.msisdn(row) as string;
  return {
    row,
    msisdn: service.numbersWithPlus ? msisdn : msisdn.replace(/^\+/, ''),
    text: campaign.message(row),
    encoding: campaign.encodingOf(row),
    segments: campaign.segmentsOf(row),
  };
}

/** Refuses a send whose confirmed plan is no longer what would go out. */
export function checkConfirmed(confirmed: string, now: Pick<SendPlan, 'digest'>): void {
  if (confirmed === now.digest) return;
  throw new DeskError(
    'plan-changed',
    'The campaign changed after you confirmed it: what would be sent is no longer the plan you saw. Review the plan again.',
  );
}
