import {
  Metadata,
  parsePhoneNumberFromString,
  type CountryCode,
  type MetadataJson,
} from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';

const metadata = metadataJson as unknown as MetadataJson;
const FORMATTING = /[\s\-().\u00a0\u2010-\u2015/]/g;
const HAS_FORMATTING = /[\s\-().\u00a0\u2010-\u2015/]/;
const DIGITS = /^\+?\d{4,17}$/;
const MIN_MEMO_NATIONAL_LENGTH = 8;
const NATIONAL_KEY_DIGITS = 4;

/** Validation rules of one numbering plan, compiled once. */
interface Plan {
  country: CountryCode;
  leadingDigits: RegExp | null;
  nationalPattern: RegExp;
  /** Present when the plan distinguishes types (countries sharing a calling code). */
  types: { pattern: RegExp; lengths: number[] | null }[] | null;
  /** Numbers starting with this may carry a national prefix, which only the full parser handles. */
  nationalPrefixForParsing: RegExp | null;
}

/** Mobiles first, as most numbers texted are: a number is valid when any type matches, whatever the order. */
const TYPES = [
  'MOBILE',
  'FIXED_LINE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'PERSONAL_NUMBER',
  'VOICEMAIL',
  'UAN',
  'PAGER',
  'VOIP',
  'SHARED_COST',
] as const;

/**
 * The parts of libphonenumber-js's Metadata class used here. Its typings declare fewer of them; the
 * equivalence tests against the full parser guard this against changes in the library.
 */
interface MetadataReader {
  getCountryCodesForCallingCode(callingCode: string): CountryCode[] | undefined;
  selectNumberingPlan(country: CountryCode): void;
  numberingPlan: {
    leadingDigits(): string | undefined;
    nationalNumberPattern(): string;
    nationalPrefixForParsing(): string | undefined;
    hasTypes(): boolean;
    type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  };
}

/** Null: no country has this calling code (remembered too: every +44 number first asks about +4). */
const plansByCallingCode = new Map<string, Plan[] | null>();

function plansFor(callingCode: string): Plan[] | null {
  const cached = plansByCallingCode.get(callingCode);
  if (cached !== undefined) return cached;
  const m = new Metadata(metadata) as unknown as MetadataReader;
  const countries = m.getCountryCodesForCallingCode(callingCode);
  if (!countries) {
    plansByCallingCode.set(callingCode, null);
    return null;
  }
  const plans = countries.map((country): Plan => {
    m.selectNumberingPlan(country);
    const plan = m.numberingPlan;
    const leading = plan.leadingDigits();
    const forParsing = plan.nationalPrefixForParsing();
    return {
      country,
      leadingDigits: leading ? new RegExp(`^(?:${leading})`) : null,
      nationalPattern: whole(plan.nationalNumberPattern()),
      types: plan.hasTypes()
        ? TYPES.flatMap((t) => {
            const type = plan.type(t);
            const pattern = type?.pattern();
            return pattern ? [{ pattern: whole(pattern), lengths: type?.possibleLengths() ?? null }] : [];
          })
        : null,
      nationalPrefixForParsing: forParsing ? new RegExp(`^(?:${forParsing})`) : null,
    };
  });
  plansByCallingCode.set(callingCode, plans);
  return plans;
}

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function matchesType(plan: Plan, nsn: string): boolean {
  return (plan.types ?? []).some(
    (t) => (!t.lengths || t.lengths.includes(nsn.length)) && t.pattern.test(nsn),
  );
}

function isValidFor(plan: Plan, nsn: string): boolean {
  if (!plan.nationalPattern.test(nsn)) return false;
  return plan.types === null || matchesType(plan, nsn);
}

/**
 * Validity of an international number given as digits after the plus, as libphonenumber-js decides it,
 * with its patterns compiled once instead of per call. Null: only the full parser can tell.
 */
function fastInternational(digits: string): boolean | null {
  for (let length = 1; length <= 3; length++) {
    const plans = plansFor(digits.slice(0, length));
    if (!plans) continue;
    const nsn = digits.slice(length);
    if (plans.length === 1) {
      const [plan] = plans as [Plan];
      return plan.nationalPrefixForParsing?.test(nsn) ? null : isValidFor(plan, nsn);
    }
    const plan = plans.find((p) => (p.leadingDigits ? p.leadingDigits.test(nsn) : isValidFor(p, nsn)));
    if (!plan || plans.some((p) => p.nationalPrefixForParsing?.test(nsn))) return null;
    // A plan without leading digits was chosen by the number being valid for it.
    return plan.leadingDigits ? isValidFor(plan, nsn) : true;
  }
  return null;
}

/**
 * Normalizes phone numbers to E.164 for one default country, as libphonenumber-js does, fast enough for a
 * million rows. International numbers are checked against precompiled patterns; national ones reuse what
 * the full parser learnt for the same leading digits (a national prefix is stripped the same way for every
 * number that starts alike). Anything unusual, and every number the fast path would reject, goes to the
 * full parser, so the fast path can only ever agree with it.
 */
export class PhoneNormalizer {
  /** Key: the national number's leading digits and length; value: what to strip and prepend. */
  private readonly nationalRules = new Map<string, { strip: number; prefix: string } | null>();

  constructor(private readonly defaultCountry: string) {}

  normalize(raw: string): string | null {
    const cleaned = HAS_FORMATTING.test(raw) ? raw.replace(FORMATTING, '') : raw;
    if (!DIGITS.test(cleaned)) return this.parse(raw);
    if (cleaned.startsWith('+')) {
      return fastInternational(cleaned.slice(1)) === true ? cleaned : this.parse(raw);
    }
    const key = `${cleaned.slice(0, NATIONAL_KEY_DIGITS)}:${cleaned.length}`;
    let rule = this.nationalRules.get(key);
    if (rule === undefined) {
      rule = this.learn(cleaned);
      this.nationalRules.set(key, rule);
    }
    if (rule) {
      const candidate = rule.prefix + cleaned.slice(rule.strip);
      if (fastInternational(candidate.slice(1)) === true) return candidate;
    }
    return this.parse(raw);
  }

  /** How the full parser turns a national number like this one into E.164, when it keeps its digits. */
  private learn(cleaned: string): { strip: number; prefix: string } | null {
    const parsed = parsePhoneNumberFromString(cleaned, this.defaultCountry as CountryCode, metadata);
    if (!parsed?.isValid() || parsed.nationalNumber.length < MIN_MEMO_NATIONAL_LENGTH) return null;
    const strip = cleaned.length - parsed.nationalNumber.length;
    // The rule is shared by every number with the same key, so what it strips must lie within the key.
    if (!cleaned.endsWith(parsed.nationalNumber) || strip > NATIONAL_KEY_DIGITS) return null;
    return { strip, prefix: `+${parsed.countryCallingCode}` };
  }

  private parse(raw: string): string | null {
    const parsed = parsePhoneNumberFromString(raw, this.defaultCountry as CountryCode, metadata);
    return parsed?.isValid() ? parsed.number : null;
  }
}
