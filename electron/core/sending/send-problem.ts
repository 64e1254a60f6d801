import type { ServiceView } from '../../../shared/api';
import { expiryPassed } from '../../../shared/request-options';
import { smartlinksNeedMessagingApi } from '../../../shared/smartlinks';
import type { Campaign } from '../campaigns/campaign';

/**
 * Why the campaign's messages cannot go through `service` now, though the campaign itself is complete: what the
 * service's API cannot carry, or an expiry that has passed. Null when they can.
 */
export function sendProblem(campaign: Campaign, service: ServiceView, now = Date.now()): string | null {
  const { requestOptions } = campaign.definition;
  if (service.api === 'sms') {
    const links = campaign.smartlinksUsed;
    if (links.length > 0)
      return smartlinksNeedMessagingApi(
        links.map((l) => l.linkid),
        `"${service.name}"`,
      );
    if (requestOptions.template)
      return `The campaign uses the platform template "${requestOptions.template.id}", which only Messaging API v1 sends: the Send SMS API's documentation names no field for a template ID, and "${service.name}" uses that API. Remove the template, or send through a Messaging API v1 service.`;
  }
  const { expiry } = requestOptions;
  if (expiry !== undefined && expiryPassed(expiry, now))
    return `The expiry (${expiry}, UTC) has passed: the platform would no longer deliver these messages.${campaign.isStarted ? '' : ' Set a later expiry or clear it.'}`;
  return null;
}
