/**
 * The platform's API addresses, from page "know-your-api-endpoints" (documentation 6.20.0). Which address
 * a tenant uses follows from the domain of the console it logs in to (`tenantname.<consoleDomain>`).
 */
import type { SendApi } from './api';

export interface PlatformHost {
  baseUrl: string;
  /** Where the tenant is hosted, in the words the form groups the list by. */
  region: string;
  consoleDomain: string;
  /** `webexconnect`: the `api.<region>.webexconnect.io` addresses added in v6.0; `imiconnect`: the older ones. */
  family: 'webexconnect' | 'imiconnect';
  apis: readonly SendApi[];
}

// The Send SMS API (`/v1/sms/messages`) is documented only on the webexconnect.io addresses. The docs are
// silent on whether the older addresses serve it, so they are listed with Messaging API v1 only.
const NEW_HOST_APIS: readonly SendApi[] = ['messaging', 'sms'];
const OLD_HOST_APIS: readonly SendApi[] = ['messaging'];

const newHost = (region: string, code: string): PlatformHost => ({
  baseUrl: `https://api.${code}.webexconnect.io`,
  region,
  consoleDomain: `${code}.webexconnect.io`,
  family: 'webexconnect',
  apis: NEW_HOST_APIS,
});

const oldHost = (region: string, host: string, consoleDomain: string): PlatformHost => ({
  baseUrl: `https://${host}`,
  region,
  consoleDomain,
  family: 'imiconnect',
  apis: OLD_HOST_APIS,
});

/** Grouped by region, the current address first in each group. */
export const PLATFORM_HOSTS: readonly PlatformHost[] = [
  newHost('US', 'us'),
  newHost('US', 'us1'),
  // US tenants whose console is on .io; the guide's ".io console → api.imiconnect.io" is wrong for them.
  oldHost('US', 'api-us.imiconnect.io', 'imiconnect.io'),
  oldHost('US', 'api.imiconnect.us', 'imiconnect.us'),
  newHost('Canada', 'ca'),
  oldHost('Canada', 'api.imiconnect.ca', 'imiconnect.ca'),
  newHost('UK', 'uk'),
  oldHost('UK', 'api.imiconnect.eu', 'imiconnect.eu'),
  newHost('Europe', 'eu'),
  // The docs' "EMEA": tenants outside North America whose console is on .io.
  oldHost('Europe, Middle East and Africa', 'api.imiconnect.io', 'imiconnect.io'),
  newHost('India and Asia-Pacific', 'in'),
  oldHost('India and Asia-Pacific', 'api.imiconnect.in', 'imiconnect.in'),
  newHost('Australia', 'au'),
  // The docs give this one no region.
  oldHost('Other', 'api.imiconnect.com', 'imiconnect.com'),
];

/** How the form names a host, e.g. "US — console on imiconnect.io". */
export function hostLabel(host: PlatformHost): string {
  return `${host.region} — console on ${host.consoleDomain}`;
}

/**
 * The documented host an address typed by the user points at, whatever path, trailing slash, letter case or
 * scheme it was typed with; null for any other address.
 */
export function knownHost(address: string): PlatformHost | null {
  const hostname = /^https?:\/\/([^/?#:@]+)(?::443)?(?:[/?#].*)?$/i.exec(address.trim())?.[1];
  if (!hostname) return null;
  return PLATFORM_HOSTS.find((host) => host.baseUrl === `https://${hostname.toLowerCase()}`) ?? null;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** The host of an absolute URL (`shared/` has no URL class): after the scheme and any user, before port or path. */
const HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i;

/** Whether `url` points at this computer (the simulator, a local test server); false when it cannot be read. */
export function isLoopbackUrl(url: string): boolean {
  const host = HOST.exec(url.trim())?.[1];
  return host !== undefined && LOOPBACK.test(host);
}
