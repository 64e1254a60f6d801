import type { RequestPreview, ServiceView } from '../../../shared/api';
import type { Campaign } from '../campaigns/campaign';
import { DeskError } from '../errors';
import { clientFor } from './client-for';
import { outgoingMessage } from './send-campaign';
import { sendProblem } from './send-problem';

/** Stands for the service key in a preview: the key itself is never opened for one. */
export const KEY_PLACEHOLDER = '••••';

/** The request that sending would make for `row` now, built by the client that sends it. */
export function previewRequest(
  campaign: Campaign,
  row: number,
  service: ServiceView,
  notifyUrl: string,
): RequestPreview {
  const reason = campaign.reasonOf(row);
  if (reason !== null)
    throw new DeskError('row-skipped', `Row ${row + 1} is skipped (${reason}): no request is made for it.`);
  const client = clientFor({ view: service, baseUrl: service.baseUrl, key: KEY_PLACEHOLDER });
  const { method, url, headers, body } = client.request([outgoingMessage(campaign, row)], notifyUrl);
  return {
    api: service.api,
    method,
    url,
    headers,
    body: body as RequestPreview['body'],
    problem: sendProblem(campaign, service),
  };
}
