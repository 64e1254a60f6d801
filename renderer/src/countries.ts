const COMMON =
  'US CA GB IE AU NZ IN SG ZA AE DE FR ES IT NL BE CH AT SE NO DK FI PL PT BR MX JP PH NG KE'.split(' ');

const names = new Intl.DisplayNames(['en'], { type: 'region' });

export function countryName(code: string): string {
  return names.of(code) ?? code;
}

/** The country choices by name, with `current` included when it is not a common one. */
export function countryOptions(current: string): { code: string; name: string }[] {
  const codes = COMMON.includes(current) ? COMMON : [...COMMON, current];
  return codes
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
