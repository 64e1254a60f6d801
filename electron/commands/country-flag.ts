import { isPhoneCountry, PHONE_COUNTRIES, systemCountry } from '../core/recipients/countries';
import { UsageError } from './args';
import { closestMatches } from '../../shared/closest-match';

/** Codes people write for a country whose ISO 3166 code is another. */
const ALIASES: Record<string, string> = { UK: 'GB', EL: 'GR' };

const names = new Intl.DisplayNames(['en'], { type: 'region' });

function nameOf(code: string): string {
  return names.of(code) ?? code;
}

/** The country `--country` names, as its ISO 3166 code; anything else is a usage error with a suggestion. */
export function countryFromFlag(value: string): string {
  const code = value.trim().toUpperCase();
  if (isPhoneCountry(code)) return code;
  const meant = ALIASES[code] ?? PHONE_COUNTRIES.find((c) => nameOf(c).toUpperCase() === code);
  // Among codes as near, those with the same first letter are likelier what was meant.
  const sameFirst = PHONE_COUNTRIES.filter((c) => c[0] === code[0]);
  const byLikelihood = [...sameFirst, ...PHONE_COUNTRIES.filter((c) => c[0] !== code[0])];
  const suggestions = meant ? [meant] : closestMatches(code, byLikelihood, 1);
  const listed = suggestions.map((c) => `${c} (${nameOf(c)})`);
  const hint =
    listed.length === 0
      ? ''
      : ` Did you mean ${listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}`}?`;
  throw new UsageError(`--country takes an ISO 3166 country code such as GB, not "${value}".${hint}`);
}

/**
 * The country numbers without a country code are read as: --country's, else the system locale's, with the
 * words that say where a default came from (null when --country named it).
 */
export function defaultCountry(flag: string | undefined): { country: string; source: string | null } {
  if (flag !== undefined) return { country: countryFromFlag(flag), source: null };
  const { country, locale } = systemCountry();
  const from = locale ? `the country of the system locale ${locale}` : 'as no system locale names a country';
  return {
    country,
    source: `Numbers without a country code are read as ${country} (${nameOf(country)}), ${from}. Choose another with --country.`,
  };
}
