// What finding the phone column costs: the 'max' metadata it reads number types from, the choice itself on
// a 1,000,000-row file (it reads a bounded sample, so it should not grow with the file), and, for
// comparison, looking up every row's number type, which is why the type is only read on the sample.
import { readFileSync } from 'node:fs';
import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';
import { parseRecipientsCsv } from '../electron/core/recipients/csv-import';
import { decodeText } from '../electron/core/recipients/decode';
import { PhoneNormalizer } from '../electron/core/recipients/phone-numbers';
import { recipientsFixture } from './recipients-fixture';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;

let started = performance.now();
const max = (await import('libphonenumber-js/max/metadata')).default as unknown as MetadataJson;
console.log(`'max' metadata load: ${ms(started)} (${(JSON.stringify(max).length / 1e3).toFixed(0)} kB)`);
started = performance.now();
const { choosePhoneColumn } = await import('../electron/core/recipients/phone-column');
console.log(`phone-column module load: ${ms(started)}`);

const table = await parseRecipientsCsv(decodeText(readFileSync(await recipientsFixture(ROWS))).text);
started = performance.now();
const choice = choosePhoneColumn(table, 'GB');
console.log(
  `choice on ${table.size.toLocaleString()} rows × ${table.columns.length} columns: ${ms(started)} ` +
    `→ ${table.columns[choice?.column ?? -1]} (${((choice?.share ?? 0) * 100).toFixed(0)} % numbers)`,
);

const normalizer = new PhoneNormalizer('GB');
const phone = table.columns.indexOf('phone');
started = performance.now();
let mobile = 0;
for (let row = 0; row < table.size; row++) {
  const number = normalizer.normalize(table.cell(row, phone));
  if (number && parsePhoneNumberFromString(number, max)?.getType() === 'MOBILE') mobile++;
}
console.log(
  `type of every row's number ('max' metadata), ${table.size.toLocaleString()} rows: ${ms(started)} (${mobile.toLocaleString()} mobiles)`,
);
