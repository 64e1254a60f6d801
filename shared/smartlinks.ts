/**
 * Smartlinks: `{{link_<id>}}` in a message is replaced by the platform with a tracked short link. The
 * preview shows a stand-in of the same length, so that lengths and segments are those of the sent SMS.
 * The platform's short links are taken to be 23 characters (`https://` + a short domain + a code);
 * the figure is ours, not documented by the platform.
 */
export const SHORT_LINK_LENGTH = 23;
const SMARTLINK = /\{\{link_([A-Za-z0-9_-]+)\}\}/g;

export const VALIDITY_UNITS = ['minutes', 'hours', 'days'] as const;
export type ValidityUnit = (typeof VALIDITY_UNITS)[number];
const MINUTES_PER: Record<ValidityUnit, number> = { minutes: 1, hours: 60, days: 1440 };
/** The longest validity offered: ten years, as before units were offered. */
export const MAX_VALIDITY_MINUTES = 3650 * 1440;

export interface Smartlink {
  linkid: string;
  /** How long the link stays valid, in `unit`s. */
  validity: number;
  unit: ValidityUnit;
}

/** The platform reads `validity` in minutes (docs.imiconnect.com "messaging"). */
export function validityMinutes(link: Pick<Smartlink, 'validity' | 'unit'>): number {
  return link.validity * MINUTES_PER[link.unit];
}

export function smartlinkIds(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(SMARTLINK), (m) => m[1] as string))];
}

export function standInLink(linkid: string): string {
  const base = `https://lnk.example/${linkid}`;
  return base.length >= SHORT_LINK_LENGTH
    ? base.slice(0, SHORT_LINK_LENGTH)
    : base.padEnd(SHORT_LINK_LENGTH, 'x');
}

/** The text as counted for length and segments: links replaced by stand-ins of the short link's length. */
export function withStandInLinks(text: string): string {
  return text.includes('{{link_') ? text.replace(SMARTLINK, (_, id: string) => standInLink(id)) : text;
}

/**
 * A smartlink as every screen and the report show it (table, row details, phone preview, report): the platform
 * puts a short link of its own in its place when it sends, which no one here can know beforehand.
 */
export function shownLink(linkid: string): string {
  return `[link: ${linkid}]`;
}

/** The text as screens and the report show it, each smartlink as `shownLink`. */
export function withShownLinks(text: string): string {
  return text.includes('{{link_') ? text.replace(SMARTLINK, (_, id: string) => shownLink(id)) : text;
}

export function unknownSmartlinks(text: string, configured: readonly Smartlink[]): string[] {
  const known = new Set(configured.map((l) => l.linkid));
  return smartlinkIds(text).filter((id) => !known.has(id));
}

/** Only Messaging API v1 sends smartlinks: why a campaign that uses some cannot go through the Send SMS API. */
export function smartlinksNeedMessagingApi(linkids: readonly string[], serviceName: string): string {
  return `The message uses smartlinks (${linkids.map((id) => `{{link_${id}}}`).join(', ')}), which only Messaging API v1 sends; ${serviceName} uses the Send SMS API. Remove them, or send through a Messaging API v1 service.`;
}
