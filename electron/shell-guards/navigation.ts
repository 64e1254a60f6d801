import { fileURLToPath } from 'node:url';

/**
 * What to do when the app's page would navigate away. It never may: the app is one page. A file dropped on
 * the window, and left unhandled by the page, makes Chromium navigate the window to its file:// URL, a
 * navigation no frame initiated; that is how the main process learns the path of a dropped file without
 * taking it from the page. A file:// navigation a script starts (initiated by a frame) is only blocked.
 */
export type Navigation = { kind: 'dropped-file'; path: string } | { kind: 'blocked' };

export interface NavigationRequest {
  url: string;
  isMainFrame: boolean;
  /** Whether a frame (a script, a link) started it, rather than the browser itself. */
  initiatedByFrame: boolean;
}

export function navigationOutcome({ url, isMainFrame, initiatedByFrame }: NavigationRequest): Navigation {
  const target = parse(url);
  const droppedFile =
    isMainFrame &&
    !initiatedByFrame &&
    target?.protocol === 'file:' &&
    target.host === '' &&
    !target.pathname.endsWith('/');
  if (!droppedFile) return { kind: 'blocked' };
  try {
    return { kind: 'dropped-file', path: fileURLToPath(target) };
  } catch {
    return { kind: 'blocked' };
  }
}

/**
 * A page asking for a new window (a link with target=_blank) gets none; an https link opens in the user's
 * browser instead. The URL returned is the one to open outside, or null.
 */
export function externalLink(url: string): string | null {
  const target = parse(url);
  if (target?.protocol !== 'https:' || target.username !== '' || target.password !== '') return null;
  return target.href;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
