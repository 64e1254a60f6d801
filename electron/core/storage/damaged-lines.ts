import { basename } from 'node:path';
import type { StoredFileDamage } from '../../../shared/api';
import type { DamagedLine } from '../campaigns/journal';

/** How many damaged lines, or numbers, a sentence names before "and N more". */
const SHOWN = 3;

/**
 * What the user is told about a log's damaged lines: which file, how many lines and where, then `assumed` (what
 * became of the entries on them), then that the file is left as it is. Null when no line is damaged.
 */
export function storedFileDamage(
  file: StoredFileDamage['file'],
  lines: readonly DamagedLine[],
  assumed: readonly string[],
): StoredFileDamage | null {
  if (lines.length === 0) return null;
  const places = lines.slice(0, SHOWN).map(place);
  const more = lines.length - places.length;
  if (more > 0) places.push(`${more.toLocaleString('en-US')} more`);
  const where =
    lines.length === 1
      ? `line ${places[0]} of its file was damaged`
      : `${lines.length.toLocaleString('en-US')} lines of its file were damaged: lines ${joinAnd(places)}`;
  return {
    file,
    lines: lines.length,
    notes: [
      `${file}: ${where}.`,
      ...assumed,
      'The file is kept as it is: nothing in it is deleted, and what is added goes on a fresh line after it.',
    ],
  };
}

/** "+14155552001, +14155552002 and 3 more". */
export function listSome(items: readonly string[]): string {
  const shown = items.slice(0, SHOWN);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : joinAnd(shown);
}

/** "12 (at byte 1,024)", "3 (at byte 80 of inbox.ndjson.1)": numbered from 1, as an editor shows them. */
function place(d: DamagedLine): string {
  const older = d.file ? ` of ${basename(d.file)}` : '';
  return `${d.line.toLocaleString('en-US')} (at byte ${d.offset.toLocaleString('en-US')}${older})`;
}

function joinAnd(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
