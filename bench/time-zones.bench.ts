// What finding every row's time zone costs on a 1,000,000-row file, beside what reading its numbers costs (the
// baseline: the check that runs anyway), and beside libphonenumber-geo-carrier's own timezones(), which reads
// and decodes its whole mapping for each number (timed on a sample, the whole file's figure extrapolated).
import { readFileSync } from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { parseRecipientsCsv } from '../electron/core/recipients/csv-import';
import { decodeText } from '../electron/core/recipients/decode';
import { PhoneNormalizer } from '../electron/core/recipients/phone-numbers';
import { RowZones } from '../electron/core/recipients/row-zones';
import { zonesOfNumber } from '../electron/core/recipients/time-zones';
import { recipientsFixture } from './recipients-fixture';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SAMPLE = 300;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const table = await parseRecipientsCsv(decodeText(readFileSync(await recipientsFixture(ROWS))).text);
const phone = table.columns.indexOf('phone');
const normalizer = new PhoneNormalizer('GB');

let started = performance.now();
const numbers: (string | null)[] = new Array<string | null>(table.size);
for (let row = 0; row < table.size; row++) numbers[row] = normalizer.normalize(table.cell(row, phone));
const baseline = performance.now() - started;

started = performance.now();
const zones = new RowZones(table.size);
for (let row = 0; row < table.size; row++) {
  const number = numbers[row];
  if (number) zones.set(row, zonesOfNumber(number));
}
const lookup = performance.now() - started;

started = performance.now();
for (let row = 0; row < SAMPLE; row++) {
  const number = numbers[row];
  if (number) await timezones(parsePhoneNumberFromString(number) as never);
}
const theirsPerNumber = (performance.now() - started) / SAMPLE;

const rows = table.size.toLocaleString('en-US');
console.log(`Time zones of ${rows} rows (${zones.groups - 1} distinct zone sets):`);
console.log(`  baseline, reading every number (E.164):   ${seconds(baseline)}`);
console.log(
  `  zones by longest prefix, decoded once:    ${seconds(lookup)} (${((lookup / baseline) * 100).toFixed(0)} % of the baseline, ${((lookup * 1000) / table.size).toFixed(2)} µs a row)`,
);
console.log(
  `  libphonenumber-geo-carrier timezones():  ${(theirsPerNumber * 1000).toFixed(0)} µs a number → ${seconds(theirsPerNumber * table.size)} for the file (sample of ${SAMPLE})`,
);
