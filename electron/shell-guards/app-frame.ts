import { fileURLToPath } from 'node:url';

/** Who may talk to the core over IPC: the top frame of the app's own page, nothing else. */
export interface SenderFrame {
  url: string;
  /** Whether the frame is its window's main frame (not an iframe inside it). */
  isTopFrame: boolean;
}

/** Whether `url` is the app's own page, a file:// URL (its hash and query aside). */
export function isAppPage(url: string | undefined, appPageUrl: string): boolean {
  const page = filePath(url);
  return page !== null && page === filePath(appPageUrl);
}

export function isAppFrame(frame: SenderFrame | null | undefined, appPageUrl: string): boolean {
  return frame != null && frame.isTopFrame && isAppPage(frame.url, appPageUrl);
}

/** Compared as paths, so that two spellings of one file URL (%20 or not) are the same page. */
function filePath(url: string | undefined): string | null {
  try {
    const parsed = new URL(url ?? '');
    return parsed.protocol === 'file:' && parsed.host === '' ? fileURLToPath(parsed) : null;
  } catch {
    return null;
  }
}
