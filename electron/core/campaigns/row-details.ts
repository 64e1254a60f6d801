import type { InboxEntry, RowDetails } from '../../../shared/api';
import { deliveryCodeMeaning } from '../../../shared/delivery-codes';
import type { Campaign } from './campaign';

/**
 * Everything known about one row. `replies` are the inbox's replies from the row's number: the
 * caller looks them up, since the campaign knows nothing of the inbox.
 */
export function buildRowDetails(campaign: Campaign, row: number, replies: readonly InboxEntry[]): RowDetails {
  const view = campaign.rowView(row);
  const delivered = view.status === 'delivered' ? campaign.history.deliveredAtMs(row) : null;
  const sent = view.sentAt === null ? NaN : Date.parse(view.sentAt);
  return {
    ...view,
    carrier: campaign.history.carrierOf(row),
    meaning: deliveryCodeMeaning(view.code),
    secondsToDeliver:
      delivered === null || Number.isNaN(sent) ? null : Math.max(0, (delivered - sent) / 1000),
    history: campaign.history.events(row),
    replies: [...replies],
  };
}
