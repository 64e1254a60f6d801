import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { startNodeDesk } from '../../electron/core/node-desk';
import { deskErrorOf } from './support/desk-error';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROWS = 200;
const FIRST = ['Olivia', 'Liam', 'Amelia', 'Noah', 'Isla', 'George', 'Ava', 'Arthur'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Patel'];

const pad = (i: number, width: number) => String(i).padStart(width, '0');
/** UK mobiles, in the national and international forms spreadsheets hold. */
const ukMobile = (i: number) => (i % 2 ? `07911 ${pad(100_000 + i, 6)}` : `+44 7400 ${pad(100_000 + i, 6)}`);
/** UK office and home landlines (London, Manchester). */
const ukLandline = (i: number) => (i % 2 ? `020 7946 ${pad(i, 4)}` : `+44 161 496 ${pad(i, 4)}`);
const usNumber = (i: number) =>
  i % 2 ? `(415) 2${pad(10 + (i % 90), 2)}-${pad(i, 4)}` : `+1 212 ${pad(300 + (i % 600), 3)} ${pad(i, 4)}`;
const first = (i: number) => FIRST[i % FIRST.length] as string;
const last = (i: number) => LAST[(i * 3) % LAST.length] as string;
const email = (i: number) => `${first(i).toLowerCase()}.${last(i).toLowerCase()}${i}@example.com`;
/** Blank on every `every`-th row: exports leave cells empty when the contact has no such number. */
const sometimes = (every: number, value: string, i: number) => (i % every === 0 ? '' : value);

function csv(header: string, row: (i: number) => Record<string, string>): string {
  const columns = header.split(',');
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const values = row(i);
    return columns.map((c) => values[c] ?? '');
  });
  return Papa.unparse({ fields: columns, data: rows });
}

const GOOGLE_OLD = csv(
  'Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value',
  (i) => ({
    Name: `${first(i)} ${last(i)}`,
    'Given Name': first(i),
    'Family Name': last(i),
    Birthday: `1985-0${(i % 9) + 1}-1${i % 10}`,
    'Group Membership': '* myContacts',
    'E-mail 1 - Type': '* Home',
    'E-mail 1 - Value': email(i),
    'Phone 1 - Type': 'Work',
    'Phone 1 - Value': ukLandline(i),
    'Phone 2 - Type': sometimes(10, 'Mobile', i),
    'Phone 2 - Value': sometimes(10, ukMobile(i), i),
  }),
);

/** The export that made the app pick "Phonetic First Name" and skip every row. */
const GOOGLE_NEW = csv(
  'First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value',
  (i) => ({
    'First Name': first(i),
    'Last Name': last(i),
    'Phonetic First Name': first(i).toLowerCase(),
    'Organization Name': 'Acme Ltd',
    Labels: '* myContacts',
    'E-mail 1 - Label': '* Work',
    'E-mail 1 - Value': email(i),
    'Phone 1 - Label': sometimes(4, 'Work', i),
    'Phone 1 - Value': sometimes(4, ukLandline(i), i),
    'Phone 2 - Label': sometimes(8, 'Mobile', i),
    'Phone 2 - Value': sometimes(8, ukMobile(i), i),
  }),
);

const OUTLOOK = csv(
  "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Notes,Categories",
  (i) => ({
    'First Name': first(i),
    'Last Name': last(i),
    'E-mail Address': email(i),
    'Home Phone': sometimes(3, ukLandline(i + 5000), i),
    'Business Phone': ukLandline(i),
    'Mobile Phone': sometimes(7, ukMobile(i), i),
    'Car Phone': i === 5 ? ukMobile(9999) : '',
    Company: 'Acme Ltd',
    'Business City': 'London',
    'Business Postal Code': 'EC1A 1BB',
    'Business Country/Region': 'United Kingdom',
  }),
);

const SHOPIFY = csv(
  'First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags',
  (i) => ({
    'First Name': first(i),
    'Last Name': last(i),
    Email: email(i),
    'Accepts Email Marketing': i % 2 ? 'yes' : 'no',
    'Default Address Address1': `${100 + i} Market St`,
    'Default Address City': 'San Francisco',
    'Default Address Province Code': 'CA',
    'Default Address Country Code': 'US',
    'Default Address Zip': `'94${pad(100 + i, 3)}`,
    'Default Address Phone': sometimes(3, usNumber(i + 3000), i),
    Phone: sometimes(20, usNumber(i), i),
    'Accepts SMS Marketing': 'yes',
    'Total Spent': `${(i * 13.37).toFixed(2)}`,
    'Total Orders': String(i % 7),
    'Tax Exempt': 'no',
  }),
);

/** Both columns US numbers, which no numbering plan tells apart: the mobile one is fuller, by a little. */
const HUBSPOT = csv(
  'Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,Lifecycle Stage,Create Date',
  (i) => ({
    'Record ID': String(51_000_000 + i * 101),
    'First Name': first(i),
    'Last Name': last(i),
    Email: email(i),
    'Phone Number': sometimes(5, usNumber(i + 5000), i),
    'Mobile Phone Number': sometimes(12, usNumber(i), i),
    'Company Name': 'Acme Inc.',
    'Lifecycle Stage': 'customer',
    'Create Date': '2024-03-05 10:21',
  }),
);

const MAILCHIMP = csv(
  'Email Address,First Name,Last Name,Address,Phone Number,Birthday,TAGS,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES',
  (i) => ({
    'Email Address': email(i),
    'First Name': first(i),
    'Last Name': last(i),
    Address: `${100 + i} Main St  San Francisco CA 94107 US`,
    'Phone Number': sometimes(6, usNumber(i), i),
    Birthday: `0${(i % 9) + 1}/1${i % 10}`,
    MEMBER_RATING: String((i % 5) + 1),
    OPTIN_TIME: '2024-01-02 03:04:05',
    OPTIN_IP: '203.0.113.7',
    LATITUDE: '37.7749',
    LONGITUDE: '-122.4194',
    LEID: String(120_000_000 + i),
  }),
);

/** A header named "Phone" over names, beside an unnamed column of numbers. */
const MISLABELLED = csv(',Phone,Notes', (i) => ({ '': ukMobile(i), Phone: first(i), Notes: 'VIP' }));

let root: string;
let desk: Desk;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'phone-column-test-'));
  desk = await startNodeDesk(join(root, 'home'));
});

afterAll(async () => {
  await desk?.close();
  await rm(root, { recursive: true, force: true });
});

async function importView(text: string, country: string) {
  const imported = await desk.importRecipients('contacts.csv', { text }, undefined, {
    defaultCountry: country,
  });
  const name = (column: number | undefined) => (column === undefined ? null : imported.columns[column]);
  return {
    imported,
    column: imported.phoneColumn === null ? null : imported.columns[imported.phoneColumn],
    runnerUp: name(imported.phoneColumnChoice?.runnerUp?.column),
  };
}

describe('the phone column, found by what its cells hold', () => {
  it.each([
    ['Google Contacts (older export), work landline first', GOOGLE_OLD, 'GB', 'Phone 2 - Value'],
    ['Google Contacts, a "Phonetic First Name" column', GOOGLE_NEW, 'GB', 'Phone 2 - Value'],
    ['Outlook, the business landline before the mobile', OUTLOOK, 'GB', 'Mobile Phone'],
    ['Shopify customers', SHOPIFY, 'US', 'Phone'],
    ['HubSpot contacts', HUBSPOT, 'US', 'Mobile Phone Number'],
    ['Mailchimp audience', MAILCHIMP, 'US', 'Phone Number'],
  ])('%s: the import picks the mobile column', async (_, text, country, expected) => {
    const { imported, column } = await importView(text, country);
    expect(column).toBe(expected);
    expect(imported.counts.ready).toBeGreaterThan(ROWS * 0.8);
  });

  it('tells how much of the chosen column is numbers, and mobiles where the plan can tell', async () => {
    const { imported } = await importView(OUTLOOK, 'GB');
    const choice = imported.phoneColumnChoice;
    expect(choice?.share).toBe(1);
    expect(choice?.mobileShare).toBe(1);
    expect((await importView(SHOPIFY, 'US')).imported.phoneColumnChoice?.mobileShare).toBeUndefined();
  });

  it('reports the runner-up when it is close, and not when it is far behind', async () => {
    const hubspot = await importView(HUBSPOT, 'US');
    expect(hubspot.runnerUp).toBe('Phone Number');
    expect(hubspot.imported.phoneColumnChoice?.runnerUp?.share).toBe(1);
    expect((await importView(SHOPIFY, 'US')).runnerUp).toBeNull();
    // A landline column, however full, is far behind a mobile one.
    expect((await importView(OUTLOOK, 'GB')).runnerUp).toBeNull();
  });

  it('prefers an unnamed column of numbers to a column named "Phone" full of names', async () => {
    expect((await importView(MISLABELLED, 'GB')).column).toBe('Column 1');
  });

  it('finds no column in a file without numbers, and finds one once the right country is chosen', async () => {
    const uk = csv('name,mobile', (i) => ({ name: first(i), mobile: `07911 ${pad(100_000 + i, 6)}` }));
    const { imported } = await importView(uk, 'US');
    expect(imported.phoneColumn).toBeNull();
    expect(imported.phoneColumnChoice).toBeNull();
    const updated = await desk.update(imported.id, { defaultCountry: 'GB' });
    expect(updated.phoneColumn).toBe(1);
    expect(updated.counts.ready).toBe(ROWS);
  });

  it('the opt-out import reads the mobile column and says what became of every row', async () => {
    const first = await desk.handlers['suppression.import']({
      fileName: 'outlook.csv',
      source: { text: OUTLOOK },
      defaultCountry: 'GB',
    });
    const mobiles = ROWS - Math.ceil(ROWS / 7);
    expect(first).toEqual({ column: 'Mobile Phone', added: mobiles, alreadyListed: 0, invalid: [] });
    const header = (OUTLOOK.split('\r\n')[0] as string).split(',');
    const typo = header.map((c) => (c === 'Mobile Phone' ? 'not a number' : '')).join(',');
    const again = await desk.handlers['suppression.import']({
      fileName: 'outlook.csv',
      source: { text: `${OUTLOOK}\r\n${typo}` },
      defaultCountry: 'GB',
    });
    expect(again).toEqual({
      column: 'Mobile Phone',
      added: 0,
      alreadyListed: mobiles,
      invalid: ['not a number'],
    });
    const refused = await deskErrorOf(
      desk.handlers['suppression.import']({
        fileName: 'names.csv',
        source: { text: 'Phone,City\nAnn,Leeds\nBob,York' },
        defaultCountry: 'GB',
      }),
    );
    expect(refused.code).toBe('no-phone-column');
  });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.CAMPAIGN_DESK_HOME;
  delete env.CAMPAIGN_DESK_KEY;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/campaign-desk.js', ...args, '--data-dir', join(root, 'cli-home')],
      { cwd: ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.concurrent('the phone column in the CLI', () => {
  it('preview names the mobile column of a Google Contacts export, and why', async () => {
    const file = join(root, 'google.csv');
    await writeFile(file, GOOGLE_NEW);
    const json = await cli(['preview', file, '--text', 'Hi $(First Name)', '--country', 'GB', '--json']);
    expect(json.code).toBe(0);
    const { summary } = JSON.parse(json.stdout.trim().split('\n').at(-1) as string) as {
      summary: { phoneColumn: string; phoneColumnChoice: { share: number } };
    };
    expect(summary.phoneColumn).toBe('Phone 2 - Value');
    expect(summary.phoneColumnChoice.share).toBe(1);
    const text = await cli(['preview', file, '--text', 'Hi $(First Name)', '--country', 'GB']);
    expect(text.stdout).toContain(
      'Phone column: "Phone 2 - Value", found by its content (100 % numbers, 100 % mobiles).',
    );
  });

  it('send refuses a file where no column holds numbers, with exit 1, and sends nothing', async () => {
    const file = join(root, 'names.csv');
    await writeFile(file, 'Name,Phonetic First Name,Phone\nAnn,ann,Ann\nBob,bob,Bob\n');
    const run = await cli(['send', file, '--text', 'Hi', '--sender', 'SHOP', '--country', 'GB']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No column of names.csv holds phone numbers');
    expect(run.stdout).not.toContain('ready');
  });
});
