import { withShownLinks } from '../../shared/smartlinks';
import type { CompiledTemplate } from '../../shared/template';
import { renderMessage } from '../../shared/template';
import type { PhoneNormalizer } from '../core/recipients/phone-numbers';
import { measureMessage, readNumber, reasonCode } from '../core/recipients/prepare';
import { zoneOfCell, zonesOfNumber, type ZoneSet } from '../core/recipients/time-zones';

/**
 * How a batch's rows are read: each row crosses as `width` cells, its phone cell first, then its time-zone
 * cell where the file has a time-zone column, then the cells its message takes; the template's placeholders
 * point at those cells.
 */
export interface RowReading {
  template: CompiledTemplate;
  width: number;
  zoneCell: boolean;
}

/** Rows' cells as they cross to a worker: one string cut by the cells' lengths (a cell may hold any character). */
export interface RowBatch {
  cells: string;
  lengths: Uint32Array<ArrayBuffer>;
}

/** What a batch's rows say, by row: strings joined by line breaks, numbers in typed arrays. */
export interface ReadBatch {
  /** E.164, or '' where the reason is not 0. */
  numbers: string;
  /** readNumber's reason code: 0, missing or invalid. */
  reasons: Uint8Array<ArrayBuffer>;
  /** The messages as shown, JSON-quoted, in UTF-8 one after the other: row i's ends at messageEnds[i]. */
  messages: Uint8Array<ArrayBuffer>;
  messageEnds: Uint32Array<ArrayBuffer>;
  /** Segments and characters, two per row. */
  sizes: Uint32Array<ArrayBuffer>;
  /** UCS2, EMPTY and PLUSLESS bits. */
  flags: Uint8Array<ArrayBuffer>;
  /** The batch's distinct zone sets, their keys joined by line breaks (a handful: sets are per prefix). */
  zoneKeys: string;
  /** By row: 0 no zone known, NO_ZONE_NAMED, else 1 + the set's place in zoneKeys. */
  zones: Uint16Array<ArrayBuffer>;
}

/** The row's time-zone cell names no zone: the row is skipped as unknown-time-zone. */
export const NO_ZONE_NAMED = 0xffff;

export const UCS2 = 1;
/** A placeholder found its cell empty and had no fallback. */
export const EMPTY = 2;
/** The phone cell holds something not written with a leading +: read as a number of the default country. */
export const PLUSLESS = 4;
const PLUS = 0x2b;
const MISSING = reasonCode('missing-number');

/**
 * The reading of `template` with the phone cell at `phoneColumn` and the time-zone cell at `timeZoneColumn`
 * (null: none), and the file's columns each row sends.
 */
export function rowReading(
  template: CompiledTemplate,
  phoneColumn: number | null,
  timeZoneColumn: number | null,
): { reading: RowReading; columns: number[] } {
  // -1: no phone column, the cell sent is empty.
  const columns = [phoneColumn ?? -1];
  if (timeZoneColumn !== null) columns.push(timeZoneColumn);
  const parts = template.parts.map((part) => {
    if (typeof part === 'string') return part;
    let at = columns.indexOf(part.column, 1);
    if (at < 0) at = columns.push(part.column) - 1;
    return { ...part, column: at };
  });
  const reading = {
    template: { parts, unknown: template.unknown },
    width: columns.length,
    zoneCell: timeZoneColumn !== null,
  };
  return { reading, columns };
}

export function rowBatch(rows: readonly (readonly string[])[], columns: readonly number[]): RowBatch {
  const lengths = new Uint32Array(rows.length * columns.length);
  const cells: string[] = [];
  let k = 0;
  for (const row of rows) {
    for (const column of columns) {
      const cell = column < 0 ? '' : (row[column] ?? '');
      cells.push(cell);
      lengths[k++] = cell.length;
    }
  }
  return { cells: cells.join(''), lengths };
}

export function readBatch(
  { cells, lengths }: RowBatch,
  { template, width, zoneCell }: RowReading,
  normalizer: PhoneNormalizer,
): ReadBatch {
  const count = lengths.length / width;
  const reasons = new Uint8Array(count);
  const sizes = new Uint32Array(count * 2);
  const flags = new Uint8Array(count);
  const zones = new Uint16Array(count);
  const zoneSets = new BatchZoneSets();
  const numbers: string[] = [];
  const messages: string[] = [];
  const values = new Array<string>(width);
  let at = 0;
  for (let row = 0, k = 0; row < count; row++) {
    for (let c = 0; c < width; c++) {
      const end = at + (lengths[k++] as number);
      values[c] = cells.slice(at, end);
      at = end;
    }
    const phone = values[0] as string;
    const read = readNumber(phone, normalizer);
    reasons[row] = read.reason;
    numbers.push(read.msisdn ?? '');
    if (read.msisdn !== null) {
      // As the campaign's checks read it: the file's cell overrides the number's zones.
      const named = zoneCell ? zoneOfCell(values[1] as string) : null;
      zones[row] =
        named === 'unknown' ? NO_ZONE_NAMED : zoneSets.indexOf(named ?? zonesOfNumber(read.msisdn));
    }
    const rendered = renderMessage(template, values);
    const { encoding, segments, characters } = measureMessage(rendered.text);
    sizes[row * 2] = segments;
    sizes[row * 2 + 1] = characters;
    flags[row] =
      (encoding === 'UCS-2' ? UCS2 : 0) |
      (rendered.emptyPlaceholders.length > 0 ? EMPTY : 0) |
      (read.reason !== MISSING && phone.trimStart().charCodeAt(0) !== PLUS ? PLUSLESS : 0);
    messages.push(JSON.stringify(withShownLinks(rendered.text)));
  }
  let chars = 0;
  for (const message of messages) chars += message.length;
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const bytes = Buffer.allocUnsafeSlow(chars * 3);
  const messageEnds = new Uint32Array(count);
  let used = 0;
  for (let row = 0; row < count; row++) {
    used += bytes.write(messages[row] as string, used);
    messageEnds[row] = used;
  }
  const encoded = new Uint8Array(bytes.buffer, 0, used);
  return {
    numbers: numbers.join('\n'),
    reasons,
    messages: encoded,
    messageEnds,
    sizes,
    flags,
    zoneKeys: zoneSets.keys.join('\n'),
    zones,
  };
}

/** A batch's distinct zone sets: found by identity (every number of a prefix shares its set), else by key. */
class BatchZoneSets {
  readonly keys: string[] = [];
  private readonly bySet = new Map<ZoneSet, number>();
  private readonly byKey = new Map<string, number>();
  /** Neighbouring rows are often of one prefix. */
  private last: ZoneSet | null = null;
  private lastIndex = 0;

  /** 0 for no set, else 1 + its place in `keys`. */
  indexOf(set: ZoneSet | null): number {
    if (set === null) return 0;
    if (set === this.last) return this.lastIndex;
    let index = this.bySet.get(set);
    if (index === undefined) index = this.byKeyOf(set);
    this.last = set;
    this.lastIndex = index;
    return index;
  }

  private byKeyOf(set: ZoneSet): number {
    let index = this.byKey.get(set.key);
    if (index === undefined) {
      index = this.keys.push(set.key);
      this.byKey.set(set.key, index);
    }
    this.bySet.set(set, index);
    return index;
  }
}
