import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';

const metadata = metadataJson as unknown as MetadataJson;
/** Enough numbers to tell which country a file is of, few enough to read at every import. */
const SAMPLE = 1000;

/** What a file's phone numbers say about its country. */
export interface FileCountries {
  /** Numbers written without a leading +, read as the default country's. */
  withoutPlus: number;
  /** The country of more than half the numbers written with a + (the first thousand of them), if any. */
  plusCountry: { country: string; callingCode: string } | null;
}

export function fileCountries(cells: Iterable<string>): FileCountries {
  let withoutPlus = 0;
  let sampled = 0;
  // Per calling code, its numbers' countries: +44 numbers may be of Guernsey or Jersey as well as the UK.
  const byCode = new Map<string, Map<string, number>>();
  for (const raw of cells) {
    const cell = raw.trim();
    if (cell === '') continue;
    if (!cell.startsWith('+')) {
      withoutPlus++;
      continue;
    }
    if (sampled === SAMPLE) continue;
    sampled++;
    const parsed = parsePhoneNumberFromString(cell, metadata);
    if (!parsed?.country) continue;
    const countries = byCode.get(parsed.countryCallingCode) ?? new Map<string, number>();
    countries.set(parsed.country, (countries.get(parsed.country) ?? 0) + 1);
    byCode.set(parsed.countryCallingCode, countries);
  }
  const [callingCode, countries] = mostCommon(
    [...byCode].map(([code, countries]) => [code, countries, total(countries)] as const),
  );
  const plusCountry =
    callingCode && countries && total(countries) * 2 > sampled
      ? { country: mostCommon([...countries].map(([c, n]) => [c, n, n] as const))[0] as string, callingCode }
      : null;
  return { withoutPlus, plusCountry };
}

function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

function mostCommon<T>(entries: (readonly [string, T, number])[]): [string, T] | [] {
  const best = entries.reduce<readonly [string, T, number] | undefined>(
    (top, entry) => (top === undefined || entry[2] > top[2] ? entry : top),
    undefined,
  );
  return best ? [best[0], best[1]] : [];
}
