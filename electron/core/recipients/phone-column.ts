import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';
import maxMetadataJson from 'libphonenumber-js/max/metadata';
import type { PhoneColumnChoice, PhoneColumnScore } from '../../../shared/api';
import { DeskError } from '../errors';
import { PhoneNormalizer } from './phone-numbers';
import type { RecipientTable } from './recipient-table';

/** Non-empty cells read per column: enough to judge it, and the cost stays the same at a million rows. */
export const SAMPLE_CELLS = 2_000;
/** Rows read at most, so that a column left mostly empty does not make the sample read the whole file. */
export const SAMPLE_ROWS = 20_000;
/**
 * Numbers per column whose type (mobile, landline…) is looked up: the lookup needs the full parser and the
 * 'max' metadata, ~40 µs a number, far too slow for every row (README, "Recipients").
 */
export const TYPE_SAMPLE = 500;
/** A column qualifies when at least this share of its non-empty cells are valid numbers. */
const MIN_SHARE = 0.2;
/** A runner-up this close (in score points) is worth showing beside the choice. */
const CLOSE_POINTS = 15;
/** A number known to be a landline (or toll-free, pager…) counts this much: it may not take texts. */
const NOT_MOBILE_WEIGHT = 0.5;
const MOBILE_HEADER =
  /mobile|\bcell|\bsms\b|whats\s?app|\bgsm\b|msisdn|handy|portable|móvil|movil|celular|cellulare|mobiel|\bmobil/i;
const PHONE_HEADER =
  /phone|\btel|number|\bnum|\bno\b|contact|fon|tél|teléfono|telefone|telefono|numero|número/i;

/** Digits and what spreadsheets write between them; an extension or letters make a cell too unusual to count. */
const PHONE_SHAPED = /^\+?[\d\s\-()./\u00a0\u2010-\u2015]+$/;
/** Mobile numbers, written nationally, have at least this many digits. */
const MIN_DIGITS = 7;

const maxMetadata = maxMetadataJson as unknown as MetadataJson;

/** Types that can tell a number will not take texts; FIXED_LINE_OR_MOBILE (the US, Canada…) cannot. */
const NOT_MOBILE = new Set([
  'FIXED_LINE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'UAN',
  'VOICEMAIL',
  'PAGER',
]);

interface Ranked {
  score: PhoneColumnScore;
  /** What the columns are ranked by, 0..100 plus the header hint (see scoreColumn). */
  points: number;
}

/**
 * The column that holds the phone numbers, found by what its cells hold: the share of valid numbers for
 * the default country, landlines counting less than mobiles, among rows that have a value. Header words
 * only break near ties. Null when no column is mostly numbers.
 */
export function choosePhoneColumn(table: RecipientTable, defaultCountry: string): PhoneColumnChoice | null {
  let byCountry = chosen.get(table);
  if (!byCountry) chosen.set(table, (byCountry = new Map()));
  let choice = byCountry.get(defaultCountry);
  if (choice === undefined) byCountry.set(defaultCountry, (choice = choose(table, defaultCountry)));
  return choice;
}

/** The import, the campaign's view and the CLI ask for the same table's choice: it is made once. */
const chosen = new WeakMap<RecipientTable, Map<string, PhoneColumnChoice | null>>();

function choose(table: RecipientTable, defaultCountry: string): PhoneColumnChoice | null {
  const normalizer = new PhoneNormalizer(defaultCountry);
  const scores = sampleColumns(table).map((cells, column) =>
    scoreColumn(column, table.columns[column] ?? '', cells, normalizer),
  );
  const ranked = scores.filter((s) => s.score.share >= MIN_SHARE).sort((a, b) => b.points - a.points);
  const [chosen, next] = ranked;
  if (!chosen) return null;
  const close = next !== undefined && chosen.points - next.points <= CLOSE_POINTS;
  return { ...chosen.score, runnerUp: close ? next.score : null };
}

export function noPhoneColumn(fileName: string, defaultCountry: string): DeskError {
  return new DeskError(
    'no-phone-column',
    `No column of ${fileName} holds phone numbers (numbers without a country code read as ${defaultCountry} numbers).`,
  );
}

interface Sample {
  cells: string[];
  /** Rows read to find them, empty ones included. */
  rows: number;
}

function sampleColumns(table: RecipientTable): Sample[] {
  const samples = table.columns.map((): Sample => ({ cells: [], rows: 0 }));
  let open = samples.length;
  for (let row = 0; row < Math.min(table.size, SAMPLE_ROWS) && open > 0; row++) {
    const values = table.values(row);
    samples.forEach((sample, column) => {
      if (sample.cells.length >= SAMPLE_CELLS) return;
      sample.rows++;
      const cell = (values[column] ?? '').trim();
      if (cell === '') return;
      sample.cells.push(cell);
      if (sample.cells.length === SAMPLE_CELLS) open--;
    });
  }
  return samples;
}

/**
 * Points: 100 × (mobile or undecided numbers + landlines × NOT_MOBILE_WEIGHT) / rows read, so that a column
 * filled on few rows ranks low however clean; plus up to 3 for a header naming a mobile (2 for a phone).
 */
function scoreColumn(column: number, header: string, sample: Sample, normalizer: PhoneNormalizer): Ranked {
  let valid = 0;
  let mobile = 0;
  let notMobile = 0;
  let typed = 0;
  for (const cell of sample.cells) {
    // Names, amounts, order numbers would each cost a full parse (~0.2 ms) to reject.
    if (!PHONE_SHAPED.test(cell) || digitCount(cell) < MIN_DIGITS) continue;
    const number = normalizer.normalize(cell);
    if (number === null) continue;
    valid++;
    if (typed++ >= TYPE_SAMPLE) continue;
    const type = parsePhoneNumberFromString(number, maxMetadata)?.getType();
    if (type === 'MOBILE') mobile++;
    else if (type !== undefined && NOT_MOBILE.has(type)) notMobile++;
  }
  const hint = MOBILE_HEADER.test(header) ? 3 : PHONE_HEADER.test(header) ? 2 : 0;
  const notMobileShare = notMobile / Math.max(1, Math.min(valid, TYPE_SAMPLE));
  const weighted = valid * (1 - notMobileShare * (1 - NOT_MOBILE_WEIGHT));
  const score: PhoneColumnScore = {
    column,
    share: sample.cells.length === 0 ? 0 : valid / sample.cells.length,
    ...(mobile + notMobile > 0 && { mobileShare: mobile / Math.min(valid, TYPE_SAMPLE) }),
  };
  return { score, points: (sample.rows === 0 ? 0 : (100 * weighted) / sample.rows) + hint };
}

function digitCount(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}
