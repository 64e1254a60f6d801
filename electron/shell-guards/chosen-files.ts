import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';

/** A file the main process saw the user choose (in its open dialog, or dropped on the window). */
export interface ChosenFile {
  fileId: string;
  /** The file's name without its folder: what the page may show. */
  name: string;
}

/** How many chosen files stay known; the page only ever works with the last few. */
export const MAX_CHOSEN_FILES = 20;

/**
 * The only paths the page may have the core read. The page names a file by the id it was given when the
 * user chose it, never by a path, so a page cannot make the app read a file the user did not pick.
 */
export class ChosenFiles {
  private readonly paths = new Map<string, string>();

  add(path: string): ChosenFile {
    const fileId = randomUUID();
    this.paths.set(fileId, path);
    for (const oldest of this.paths.keys()) {
      if (this.paths.size <= MAX_CHOSEN_FILES) break;
      this.paths.delete(oldest);
    }
    return { fileId, name: basename(path) };
  }

  /** The path behind `fileId`, or null for an id this process did not hand out (or has forgotten). */
  pathOf(fileId: unknown): string | null {
    return typeof fileId === 'string' ? (this.paths.get(fileId) ?? null) : null;
  }
}
