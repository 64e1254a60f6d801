import { isAppPage } from './app-frame';

/**
 * The web permissions the app's page uses: writing to the clipboard (the Copy button of the replies URL).
 * Everything else (camera, notifications, geolocation, fullscreen…) is refused, and so is any request
 * from a page other than the app's own.
 */
const USED = new Set(['clipboard-sanitized-write']);

export function permissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  appPageUrl: string,
): boolean {
  return USED.has(permission) && isAppPage(requestingUrl, appPageUrl);
}
