import { LOOKALIKES } from '../../shared/lookalikes';

const NAMES: Readonly<Record<string, string>> = {
  '\u2018': 'left single quote',
  '\u2019': 'right single quote',
  '\u201a': 'low single quote',
  '\u2032': 'prime',
  '\u201c': 'left double quote',
  '\u201d': 'right double quote',
  '\u201e': 'low double quote',
  '\u2033': 'double prime',
  '\u2010': 'hyphen',
  '\u2011': 'non-breaking hyphen',
  '\u2012': 'figure dash',
  '\u2013': 'en dash',
  '\u2014': 'em dash',
  '\u2015': 'horizontal bar',
  '\u2212': 'minus sign',
  '\u2026': 'ellipsis',
  '\u00a0': 'non-breaking space',
  '\u2002': 'en space',
  '\u2003': 'em space',
  '\u2007': 'figure space',
  '\u2009': 'thin space',
  '\u202f': 'narrow non-breaking space',
  '\u200b': 'zero-width space',
  '\u2022': 'bullet',
  '\u00b4': 'acute accent',
  '\u02bc': 'modifier apostrophe',
};

/** Letters that do not come apart into a letter and an accent. */
const LETTERS: Readonly<Record<string, string>> = {
  ø: 'o with stroke',
  Ø: 'capital O with stroke',
  ł: 'l with stroke',
  Ł: 'capital L with stroke',
  đ: 'd with stroke',
  Đ: 'capital D with stroke',
  ß: 'sharp s',
  æ: 'ae joined',
  Æ: 'capital AE joined',
  œ: 'oe joined',
  Œ: 'capital OE joined',
  ı: 'dotless i',
  þ: 'thorn',
  Þ: 'capital thorn',
  ð: 'eth',
  Ð: 'capital eth',
};

/** The accents that an accented Latin letter comes apart into (canonical decomposition). */
const ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': 'grave accent',
  '\u0301': 'acute accent',
  '\u0302': 'circumflex',
  '\u0303': 'tilde',
  '\u0304': 'macron',
  '\u0306': 'breve',
  '\u0307': 'dot above',
  '\u0308': 'diaeresis',
  '\u030a': 'ring above',
  '\u030b': 'double acute accent',
  '\u030c': 'caron',
  '\u0323': 'dot below',
  '\u0326': 'comma below',
  '\u0327': 'cedilla',
  '\u0328': 'ogonek',
};

/** Spaces and other characters that show nothing on their own. */
const INVISIBLE = /^[\s\u200b-\u200f\u2060\ufeff]$/u;

export interface CharacterInfo {
  char: string;
  /** The character itself, or null when it shows nothing on its own (a space, a zero-width character). */
  glyph: string | null;
  /** Its Unicode code point (U+00EB), for the details only. */
  codePoint: string;
  /** What it is in words: "e with diaeresis", "right single quote". */
  name: string;
  /** The plain GSM-7 text that reads the same, when it is a look-alike. */
  replacement: string | null;
}

export function describeCharacter(char: string): CharacterInfo {
  const codePoint = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    char,
    glyph: INVISIBLE.test(char) ? null : char,
    codePoint,
    name: NAMES[char] ?? LETTERS[char] ?? accentedName(char) ?? scriptName(char),
    replacement: LOOKALIKES[char] ?? null,
  };
}

/** "ë (e with diaeresis)": the character and its name, or the name alone for one that shows nothing. */
export function characterWords(char: string): string {
  const { glyph, name } = describeCharacter(char);
  return glyph === null ? name : `${glyph} (${name})`;
}

function accentedName(char: string): string | null {
  const [base, ...marks] = [...char.normalize('NFD')];
  if (!base || marks.length === 0 || !/^[a-z]$/i.test(base)) return null;
  const accents = marks.map((m) => ACCENTS[m]);
  if (accents.some((a) => a === undefined)) return null;
  const letter = base === base.toUpperCase() ? `capital ${base}` : base;
  return `${letter} with ${accents.join(' and ')}`;
}

function scriptName(char: string): string {
  if (/\p{Extended_Pictographic}/u.test(char)) return 'an emoji';
  if (/\p{Script=Cyrillic}/u.test(char)) return 'a Cyrillic letter';
  if (/\p{Script=Greek}/u.test(char)) return 'a Greek letter';
  if (/\p{Script=Arabic}/u.test(char)) return 'an Arabic letter';
  if (/\p{Script=Hebrew}/u.test(char)) return 'a Hebrew letter';
  if (/\p{Script=Han}/u.test(char)) return 'a Chinese character';
  if (/\p{L}/u.test(char)) return 'a letter outside the GSM alphabet';
  if (/\p{Zs}|\p{Cf}/u.test(char)) return 'an invisible spacing character';
  return 'a sign outside the GSM alphabet';
}
