/**
 * Message templates: `$(column)` is replaced by the row's value of that column, `$(column|fallback)`
 * by the fallback when the cell is empty. Column names match ignoring case, surrounding spaces and
 * repeated inner spaces, so `$( First  Name )` matches a column "first name". A name may hold one level
 * of balanced parentheses, as in `$(Amount (USD))`.
 */
import { editDistance } from './closest-match';
const PLACEHOLDER = /\$\(((?:[^()|]|\([^()|]*\))*)(?:\|((?:[^()]|\([^()]*\))*))?\)/g;

type Part = string | { column: number; name: string; fallback: string | null };

export interface CompiledTemplate {
  readonly parts: readonly Part[];
  /** Placeholder names that match no column, in order of appearance. */
  readonly unknown: readonly string[];
}

export interface RenderedMessage {
  text: string;
  /** Placeholders whose cell was empty and had no fallback. */
  emptyPlaceholders: string[];
}

export function normalizeColumnName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function compileTemplate(template: string, columns: readonly string[]): CompiledTemplate {
  const index = new Map<string, number>();
  columns.forEach((c, i) => {
    const key = normalizeColumnName(c);
    if (!index.has(key)) index.set(key, i);
  });
  const parts: Part[] = [];
  const unknown: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = (m[1] ?? '').trim();
    const column = index.get(normalizeColumnName(name));
    if (m.index > last) parts.push(template.slice(last, m.index));
    if (column === undefined) {
      if (!unknown.includes(name)) unknown.push(name);
      parts.push(m[0]);
    } else {
      parts.push({ column, name, fallback: m[2] ?? null });
    }
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  // Anything else that opens a placeholder (unbalanced or nested brackets) would go out as literal text.
  for (const part of parts) {
    if (typeof part !== 'string' || part.startsWith('$(')) continue;
    for (const m of part.matchAll(/\$\([^)]*\)?/g)) {
      const name = m[0].slice(2).replace(/\)$/, '').trim();
      if (!unknown.includes(name)) unknown.push(name);
    }
  }
  return { parts, unknown };
}

/** `values`: the row's cells, or a function giving one cell (to avoid splitting a whole row). */
export function renderMessage(
  compiled: CompiledTemplate,
  values: readonly string[] | ((column: number) => string),
): RenderedMessage {
  const cell = typeof values === 'function' ? values : (column: number) => values[column] ?? '';
  let text = '';
  const emptyPlaceholders: string[] = [];
  for (const part of compiled.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const value = cell(part.column).trim();
    if (value !== '') text += value;
    else if (part.fallback !== null) text += part.fallback;
    else emptyPlaceholders.push(part.name);
  }
  return { text, emptyPlaceholders };
}

/**
 * Why placeholders match no column, with the column each most likely meant; `subject`: what holds them,
 * "The message" unless told.
 */
export function describeUnknownPlaceholders(
  unknown: readonly string[],
  columns: readonly string[],
  subject = 'The message',
): string {
  const names = unknown.map((n) => `$(${n})`).join(', ');
  const problem = `${subject} uses ${names}, which ${unknown.length === 1 ? 'is not a column' : 'are not columns'} of the recipient file.`;
  const guesses = unknown.flatMap((name) => {
    const meant = closestColumn(name, columns);
    const placeholder = meant === null ? null : placeholderFor(meant);
    return placeholder === null ? [] : [{ name, placeholder }];
  });
  if (guesses.length === 0) return problem;
  const meant =
    unknown.length === 1
      ? guesses.map((g) => g.placeholder).join('')
      : guesses.map((g) => `${g.placeholder} for $(${g.name})`).join(', ');
  return `${problem} Did you mean ${meant}?`;
}

/** Case, spaces and punctuation aside: `first_name`, `First Name` and `FirstName` are one name. */
function looseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The column a mistyped placeholder most likely meant: the nearest within a few typing slips, or null. */
export function closestColumn(name: string, columns: readonly string[]): string | null {
  const loose = looseName(name);
  if (loose === '') return null;
  const slips = loose.length <= 4 ? 1 : loose.length <= 11 ? 2 : 3;
  let best: { column: string; distance: number } | null = null;
  for (const column of columns) {
    const distance = editDistance(loose, looseName(column));
    if (distance <= slips && (best === null || distance < best.distance)) best = { column, distance };
  }
  return best?.column ?? null;
}

/** The placeholder that refers to `column`, or null when its name cannot be written as one (e.g. holds `|`). */
export function placeholderFor(column: string): string | null {
  const placeholder = `$(${column.trim()})`;
  const { parts, unknown } = compileTemplate(placeholder, [column]);
  return unknown.length === 0 && parts.length === 1 && typeof parts[0] !== 'string' ? placeholder : null;
}
