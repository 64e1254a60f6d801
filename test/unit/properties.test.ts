import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLookalikes, LOOKALIKES, replaceLookalikes } from '../../shared/lookalikes';
import { countSegments } from '../../shared/segments';
import { compileTemplate, renderMessage } from '../../shared/template';

const RUNS = 2_000;

// ---------------------------------------------------------------------------------------------------
// Templates

/** Column-name matching as documented: case, surrounding spaces and repeated inner spaces do not count. */
const canonical = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüéèñçÅØ0123456789'];
const SYMBOLS = [...'_-.#&$%+:;,/\'"!?@*{}[]'];

const word = fc.string({
  unit: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...LETTERS) }, fc.constantFrom(...SYMBOLS)),
  minLength: 1,
  maxLength: 6,
});
/** A word, or words in one pair of parentheses, as in "Amount (USD)". */
const token = fc.oneof(
  { weight: 4, arbitrary: word },
  fc.array(word, { minLength: 0, maxLength: 2 }).map((words) => `(${words.join(' ')})`),
);
/** A column name: no `|`, parentheses balanced, not blank. */
const columnName = fc
  .array(token, { minLength: 1, maxLength: 4 })
  .map((tokens) => tokens.join(' '))
  .filter((name) => name.trim() !== '');

/** The same name written differently: other letter case and other spaces, still matching it. */
function variantOf(name: string) {
  const chars = [...name];
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: chars.length, maxLength: chars.length }),
      fc.array(fc.constantFrom(' ', '  ', '\t', ' \t '), {
        minLength: chars.length,
        maxLength: chars.length,
      }),
      fc.constantFrom('', ' ', '  '),
      fc.constantFrom('', ' ', '\t'),
    )
    .map(([flips, spaces, before, after]) => {
      let out = '';
      chars.forEach((ch, i) => {
        if (ch === ' ') out += spaces[i];
        else if (!flips[i]) out += ch;
        else {
          const flipped = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
          out += flipped.length === 1 && canonical(flipped) === canonical(ch) ? flipped : ch;
        }
      });
      return before + out + after;
    });
}

/** Columns with names that do not match one another. */
const columns = fc.uniqueArray(columnName, { minLength: 1, maxLength: 6, selector: canonical });

const cellValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '  \t ', '\u00a0', 'Ann', ' Bob ', '$(name)', '{{link_1}}', 'a|b', '(x)'),
);
/** Text around placeholders: anything that does not itself start one. */
const plainText = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((t) => !t.includes('$('));

function render(template: string, names: readonly string[], values: readonly string[]) {
  const compiled = compileTemplate(template, names);
  return { ...renderMessage(compiled, values), unknown: compiled.unknown };
}

describe('template rendering (property-based)', () => {
  it('replaces $(name) by the trimmed value, however the name is cased and spaced', () => {
    fc.assert(
      fc.property(
        columns
          .chain((names) =>
            fc.tuple(
              fc.constant(names),
              fc.nat({ max: names.length - 1 }),
              fc.array(cellValue, { minLength: names.length, maxLength: names.length }),
            ),
          )
          .chain(([names, index, values]) =>
            fc.tuple(
              fc.constant(names),
              fc.constant(index),
              fc.constant(values),
              variantOf(names[index] as string),
              plainText,
              plainText,
            ),
          ),
        ([names, index, values, written, before, after]) => {
          const value = (values[index] as string).trim();
          expect(render(`${before}$(${written})${after}`, names, values)).toEqual({
            text: before + value + after,
            emptyPlaceholders: value === '' ? [written.trim()] : [],
            unknown: [],
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('uses $(name|fallback) only for an empty or blank cell', () => {
    const fallback = fc.string({
      unit: fc.oneof(fc.constantFrom(...LETTERS, ' ', '|', '!', '$'), fc.constant('€')),
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        columns.chain((names) =>
          fc.tuple(
            fc.constant(names),
            fc
              .nat({ max: names.length - 1 })
              .chain((i) => fc.tuple(fc.constant(i), variantOf(names[i] as string))),
            fc.array(cellValue, { minLength: names.length, maxLength: names.length }),
            fallback,
          ),
        ),
        ([names, [index, written], values, otherwise]) => {
          const value = (values[index] as string).trim();
          expect(render(`<$(${written}|${otherwise})>`, names, values)).toEqual({
            text: `<${value === '' ? otherwise : value}>`,
            emptyPlaceholders: [],
            unknown: [],
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('leaves text without $( unchanged', () => {
    fc.assert(
      fc.property(
        columns,
        fc.string({ unit: 'grapheme', maxLength: 200 }).filter((t) => !t.includes('$(')),
        (names, text) => {
          expect(
            render(
              text,
              names,
              names.map(() => 'value'),
            ),
          ).toEqual({
            text,
            emptyPlaceholders: [],
            unknown: [],
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reports every name that matches no column, once, in order, and leaves it in the text', () => {
    fc.assert(
      fc.property(
        columns.chain((names) =>
          fc.tuple(
            fc.constant(names),
            fc.array(
              columnName.filter((n) => !names.some((c) => canonical(c) === canonical(n))),
              { minLength: 1, maxLength: 4 },
            ),
            fc.array(plainText, { minLength: 5, maxLength: 5 }),
          ),
        ),
        ([names, strangers, gaps]) => {
          // Each unknown name twice, so that repeats are seen.
          const written = [...strangers, ...strangers];
          const template = written.map((n, i) => `${gaps[i % gaps.length]}$(${n})`).join('') + gaps[0];
          const result = render(
            template,
            names,
            names.map(() => 'v'),
          );
          expect(result.unknown).toEqual([...new Set(strangers.map((n) => n.trim()))]);
          expect(result.text).toBe(template);
          expect(result.emptyPlaceholders).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Segments

/** The GSM 03.38 default alphabet, row by row as the standard lays it out (the escape code left out). */
const GSM_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅå',
  ...'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ',
  ...' !"#¤%&\'()*+,-./',
  ...'0123456789:;<=>?',
  ...'¡ABCDEFGHIJKLMNO',
  ...'PQRSTUVWXYZÄÖÑÜ§',
  ...'¿abcdefghijklmno',
  ...'pqrstuvwxyzäöñüà',
]);
/** The extension table: sent as the escape code and the character, two septets. */
const GSM_EXTENSION = new Set([...'\f^{}\\[~]|€']);
const LATIN1_NOT_GSM = [...'áíóúâêîôûçãõ©®°±«»µ¶þðÐ×÷¬'];
const CJK = [...'中文字日本語한국어漢'];
const EMOJI = ['😀', '🎉', '👍', '🏽', '🇬', '🇧', '❤', '☕', '𝄞'];

const isGsm = (ch: string) => GSM_BASIC.has(ch) || GSM_EXTENSION.has(ch);

/**
 * Splits a message into the segments a handset receives: GSM-7 when every character is in the
 * alphabet (160 septets, or 153 per part of a long message, an extension character taking two),
 * otherwise UCS-2 (70 UTF-16 units, or 67 per part); an escape pair or surrogate pair is never cut.
 */
function splitIntoSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number; parts: string[] } {
  const chars = Array.from(text);
  const gsm = chars.every(isGsm);
  const width = (ch: string) => (gsm ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  const units = chars.reduce((sum, ch) => sum + width(ch), 0);
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units === 0) return { encoding, units, parts: [] };
  if (units <= (gsm ? 160 : 70)) return { encoding, units, parts: [text] };
  const capacity = gsm ? 153 : 67;
  const parts: string[] = [];
  let part = '';
  let used = 0;
  for (const ch of chars) {
    if (used + width(ch) > capacity) {
      parts.push(part);
      part = '';
      used = 0;
    }
    part += ch;
    used += width(ch);
  }
  parts.push(part);
  return { encoding, units, parts };
}

const gsmChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GSM_BASIC) },
  { weight: 2, arbitrary: fc.constantFrom(...GSM_EXTENSION) },
);
const anyChar = fc.oneof(
  { weight: 12, arbitrary: gsmChar },
  { weight: 1, arbitrary: fc.constantFrom(...LATIN1_NOT_GSM) },
  { weight: 1, arbitrary: fc.constantFrom(...CJK) },
  { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
);
/** Messages of every length around the segment boundaries, GSM-7 only or mixed. */
/** Lengths spread over several segments, with the boundaries of both encodings well represented. */
const length = fc.oneof(
  fc.integer({ min: 0, max: 480 }),
  fc.constantFrom(
    0,
    1,
    66,
    67,
    68,
    69,
    70,
    71,
    72,
    133,
    134,
    135,
    152,
    153,
    154,
    159,
    160,
    161,
    162,
    306,
    307,
  ),
);
const stringOf = (unit: fc.Arbitrary<string>) =>
  length.chain((n) => fc.string({ unit, minLength: n, maxLength: n }));
/**
 * A long message with an escape pair (GSM-7) or a surrogate pair (UCS-2) across a segment boundary,
 * a few units short of or over a whole number of segments: where cutting the pair would change the count.
 */
const straddling = fc
  .tuple(fc.boolean(), fc.nat({ max: 2 }), fc.integer({ min: -3, max: 3 }), fc.nat(), fc.nat())
  .chain(([ucs2, fullBefore, delta, wide, seed]) => {
    const capacity = ucs2 ? 67 : 153;
    const narrow = ucs2
      ? fc.constantFrom(...GSM_BASIC, ...LATIN1_NOT_GSM, ...CJK)
      : fc.constantFrom(...GSM_BASIC);
    const pair = ucs2 ? EMOJI.filter((e) => e.length === 2) : [...GSM_EXTENSION];
    const headLength = capacity - 1 + capacity * fullBefore;
    return fc
      .tuple(
        fc.string({ unit: narrow, minLength: headLength, maxLength: headLength }),
        fc.string({ unit: narrow, minLength: capacity + delta - 1, maxLength: capacity + delta - 1 }),
      )
      .map(([head, tail]) => {
        // UCS-2 only when a character outside GSM-7 is there: make the first one such a character.
        const start = ucs2 ? (CJK[seed % CJK.length] as string) + head.slice(1) : head;
        return start + (pair[wide % pair.length] as string) + tail;
      });
  });

const message = fc.oneof(
  stringOf(gsmChar),
  stringOf(anyChar),
  fc.string({ unit: anyChar, maxLength: 80 }),
  straddling,
  fc.tuple(stringOf(gsmChar), fc.constantFrom(...EMOJI, ...CJK), fc.nat()).map(([text, odd, at]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + odd + text.slice(i);
  }),
);

describe('segment counting (property-based)', () => {
  it('uses UCS-2 exactly when a character is outside GSM-7, and names those characters once each', () => {
    fc.assert(
      fc.property(message, (text) => {
        const info = countSegments(text);
        const outside = Array.from(text).filter((ch) => !isGsm(ch));
        expect(info.encoding).toBe(outside.length > 0 ? 'UCS-2' : 'GSM-7');
        expect(info.ucs2Characters).toEqual([...new Set(outside)]);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('counts the units and segments a reference splitter finds', () => {
    fc.assert(
      fc.property(message, (text) => {
        const reference = splitIntoSegments(text);
        expect(reference.parts.join('')).toBe(text);
        const info = countSegments(text);
        expect({ encoding: info.encoding, units: info.units, segments: info.segments }).toEqual({
          encoding: reference.encoding,
          units: reference.units,
          segments: reference.parts.length,
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('counts no segment only for the empty text', () => {
    fc.assert(
      fc.property(message, (text) => {
        expect(countSegments(text).segments === 0).toBe(text === '');
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Look-alikes

const LOOKALIKE_CHARS = Object.keys(LOOKALIKES);
const lookalikeText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...GSM_BASIC) },
    fc.constantFrom(...LOOKALIKE_CHARS),
  ),
  maxLength: 200,
});

describe('look-alike characters (property-based)', () => {
  it('leaves no look-alike behind after replacing them', () => {
    fc.assert(
      fc.property(fc.oneof(lookalikeText, fc.string({ unit: anyChar, maxLength: 200 })), (text) => {
        expect(findLookalikes(replaceLookalikes(text))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('finds each look-alike once, in order of appearance, and changes nothing else', () => {
    fc.assert(
      fc.property(lookalikeText, (text) => {
        const chars = Array.from(text);
        expect(findLookalikes(text)).toEqual([
          ...new Set(chars.filter((ch) => Object.hasOwn(LOOKALIKES, ch))),
        ]);
        expect(replaceLookalikes(text)).toBe(chars.map((ch) => LOOKALIKES[ch] ?? ch).join(''));
      }),
      { numRuns: RUNS },
    );
  });

  it('turns text that word processors smartened back into GSM-7', () => {
    const smartened = fc
      .string({ unit: fc.constantFrom(...GSM_BASIC), maxLength: 200 })
      .chain((text) =>
        fc
          .array(fc.constantFrom(...LOOKALIKE_CHARS), {
            minLength: text.length + 1,
            maxLength: text.length + 1,
          })
          .chain((marks) =>
            fc.array(fc.boolean(), { minLength: text.length + 1, maxLength: text.length + 1 }).map((use) =>
              Array.from(text)
                .map((ch, i) => (use[i] ? marks[i] : '') + ch)
                .join(''),
            ),
          ),
      )
      .filter((text) => findLookalikes(text).length > 0);
    fc.assert(
      fc.property(smartened, (text) => {
        expect(countSegments(text).encoding).toBe('UCS-2');
        const fixed = countSegments(replaceLookalikes(text));
        expect(fixed.encoding).toBe('GSM-7');
        expect(fixed.ucs2Characters).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('turns curly quotes, dashes and non-breaking spaces into their GSM-7 forms', () => {
    const text = '\u201cSale\u201d \u2013 it\u2019s 50%\u00a0off\u2026';
    expect(findLookalikes(text)).toEqual(['\u201c', '\u201d', '\u2013', '\u2019', '\u00a0', '\u2026']);
    expect(replaceLookalikes(text)).toBe('"Sale" - it\'s 50% off...');
    expect(countSegments(text).encoding).toBe('UCS-2');
    expect(countSegments(replaceLookalikes(text)).encoding).toBe('GSM-7');
  });
});
