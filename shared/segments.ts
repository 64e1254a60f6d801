const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
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

export function countSegments(text: string): SegmentInfo {
  const ucs2Characters: string[] = [];
  const septetWidths: number[] = [];
  for (const ch of text) {
    if (basic.has(ch)) septetWidths.push(1);
    else if (extension.has(ch)) septetWidths.push(2);
    else if (!ucs2Characters.includes(ch)) ucs2Characters.push(ch);
  }
  if (ucs2Characters.length === 0) {
    return { encoding: 'GSM-7', ...pack(septetWidths, 160, 153), ucs2Characters };
  }
  const codeUnitWidths = Array.from(text, (ch) => ch.length);
  return { encoding: 'UCS-2', ...pack(codeUnitWidths, 70, 67), ucs2Characters };
}

/**
 * Counts segments the way handsets split them: an escape pair (GSM-7) or a surrogate pair (UCS-2)
 * is never cut across two segments, so a long message may need one more segment than units / size.
 */
function pack(widths: number[], single: number, multi: number): { units: number; segments: number } {
  const units = widths.reduce((sum, w) => sum + w, 0);
  if (units === 0) return { units, segments: 0 };
  if (units <= single) return { units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multi) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return { units, segments };
}
