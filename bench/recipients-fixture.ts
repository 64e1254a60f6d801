import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { mulberry32 } from '../electron/core/simulator/seeded-random';

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Amelia',
  'Oliver',
  'Ava',
  'Elijah',
  'Sophia',
  'Lucas',
  'Zoë',
  'José',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Müller',
  "O'Brien",
];
const CITIES = ['London', 'Manchester', 'Leeds', 'Bristol', 'Glasgow', 'Cardiff', 'Belfast', 'York'];

/**
 * Writes (once) a recipient CSV of `rows` rows, ~85 bytes each, as a UK shop would export it: numbers in
 * international, spaced and national forms, about 1% invalid and 1% repeated, some quoted cells.
 */
export async function recipientsFixture(rows: number): Promise<string> {
  mkdirSync('.bench', { recursive: true });
  const path = `.bench/recipients-${rows}.csv`;
  if (existsSync(path) && statSync(path).size > 0) return path;
  // A fixed seed, so that every run measures the same file.
  const random = mulberry32(1);
  const next = (n: number) => Math.floor(random() * n);
  const out = createWriteStream(path);
  out.write('first_name,last_name,phone,email,city,order_id,amount\n');
  let buffer = '';
  let previous = '+447700900000';
  for (let i = 0; i < rows; i++) {
    const first = FIRST[next(FIRST.length)] as string;
    const last = LAST[next(LAST.length)] as string;
    const digits = '12345789'[next(8)] + String(next(100_000_000)).padStart(8, '0');
    const roll = next(100);
    const phone =
      roll === 0
        ? `07${digits.slice(0, 5)}`
        : roll === 1
          ? previous
          : i % 3 === 0
            ? `+44 7${digits.slice(0, 3)} ${digits.slice(3)}`
            : i % 3 === 1
              ? `07${digits.slice(0, 3)} ${digits.slice(3)}`
              : `+447${digits}`;
    previous = phone;
    const amount = (next(20_000) / 100).toFixed(2);
    buffer += `${first},"${last}",${phone},${first.toLowerCase()}.${i}@example.com,${CITIES[next(CITIES.length)]},ORD-${1_000_000 + i},${amount}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return path;
}
