import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { SkipReason } from '../../../shared/api';
import { countSegments, type Encoding } from '../../../shared/segments';
import { compileTemplate, renderMessage } from '../../../shared/template';
import type { RecipientTable } from './csv-import';

export interface PreparedRow {
  /** E.164, e.g. +447700900123; null when the cell holds no valid number. */
  msisdn: string | null;
  reason: SkipReason | null;
  message: string;
  encoding: Encoding;
  segments: number;
}

export interface PrepareOptions {
  phoneColumn: number | null;
  defaultCountry: string;
  template: string;
}

/** Normalizes every row's number, drops duplicates (first kept) and renders its message. */
export function prepareRows(table: RecipientTable, options: PrepareOptions): PreparedRow[] {
  const compiled = compileTemplate(options.template, table.columns);
  const seen = new Set<string>();
  return table.rows.map((values) => {
    const { text } = renderMessage(compiled, values);
    const { encoding, segments } = countSegments(text);
    const raw = options.phoneColumn === null ? '' : (values[options.phoneColumn] ?? '').trim();
    const msisdn = raw === '' ? null : normalizeNumber(raw, options.defaultCountry);
    let reason: SkipReason | null = null;
    if (raw === '') reason = 'missing-number';
    else if (msisdn === null) reason = 'invalid-number';
    else if (seen.has(msisdn)) reason = 'duplicate';
    else seen.add(msisdn);
    return { msisdn, reason, message: text, encoding, segments };
  });
}

export function normalizeNumber(raw: string, defaultCountry: string): string | null {
  const digits = raw.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(digits, defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
