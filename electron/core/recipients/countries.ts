import { getCountries, type MetadataJson } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';

/** The ISO 3166 alpha-2 codes whose numbering plans libphonenumber-js knows. */
export const PHONE_COUNTRIES: readonly string[] = getCountries(metadataJson as unknown as MetadataJson);

export const FALLBACK_COUNTRY = 'US';

export function isPhoneCountry(code: string): boolean {
  return PHONE_COUNTRIES.includes(code);
}

export interface SystemCountry {
  country: string;
  /** The locale it was taken from; null when none named a country and the fallback was used. */
  locale: string | null;
}

/**
 * The country of the system locale: the region of the Intl locale, else of LC_ALL, LC_MESSAGES or LANG
 * (`en_GB.UTF-8`), else the US.
 */
export function systemCountry(
  intlLocale = Intl.DateTimeFormat().resolvedOptions().locale,
  env: Record<string, string | undefined> = process.env,
): SystemCountry {
  const candidates = [
    { locale: intlLocale, region: regionOf(intlLocale) },
    ...[env.LC_ALL, env.LC_MESSAGES, env.LANG].map((locale) => ({
      locale,
      region: locale?.match(/^[a-z]{2,3}_([A-Z]{2})\b/)?.[1],
    })),
  ];
  const found = candidates.find((c) => c.region !== undefined && isPhoneCountry(c.region));
  return found
    ? { country: found.region as string, locale: found.locale as string }
    : { country: FALLBACK_COUNTRY, locale: null };
}

function regionOf(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).region;
  } catch {
    return undefined;
  }
}
