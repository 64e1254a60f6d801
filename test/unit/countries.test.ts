import { describe, expect, it } from 'vitest';
import { closestMatches, editDistance } from '../../shared/closest-match';
import { countryFromFlag } from '../../electron/commands/country-flag';
import { systemCountry } from '../../electron/core/recipients/countries';
import { fileCountries } from '../../electron/core/recipients/file-countries';

describe('closest matches', () => {
  it('counts edits and keeps the nearest candidates', () => {
    expect(editDistance('contry', 'country')).toBe(1);
    // A swap of neighbours is one slip, not two.
    expect(editDistance('nmae', 'name')).toBe(1);
    expect(editDistance('nope', 'name')).toBe(2);
    expect(closestMatches('contry', ['campaign-id', 'country', 'text'], 2)).toEqual(['country']);
    expect(closestMatches('zzz', ['country'], 2)).toEqual([]);
  });
});

describe('--country', () => {
  it('takes an ISO 3166 code in any case', () => {
    expect(countryFromFlag('gb')).toBe('GB');
  });

  it.each([
    ['UK', 'GB (United Kingdom)'],
    ['EL', 'GR (Greece)'],
    ['Germany', 'DE (Germany)'],
  ])('refuses %s, suggesting %s', (given, suggested) => {
    expect(() => countryFromFlag(given)).toThrow(`Did you mean ${suggested}?`);
  });

  it('suggests the nearest codes, those with the same first letter first', () => {
    expect(() => countryFromFlag('UX')).toThrow(/Did you mean U[A-Z] \(.*, U[A-Z] \(.* or U[A-Z] \(/);
  });
});

describe('system country', () => {
  it("is the Intl locale's region, else that of LC_ALL, LC_MESSAGES or LANG, else the US", () => {
    expect(systemCountry('en-GB', {})).toEqual({ country: 'GB', locale: 'en-GB' });
    expect(systemCountry('en', { LANG: 'de_DE.UTF-8' })).toEqual({ country: 'DE', locale: 'de_DE.UTF-8' });
    expect(systemCountry('en', { LC_ALL: 'fr_FR', LANG: 'de_DE.UTF-8' }).country).toBe('FR');
    expect(systemCountry('en', { LANG: 'C.UTF-8' })).toEqual({ country: 'US', locale: null });
  });
});

describe("a file's countries", () => {
  it('counts numbers without a plus and finds the country of most numbers with one, by calling code', () => {
    expect(
      fileCountries([
        '+44 7400 123456',
        '+442079460018',
        '+447911123457',
        '+1 415 555 2671',
        '07911 123458',
        '',
      ]),
    ).toEqual({
      withoutPlus: 1,
      plusCountry: { country: 'GB', callingCode: '44' },
    });
  });

  it('names no country when none has more than half the numbers with a plus', () => {
    expect(fileCountries(['+447911123456', '+14155552671']).plusCountry).toBeNull();
    expect(fileCountries(['07911 123458']).plusCountry).toBeNull();
  });
});
