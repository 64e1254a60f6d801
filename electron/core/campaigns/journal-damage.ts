/** What replaying a campaign's journal assumed about rows that a damaged line left in doubt. */
export interface JournalDamage {
  /** The damaged line's number; null when no line could be read as damaged (a line altered into another event). */
  line: number | null;
  /** Rows no readable batch names whose answer or report was found: counted as sent. */
  sent: number[];
  /** Rows the damaged line names with nothing else in the journal: a request may have carried them. */
  unknown: number[];
}

/** How many damaged lines the campaign's view describes one by one. */
const SHOWN_LINES = 5;
/** How many runs of rows a sentence names. */
const SHOWN_RANGES = 4;

const ROWS_LIST = /"rows"\s*:\s*\[([^\]]*)/;
const ANY_LIST = /\[([^\]]*)/;

/**
 * The rows a damaged line may name: those of its list of rows (a batch's), read as far as it goes. A batch carries a
 * run of the rows ready at its time, so every row between the first and last read is taken as named: a garbled
 * number in the middle of the list loses none. `cut` when the list does not end: it may have named more rows.
 */
export function rowsNamedIn(
  text: string,
  rowCount: number,
): { from: number; to: number; cut: boolean } | null {
  const list = ROWS_LIST.exec(text) ?? (text.includes('batch') ? ANY_LIST.exec(text) : null);
  if (!list) return null;
  const numbers = (list[1]?.match(/\d{1,9}/g) ?? []).map(Number).filter((row) => row < rowCount);
  if (numbers.length === 0) return null;
  const cut = text[list.index + list[0].length] !== ']';
  return { from: Math.min(...numbers), to: Math.max(...numbers), cut };
}

/** Plain sentences for the campaign's view and the command line: which line, which rows, what was assumed. */
export function describeJournalDamage(damage: readonly JournalDamage[]): string[] {
  const notes = damage.slice(0, SHOWN_LINES).map((d) => {
    const where =
      d.line === null
        ? "A line of this campaign's journal was altered"
        : `Line ${d.line.toLocaleString('en-US')} of this campaign's journal was damaged`;
    const said: string[] = [];
    if (d.sent.length > 0)
      said.push(
        `${describeRows(d.sent)} ${d.sent.length === 1 ? 'was' : 'were'} counted as sent (answers or reports for them were found)`,
      );
    if (d.unknown.length > 0)
      said.push(
        `${describeRows(d.unknown)} may have been sent, so ${d.unknown.length === 1 ? 'it is' : 'they are'} marked unknown and will not be sent again unless you choose to`,
      );
    if (said.length === 0) return `${where}; no row was found to depend on it.`;
    return `${where}: ${said.join('; ')}.`;
  });
  const more = damage.length - SHOWN_LINES;
  if (more > 0)
    notes.push(
      `${more.toLocaleString('en-US')} more ${more === 1 ? 'line' : 'lines'} of the journal ${more === 1 ? 'was' : 'were'} damaged.`,
    );
  return notes;
}

/** "row 12", "rows 12–21", "rows 3, 7–9 and 40 others": numbered from 1, as the table shows them. */
function describeRows(rows: readonly number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  if (sorted.length === 1) return `row ${(sorted[0] as number) + 1}`;
  const runs: [number, number][] = [];
  for (const row of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === row - 1) last[1] = row;
    else runs.push([row, row]);
  }
  const shown = runs.slice(0, SHOWN_RANGES).map(([a, b]) => (a === b ? `${a + 1}` : `${a + 1}–${b + 1}`));
  const others = runs.slice(SHOWN_RANGES).reduce((n, [a, b]) => n + b - a + 1, 0);
  const list =
    others > 0 ? `${shown.join(', ')} and ${others.toLocaleString('en-US')} others` : joinAnd(shown);
  return `rows ${list}`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
