import { isLoopbackUrl } from './platform-hosts';

/** Why a base URL cannot carry a service's key, as zod's message completes it. */
export const INSECURE_URL =
  'must start with https:// (http:// only for an address on this computer, such as localhost or 127.0.0.1)';

/** Whether a service's key may travel to this address: https, or plain http to this computer only. */
export function keySafeUrl(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  return scheme === 'https' || (scheme === 'http' && isLoopbackUrl(url));
}

/** Scheme, any user, then the host and port (`shared/` has no URL class). */
const AUTHORITY = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/i;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** The host, with its port unless the scheme's default, that a service's key is entered for; null if unreadable. */
export function keyHost(url: string): string | null {
  const match = AUTHORITY.exec(url.trim());
  const host = match?.[2]?.toLowerCase();
  if (!match || !host) return null;
  const port = match[3];
  return port && port !== DEFAULT_PORTS[(match[1] as string).toLowerCase()] ? `${host}:${port}` : host;
}
