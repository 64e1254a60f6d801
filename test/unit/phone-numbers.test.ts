import fc from 'fast-check';
import * as defaultEntry from 'libphonenumber-js';
import {
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
  type CountryCode,
  type MetadataJson,
} from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';
import examplesJson from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { PhoneNormalizer } from '../../electron/core/recipients/phone-numbers';

const metadata = metadataJson as unknown as MetadataJson;
const examples = examplesJson as Partial<Record<CountryCode, string>>;
const COUNTRIES = getCountries(metadata);

/** What libphonenumber-js itself makes of the input: its E.164 form when valid, else null. */
function reference(input: string, country: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(input, country, metadata);
  return parsed?.isValid() ? parsed.number : null;
}

interface PlanReader {
  selectNumberingPlan(country: CountryCode): void;
  numberingPlan: {
    IDDPrefix(): string;
    defaultIDDPrefix(): unknown;
    nationalPrefix(): string | undefined;
  };
}

interface Dialing {
  callingCode: string;
  /** What a caller in the country dials before an international number (e.g. 00, 011). */
  idd: string;
  nationalPrefix: string;
  /** A mobile number in national significant form, or random digits when the library has none. */
  example: string;
}

const dialing = new Map<CountryCode, Dialing>(
  COUNTRIES.map((country) => {
    const reader = new Metadata(metadata) as unknown as PlanReader;
    reader.selectNumberingPlan(country);
    const plan = reader.numberingPlan;
    const idd = [plan.IDDPrefix(), plan.defaultIDDPrefix()]
      .map((p) => (typeof p === 'string' ? p.replace(/~/g, '') : ''))
      .find((p) => /^\d+$/.test(p));
    return [
      country,
      {
        callingCode: getCountryCallingCode(country, metadata),
        idd: idd ?? '00',
        nationalPrefix: plan.nationalPrefix() ?? '',
        example: examples[country] ?? '2345678901',
      },
    ];
  }),
);

function dialingOf(country: CountryCode): Dialing {
  return dialing.get(country) as Dialing;
}

const country = fc.constantFrom(...COUNTRIES);
const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/**
 * A national number that is often valid: a country's example with its last digits replaced, mostly by as
 * many random digits, sometimes by fewer or more.
 */
const nationalOf = (source: CountryCode) =>
  fc
    .tuple(
      fc.nat({ max: 6 }),
      fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: -3, max: 3 })),
    )
    .chain(([cut, change]) =>
      digits(Math.max(0, cut + change), Math.max(0, cut + change)).map((tail) => [cut, tail] as const),
    )
    .map(([cut, tail]) => {
      const { example } = dialingOf(source);
      return example.slice(0, Math.max(1, example.length - cut)) + tail;
    });

type Form =
  'national' | 'national-prefix' | 'plus' | 'calling-code' | 'idd' | 'random' | 'random-plus' | 'with-letter';

/**
 * An input as people type them for `home` as the default country, in one of several forms; numbers of
 * other countries come from `abroad`.
 */
const unformatted = (home: CountryCode, abroad: fc.Arbitrary<CountryCode> = country) =>
  fc
    .tuple(
      fc.constantFrom<Form>(
        'national',
        'national-prefix',
        'plus',
        'calling-code',
        'idd',
        'random',
        'random-plus',
        'with-letter',
      ),
      fc.oneof(fc.constant(home), abroad),
    )
    .chain(([form, source]) => {
      const own = dialingOf(home);
      const theirs = dialingOf(source);
      switch (form) {
        case 'national':
          return nationalOf(home);
        case 'national-prefix':
          return nationalOf(home).map((n) => own.nationalPrefix + n);
        case 'plus':
          return nationalOf(source).map((n) => `+${theirs.callingCode}${n}`);
        case 'calling-code':
          return nationalOf(source).map((n) => theirs.callingCode + n);
        case 'idd':
          return nationalOf(source).map((n) => own.idd + theirs.callingCode + n);
        case 'random':
          return digits(3, 17);
        case 'random-plus':
          return digits(3, 16).map((d) => `+${d}`);
        case 'with-letter':
          return fc
            .tuple(nationalOf(home), fc.nat(), fc.constantFrom(...'aOlIxX#*'))
            .map(([n, at, letter]) => n.slice(0, at % n.length) + letter + n.slice(at % n.length));
      }
    });

const SEPARATORS = [' ', ' ', '-', '.', '/', '\u00a0', '\u2013'];

/** Spaces, dashes and dots between digits, and sometimes a group in parentheses. */
function formatted(input: string) {
  return fc
    .tuple(
      fc.array(fc.constantFrom(...SEPARATORS), { minLength: input.length, maxLength: input.length }),
      fc.array(fc.boolean(), { minLength: input.length, maxLength: input.length }),
      fc.option(fc.tuple(fc.nat({ max: 3 }), fc.integer({ min: 2, max: 4 })), { nil: undefined }),
    )
    .map(([separators, breaks, group]) => {
      const plus = input.startsWith('+') ? '+' : '';
      let body = input.slice(plus.length);
      if (group) {
        const [start, length] = group;
        const at = Math.min(start, body.length);
        body = `${body.slice(0, at)}(${body.slice(at, at + length)})${body.slice(at + length)}`;
      }
      let out = '';
      for (let i = 0; i < body.length; i++) {
        out += body[i];
        if (breaks[i] && i < body.length - 1 && /\d/.test(body[i] as string)) out += separators[i];
      }
      return plus + out;
    });
}

const input = (home: CountryCode, abroad?: fc.Arbitrary<CountryCode>) =>
  unformatted(home, abroad).chain((raw) => fc.oneof(fc.constant(raw), formatted(raw)));

/** Countries by the first digit of their calling code: numbers dialled to them from abroad start alike. */
const NEIGHBOURS = [
  ...COUNTRIES.reduce((groups, c) => {
    const digit = dialingOf(c).callingCode[0] as string;
    groups.set(digit, [...(groups.get(digit) ?? []), c]);
    return groups;
  }, new Map<string, CountryCode[]>()),
].map(([, group]) => group);

describe('PhoneNormalizer agrees with libphonenumber-js', () => {
  it('uses the same metadata as the default libphonenumber-js entry', () => {
    for (const [raw, home] of [
      ['07911 123456', 'GB'],
      ['(415) 555-2671', 'US'],
      ['+49 151 12345678', 'FR'],
      ['0612345678', 'FR'],
    ] as const) {
      expect(defaultEntry.parsePhoneNumberFromString(raw, home)?.number).toBe(
        parsePhoneNumberFromString(raw, home, metadata)?.number,
      );
    }
    const viaDefault = new defaultEntry.Metadata() as unknown as { metadata: unknown };
    expect(viaDefault.metadata).toBe(metadataJson);
  });

  it('for random countries and numbers in every form, one input at a time', () => {
    fc.assert(
      fc.property(
        country.chain((home) => fc.tuple(fc.constant(home), input(home))),
        ([home, raw]) => {
          expect(new PhoneNormalizer(home).normalize(raw)).toBe(reference(raw, home));
        },
      ),
      { numRuns: 6_000 },
    );
  });

  it('for UK numbers in the shapes shop exports hold them, +44 and its Crown Dependencies included', () => {
    const digits = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const shaped = fc
      .tuple(fc.integer({ min: 1, max: 9 }), digits(8), digits(5))
      .chain(([first, rest, short]) =>
        fc.constantFrom(
          `+447${first}${rest}`,
          `+44 7${first}${rest.slice(0, 2)} ${rest.slice(2)}`,
          `07${first}${rest.slice(0, 2)} ${rest.slice(2)}`,
          `07${first}${rest}`,
          `07${short}`,
          `+44${first}${rest}${short[0]}`,
          `0${first}${rest}${short[0]}`,
          `+44 (0)7${first}${rest}`,
        ),
      );
    fc.assert(
      fc.property(fc.array(shaped, { minLength: 1, maxLength: 60 }), (raws) => {
        const normalizer = new PhoneNormalizer('GB');
        const disagreements = raws.flatMap((raw) => {
          const [ours, library] = [normalizer.normalize(raw), reference(raw, 'GB')];
          return ours === library ? [] : [{ raw, ours, library }];
        });
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 1_500 },
    );
  });

  it('for many numbers through one normalizer, as an import does', () => {
    // A normalizer remembers how it turned earlier numbers into E.164; that must never change a later answer.
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.oneof(fc.constantFrom<CountryCode>('GB', 'US', 'DE', 'FR', 'IN', 'AU', 'BR', 'KE'), country),
            fc.constantFrom(...NEIGHBOURS),
          )
          .chain(([home, neighbours]) =>
            fc.tuple(
              fc.constant(home),
              fc.array(input(home, fc.constantFrom(...neighbours)), { minLength: 1, maxLength: 40 }),
            ),
          ),
        ([home, raws]) => {
          const normalizer = new PhoneNormalizer(home);
          const disagreements = raws.flatMap((raw) => {
            const [ours, library] = [normalizer.normalize(raw), reference(raw, home)];
            return ours === library ? [] : [{ raw, ours, library }];
          });
          expect(disagreements).toEqual([]);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('PhoneNormalizer: examples', () => {
  it.each([
    ['07911 123456', 'GB', '+447911123456'],
    ['07911123456', 'GB', '+447911123456'],
    ['+44 7911 123456', 'GB', '+447911123456'],
    ['+44 7911 123456', 'US', '+447911123456'],
    ['+44 (0)7911 123456', 'FR', '+447911123456'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['1 (415) 555-2671', 'US', '+14155552671'],
    ['00 44 7911 123456', 'FR', '+447911123456'],
    ['0049 151 12345678', 'GB', '+4915112345678'],
    ['011 44 7911 123456', 'US', '+447911123456'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
  ] as const)('%s with default country %s is %s', (raw, home, e164) => {
    expect(reference(raw, home)).toBe(e164);
    expect(new PhoneNormalizer(home).normalize(raw)).toBe(e164);
  });

  it.each([
    ['(415) 555-2671', 'GB'],
    ['07911 123456', 'US'],
    ['call me', 'GB'],
    ['0791I 123456', 'GB'],
    ['+44 7911 12345a', 'GB'],
    ['12', 'US'],
    ['', 'US'],
  ] as const)('%s with default country %s is not a valid number', (raw, home) => {
    expect(reference(raw, home)).toBeNull();
    expect(new PhoneNormalizer(home).normalize(raw)).toBeNull();
  });

  it('gives each international number its own country, whatever was normalized before', () => {
    // Numbers dialled from abroad start alike (00 or 011, then the calling code) yet belong to different
    // countries; one normalizer reads a whole file.
    const fromUs = new PhoneNormalizer('US');
    expect(fromUs.normalize('011 44 7911 123456')).toBe('+447911123456');
    expect(fromUs.normalize('011 49 1511 234567')).toBe('+491511234567');
    const fromGb = new PhoneNormalizer('GB');
    expect(fromGb.normalize('00353 85 123 4567')).toBe('+353851234567');
    expect(fromGb.normalize('00351 912 345 678')).toBe('+351912345678');
  });
});
