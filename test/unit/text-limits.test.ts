import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeTooLong } from '../../electron/core/campaigns/too-long';
import { characterCount, TEXT_LIMITS } from '../../shared/text-limits';

describe('characterCount', () => {
  it('counts code points: an emoji is one character, a lone surrogate too', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('Hi €')).toBe(4);
    expect(characterCount('😀😀')).toBe(2);
    expect(characterCount('a\uD83D')).toBe(2);
    expect(characterCount('\uDE00\uD83D')).toBe(2);
  });

  it('agrees with the string iterator on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => characterCount(text) === Array.from(text).length),
    );
  });
});

describe('describeTooLong', () => {
  const characters = Uint32Array.from([1100, 1025, 2000, 1100]);
  const sentence = (count: number, first: number[]) =>
    describeTooLong({ count, first }, characters, TEXT_LIMITS.messaging);

  it('names the first row by its number in the file, and the others up to three', () => {
    expect(sentence(0, [])).toBeNull();
    expect(sentence(1, [2])).toBe(
      "Row 3's message is 2,000 characters; Messaging API v1 takes at most 1,024. Shorten the message or that row's values.",
    );
    expect(sentence(2, [0, 3])).toMatch(/ \(2 rows are too long: 1 and 4\)\.$/);
    expect(sentence(1234, [0, 1, 3])).toMatch(/ \(1,234 rows are too long: 1, 2, 4 and 1,231 more\)\.$/);
  });
});
