import type { SkipReason } from '../../../shared/api';
import { SKIP_REASONS } from '../../../shared/api';
import { segmentCost, type Encoding } from '../../../shared/segments';
import { withStandInLinks } from '../../../shared/smartlinks';
import { characterCount } from '../../../shared/text-limits';
import { renderMessage, type CompiledTemplate } from '../../../shared/template';
import { cancelled } from './csv-import';
import { PhoneNormalizer } from './phone-numbers';
import type { RecipientTable } from './recipient-table';
import { RowZones } from './row-zones';
import { zoneOfCell, zonesOfNumber } from './time-zones';

/** Per row, what its phone cell says: the E.164 number, or why the row cannot be sent; and its time zones. */
export interface NumberCheck {
  msisdn: (string | null)[];
  /** 0: ready; otherwise 1 + index into SKIP_REASONS. */
  reason: Uint8Array;
  zones: RowZones;
}

/** Per row, what its message costs, how long it is, and which placeholders found an empty cell. */
export interface MessageCheck {
  segments: Uint16Array;
  /** As the send APIs' text limits count them (see characterCount). */
  characters: Uint32Array;
  ucs2: Uint8Array;
  emptyPlaceholders: Map<number, string[]>;
}

export interface PrepareHooks {
  signal?: AbortSignal;
  /** Called between slices with the share done (0..1). */
  onProgress?: (fraction: number) => void;
}

const SLICE = 10_000;

export function reasonCode(reason: SkipReason): number {
  return SKIP_REASONS.indexOf(reason) + 1;
}

export function reasonOf(code: number): SkipReason | null {
  return code === 0 ? null : (SKIP_REASONS[code - 1] ?? null);
}

/** Normalizes every row's number to E.164; marks missing, invalid, opted-out and repeated numbers. */
export async function checkNumbers(
  table: RecipientTable,
  columns: { phone: number | null; timeZone: number | null },
  defaultCountry: string,
  optedOut: { has(msisdn: string): boolean; readonly size: number },
  hooks: PrepareHooks = {},
): Promise<NumberCheck> {
  const normalizer = new PhoneNormalizer(defaultCountry);
  const msisdn: (string | null)[] = new Array<string | null>(table.size).fill(null);
  const reason = new Uint8Array(table.size);
  const zones = new RowZones(table.size);
  // E.164 has at most 15 digits, so each number is also an exact float key (NaN: no number).
  const keys = new Float64Array(table.size).fill(NaN);
  const { phone, timeZone } = columns;
  await inSlices(table.size, hooks, (row) => {
    const checked = checkNumber(phone === null ? '' : table.cell(row, phone), normalizer, optedOut);
    msisdn[row] = checked.msisdn;
    reason[row] = checked.reason;
    if (checked.msisdn === null) return;
    const fromFile = timeZone === null ? null : zoneOfCell(table.cell(row, timeZone));
    if (fromFile === 'unknown') {
      if (checked.reason === 0) reason[row] = UNKNOWN_ZONE;
    } else zones.set(row, fromFile ?? zonesOfNumber(checked.msisdn));
    if (reason[row] === 0) keys[row] = Number(checked.msisdn.slice(1));
  });
  markRepeats(keys, reason);
  return { msisdn, reason, zones };
}

/** One phone cell's number and reason code, repeats aside (they take the other rows: see markRepeats). */
export function checkNumber(
  cell: string,
  normalizer: PhoneNormalizer,
  optedOut: { has(msisdn: string): boolean; readonly size: number },
): { msisdn: string | null; reason: number } {
  const read = readNumber(cell, normalizer);
  return read.msisdn === null ? read : { msisdn: read.msisdn, reason: optOutCode(read.msisdn, optedOut) };
}

/** One phone cell's number, or why it has none (missing, invalid): checkNumber before the opt-out list. */
export function readNumber(
  cell: string,
  normalizer: PhoneNormalizer,
): { msisdn: string | null; reason: number } {
  const raw = cell.trim();
  if (raw === '') return { msisdn: null, reason: MISSING };
  const msisdn = normalizer.normalize(raw);
  return { msisdn, reason: msisdn === null ? INVALID : 0 };
}

/** The reason code of a valid number: opted out, or 0 (ready, repeats aside). */
export function optOutCode(
  msisdn: string,
  optedOut: { has(msisdn: string): boolean; readonly size: number },
): number {
  return optedOut.size > 0 && optedOut.has(msisdn) ? OPTED_OUT : 0;
}

const MISSING = reasonCode('missing-number');
const INVALID = reasonCode('invalid-number');
const OPTED_OUT = reasonCode('opted-out');
const UNKNOWN_ZONE = reasonCode('unknown-time-zone');

/** Marks every occurrence of a key after its first as a duplicate; sorting finds the repeated keys. */
function markRepeats(keys: Float64Array, reason: Uint8Array): void {
  const sorted = Float64Array.from(keys).sort();
  const repeated = new Set<number>();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i] as number);
  }
  if (repeated.size === 0) return;
  const seen = new Set<number>();
  const duplicate = reasonCode('duplicate');
  keys.forEach((key, row) => {
    if (!repeated.has(key)) return;
    if (seen.has(key)) reason[row] = duplicate;
    else seen.add(key);
  });
}

/** Renders every row's message to count its segments and characters and find placeholders left empty. */
export async function checkMessages(
  table: RecipientTable,
  template: CompiledTemplate,
  hooks: PrepareHooks = {},
): Promise<MessageCheck> {
  const segments = new Uint16Array(table.size);
  const characters = new Uint32Array(table.size);
  const ucs2 = new Uint8Array(table.size);
  const emptyPlaceholders = new Map<number, string[]>();
  await inSlices(table.size, hooks, (row) => {
    const rendered = renderMessage(template, (column) => table.cell(row, column));
    const measured = measureMessage(rendered.text);
    segments[row] = measured.segments;
    ucs2[row] = measured.encoding === 'UCS-2' ? 1 : 0;
    characters[row] = measured.characters;
    if (rendered.emptyPlaceholders.length > 0) emptyPlaceholders.set(row, rendered.emptyPlaceholders);
  });
  return { segments, characters, ucs2, emptyPlaceholders };
}

/** What one rendered message costs: its encoding, segments (links at their sent length) and characters. */
export function measureMessage(text: string): { encoding: Encoding; segments: number; characters: number } {
  const info = segmentCost(withStandInLinks(text));
  return {
    encoding: info.encoding,
    segments: Math.min(info.segments, 0xffff),
    // GSM-7 text holds no surrogate pair, so its length is its count; stand-in links never change the encoding.
    characters: info.encoding === 'GSM-7' ? text.length : characterCount(text),
  };
}

export function encodingOf(check: MessageCheck, row: number): Encoding {
  return check.ucs2[row] === 1 ? 'UCS-2' : 'GSM-7';
}

async function inSlices(size: number, hooks: PrepareHooks, each: (row: number) => void): Promise<void> {
  for (let start = 0; start < size; start += SLICE) {
    if (hooks.signal?.aborted) throw cancelled();
    const end = Math.min(size, start + SLICE);
    for (let row = start; row < end; row++) each(row);
    hooks.onProgress?.(end / size);
    if (end < size) await new Promise((resolve) => setImmediate(resolve));
  }
}
