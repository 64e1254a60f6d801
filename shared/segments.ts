const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const extension = new Set(GSM7_EXTENSION);

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
/** Text made only of GSM-7 basic characters (the common case): one septet each, checked in one pass. */
const ONLY_BASIC = new RegExp(`^[${escapeForClass(GSM7_BASIC)}]*$`);
const OUTSIDE_GSM7 = new RegExp(`[^${escapeForClass(GSM7_BASIC + GSM7_EXTENSION)}]`, 'gu');

export function countSegments(text: string): SegmentInfo {
  if (ONLY_BASIC.test(text)) {
    return {
      encoding: 'GSM-7',
      units: text.length,
      segments: segmentsOf(text, text.length, 160, 153, () => 1),
      ucs2Characters: [],
    };
  }
  const outside = text.match(OUTSIDE_GSM7);
  if (outside === null) {
    let units = 0;
    for (const ch of text) units += extension.has(ch) ? 2 : 1;
    const septets = (ch: string) => (extension.has(ch) ? 2 : 1);
    return {
      encoding: 'GSM-7',
      units,
      segments: segmentsOf(text, units, 160, 153, septets),
      ucs2Characters: [],
    };
  }
  const units = text.length;
  return {
    encoding: 'UCS-2',
    units,
    segments: segmentsOf(text, units, 70, 67, (ch) => ch.length),
    ucs2Characters: [...new Set(outside)],
  };
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
