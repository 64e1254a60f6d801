/**
 * Characters that word processors put in place of plain ones and that force a whole SMS into UCS-2
 * (70 characters a segment instead of 160), each with the GSM-7 text that reads the same.
 */
export const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u200b': '',
  '\u2022': '-',
  '\u00b4': "'",
  '\u02bc': "'",
};

const PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

/** The look-alike characters present in `text`, in order of first appearance. */
export function findLookalikes(text: string): string[] {
  return [...new Set(text.match(PATTERN) ?? [])];
}

export function replaceLookalikes(text: string): string {
  return text.replace(PATTERN, (ch) => LOOKALIKES[ch] ?? ch);
}
