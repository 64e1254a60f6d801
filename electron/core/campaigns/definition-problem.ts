import type { Smartlink } from '../../../shared/api';
import { senderIdProblem } from '../../../shared/sender-id';
import { smartlinkIds, smartlinksNeedMessagingApi, unknownSmartlinks } from '../../../shared/smartlinks';
import { describeUnknownPlaceholders, type CompiledTemplate } from '../../../shared/template';
import type { TextLimit } from '../../../shared/text-limits';
import type { CampaignDefinition } from './definition';
import type { CompiledRequestOptions } from './request-options';

/** The smartlinks a definition's message uses: those sent with every message. */
export function smartlinksUsedBy(def: CampaignDefinition): Smartlink[] {
  const used = new Set(smartlinkIds(def.template));
  return def.smartlinks.filter((l) => used.has(l.linkid));
}

/**
 * Why a campaign cannot be sent as defined, whatever its rows hold (no phone column, an unknown placeholder
 * or smartlink, a bad sender…), or null.
 */
export function definitionProblem(
  def: CampaignDefinition,
  compiled: CompiledTemplate,
  options: CompiledRequestOptions,
  limit: TextLimit,
): string | null {
  if (def.phoneColumn === null) return 'Choose the column that holds the phone numbers.';
  if (def.template.trim() === '') return 'Write the message.';
  if (compiled.unknown.length > 0) return describeUnknownPlaceholders(compiled.unknown, def.columns);
  const links = unknownSmartlinks(def.template, def.smartlinks);
  if (links.length > 0) {
    return `The message uses ${links.map((id) => `{{link_${id}}}`).join(', ')}, but no such smartlink is set up for this campaign.`;
  }
  const used = smartlinksUsedBy(def);
  if (limit.api === 'sms' && used.length > 0)
    return smartlinksNeedMessagingApi(
      used.map((l) => l.linkid),
      "this campaign's service",
    );
  const [parameter] = options.unknown;
  if (parameter)
    return describeUnknownPlaceholders(
      parameter.names,
      def.columns,
      `The template parameter "${parameter.parameter}"`,
    );
  return senderIdProblem(def.senderId);
}
