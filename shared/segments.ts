const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

export type Encoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: Encoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** Characters outside GSM-7 that force UCS-2, in order of first appearance. */
  ucs2Characters: string[];
}

const escapeForClass = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');
const OUTSIDE_GSM7 = new RegExp(`[^${escapeForClass(GSM7_BASIC + GSM7_EXTENSION)}]`, 'gu');

/** Septets per UTF-16 code unit below U+0400 (0: not in GSM-7); a table, as this runs for every row. */
const SEPTETS = new Uint8Array(0x400);
for (const ch of GSM7_BASIC) SEPTETS[ch.charCodeAt(0)] = 1;
for (const ch of GSM7_EXTENSION) if (ch.charCodeAt(0) < 0x400) SEPTETS[ch.charCodeAt(0)] = 2;
const EURO = 0x20ac;

function septetsOf(code: number): number {
  return code < 0x400 ? (SEPTETS[code] as number) : code === EURO ? 2 : 0;
}

export function countSegments(text: string): SegmentInfo {
  const cost = segmentCost(text);
  return cost.encoding === 'GSM-7'
    ? { ...cost, ucs2Characters: [] }
    : { ...cost, ucs2Characters: [...new Set(text.match(OUTSIDE_GSM7))] };
}

/** countSegments without the characters that force UCS-2: what a million rows' check needs. */
export function segmentCost(text: string): Omit<SegmentInfo, 'ucs2Characters'> {
  let septets = 0;
  let escapes = false;
  for (let i = 0; i < text.length; i++) {
    const width = septetsOf(text.charCodeAt(i));
    if (width === 0) return ucs2(text);
    septets += width;
    escapes ||= width === 2;
  }
  const segments =
    escapes && septets > 160
      ? segmentsOf(text, septets, 160, 153, (ch) => septetsOf(ch.charCodeAt(0)))
      : septets === 0
        ? 0
        : septets <= 160
          ? 1
          : Math.ceil(septets / 153);
  return { encoding: 'GSM-7', units: septets, segments };
}

function ucs2(text: string): Omit<SegmentInfo, 'ucs2Characters'> {
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: segmentsOf(text, units, 70, 67, (ch) => ch.length) };
}

/**
 * Counts segments the way handsets split them: an escape pair (GSM-7) or a surrogate pair (UCS-2)
 * is never cut across two segments, so a long message may need one more segment than units / size.
 */
function segmentsOf(
  text: string,
  units: number,
  single: number,
  multi: number,
  width: (ch: string) => number,
): number {
  if (units === 0) return 0;
  if (units <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const ch of text) {
    const w = width(ch);
    if (used + w > multi) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return segments;
}
