import { describe, expect, it } from 'vitest';
import { countSegments } from '../../shared/segments';

const a = (n: number) => 'a'.repeat(n);
const zh = (n: number) => 'ж'.repeat(n);
const EMOJI = '😀';

describe('countSegments: GSM-7', () => {
  it('counts an empty text as no segment', () => {
    expect(countSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, ucs2Characters: [] });
  });

  it('fits 160 septets in one segment and splits 161 into 153 + 8', () => {
    expect(countSegments(a(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments(a(161))).toMatchObject({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it('uses 153 septets per segment of a long message', () => {
    expect(countSegments(a(306)).segments).toBe(2);
    expect(countSegments(a(307)).segments).toBe(3);
    expect(countSegments(a(459)).segments).toBe(3);
    expect(countSegments(a(460)).segments).toBe(4);
  });

  it('keeps the accented letters and symbols of the basic table in GSM-7, but not others', () => {
    expect(countSegments('Ça coûte 5£').encoding).toBe('UCS-2');
    const gsm = countSegments('Ça coute 5£, señor Müller! @home_Δ ¿¡ §');
    expect(gsm).toMatchObject({ encoding: 'GSM-7', units: 39, segments: 1, ucs2Characters: [] });
  });

  it('counts each extension character as two septets', () => {
    for (const ch of ['€', '^', '{', '}', '\\', '[', ']', '~', '|', '\f']) {
      expect(countSegments(ch)).toMatchObject({ encoding: 'GSM-7', units: 2, segments: 1 });
    }
    expect(countSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(countSegments('€'.repeat(80) + 'a')).toMatchObject({ units: 161, segments: 2 });
    expect(countSegments(a(159) + '€')).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape pair across two segments', () => {
    // 152 septets, then '€' does not fit in the one septet left: it opens segment 2.
    const text = a(152) + '€' + a(152);
    const info = countSegments(text);
    expect(info.units).toBe(306);
    // 306 / 153 would be exactly 2 if the pair could be cut.
    expect(info.segments).toBe(3);
    // The same length with the pair on a boundary that does not cut it needs only 2.
    expect(countSegments(a(151) + '€' + a(153)).segments).toBe(2);
  });

  it('packs a message of only extension characters 76 to a segment', () => {
    // 153 septets hold 76 pairs and one wasted septet.
    expect(countSegments('€'.repeat(152)).segments).toBe(2);
    expect(countSegments('€'.repeat(153)).segments).toBe(3);
    expect(countSegments('€'.repeat(81)).segments).toBe(2);
  });
});

describe('countSegments: UCS-2', () => {
  it('switches to UCS-2 for a single character outside GSM-7 and counts every character', () => {
    expect(countSegments(a(100) + 'ж')).toMatchObject({ encoding: 'UCS-2', units: 101, segments: 2 });
  });

  it('fits 70 code units in one segment and splits 71 into 67 + 4', () => {
    expect(countSegments(zh(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments(zh(71))).toMatchObject({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSegments(zh(134)).segments).toBe(2);
    expect(countSegments(zh(135)).segments).toBe(3);
  });

  it('counts an extension character as one unit once the message is UCS-2', () => {
    expect(countSegments('€'.repeat(69) + 'ж')).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
  });

  it('counts an emoji as two code units', () => {
    expect(countSegments(EMOJI)).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(countSegments(EMOJI.repeat(35))).toMatchObject({ units: 70, segments: 1 });
  });

  it('never splits a surrogate pair across two segments', () => {
    const info = countSegments(zh(66) + EMOJI + zh(66));
    expect(info.units).toBe(134);
    // 134 / 67 would be exactly 2 if the pair could be cut.
    expect(info.segments).toBe(3);
    expect(countSegments(zh(65) + EMOJI + zh(67)).segments).toBe(2);
    // 67 units hold 33 emoji: 36 emoji (72 units) need 33 + 3.
    expect(countSegments(EMOJI.repeat(36)).segments).toBe(2);
    expect(countSegments(EMOJI.repeat(66)).segments).toBe(2);
    expect(countSegments(EMOJI.repeat(67)).segments).toBe(3);
  });

  it('lists the characters that force UCS-2 once each, in order of first appearance, emoji whole', () => {
    expect(countSegments('a€ж😀b жz中😀’').ucs2Characters).toEqual(['ж', EMOJI, '中', '’']);
    expect(countSegments('Hello € [world]').ucs2Characters).toEqual([]);
  });
});

/** Splits a text the way a handset would, returning the segments themselves. */
function splitLikeHandset(text: string): string[] {
  const info = countSegments(text);
  if (info.units === 0) return [];
  const gsm = info.encoding === 'GSM-7';
  const width = (ch: string) => (gsm ? countSegments(ch).units : ch.length);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  if (info.units <= single) return [text];
  const segments: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const w = width(ch);
    if (used + w > multi) {
      segments.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += w;
  }
  segments.push(current);
  return segments;
}

describe('countSegments: random texts', () => {
  // A seeded generator keeps these runs reproducible.
  function mulberry32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const alphabets = {
    gsm: ['a', 'Z', ' ', '1', '€', '[', '~', 'é', 'Ø', '\n'],
    ucs2: ['a', '€', 'ж', '中', EMOJI, '🎉', ' ', '’'],
  };

  it('agrees with the bounds and never cuts a pair, for 500 seeded texts', () => {
    const random = mulberry32(20240107);
    for (let i = 0; i < 500; i++) {
      const alphabet = i % 2 === 0 ? alphabets.gsm : alphabets.ucs2;
      const length = Math.floor(random() * 420);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      const info = countSegments(text);
      const single = info.encoding === 'GSM-7' ? 160 : 70;
      const multi = info.encoding === 'GSM-7' ? 153 : 67;
      if (info.encoding === 'UCS-2') expect(info.units).toBe(text.length);
      if (info.units === 0) expect(info.segments).toBe(0);
      else if (info.units <= single) expect(info.segments).toBe(1);
      else {
        // Each segment wastes at most one unit to keep a pair whole.
        expect(info.segments).toBeGreaterThanOrEqual(Math.ceil(info.units / multi));
        expect(info.segments).toBeLessThanOrEqual(Math.ceil(info.units / (multi - 1)));
      }
      const parts = splitLikeHandset(text);
      expect(parts.join('')).toBe(text);
      expect(parts).toHaveLength(info.segments);
      for (const part of parts) {
        expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
        expect(part).not.toMatch(/^[\uDC00-\uDFFF]/);
        if (parts.length > 1) expect(countSegments(part).units).toBeLessThanOrEqual(multi);
      }
    }
  });
});
