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

/** Spaces and other characters that show nothing on their own. */
const INVISIBLE = /^[\s\u200b-\u200f\u2060\ufeff]$/u;

export interface CharacterInfo {
  char: string;
  /** What to show for it: the character, or its code point when it is invisible. */
  glyph: string;
  codePoint: string;
  name: string | null;
  /** The plain GSM-7 text that reads the same, when it is a look-alike. */
  replacement: string | null;
}

export function describeCharacter(char: string): CharacterInfo {
  const codePoint = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    char,
    glyph: INVISIBLE.test(char) ? codePoint : char,
    codePoint,
    name: NAMES[char] ?? null,
    replacement: LOOKALIKES[char] ?? null,
  };
}
