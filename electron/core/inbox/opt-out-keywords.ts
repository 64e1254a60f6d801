import { DeskError } from '../errors';
import type { SettingsStore } from '../settings/settings-store';

export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'OPT OUT',
  'REVOKE',
];

const SETTINGS_KEY = 'optOutKeywords';
const AROUND = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/** A reply as compared with the keywords: upper case, single spaces, without punctuation or symbols around it. */
export function keywordForm(text: string): string {
  return text.normalize('NFKC').replace(AROUND, '').replace(/\s+/g, ' ').toUpperCase();
}

/** The replies that opt a number out, kept in the settings. */
export class OptOutKeywords {
  private keywords: Set<string>;

  constructor(private readonly settings: SettingsStore) {
    const stored = settings.get(SETTINGS_KEY);
    const valid =
      Array.isArray(stored) && stored.length > 0 && stored.every((k) => typeof k === 'string' && k !== '');
    this.keywords = new Set(valid ? (stored as string[]) : DEFAULT_OPT_OUT_KEYWORDS);
  }

  list(): string[] {
    return [...this.keywords];
  }

  set(keywords: readonly string[]): string[] {
    const next = new Set<string>();
    for (const keyword of keywords) {
      const form = keywordForm(keyword);
      if (form === '') {
        throw new DeskError(
          'invalid-keyword',
          `"${keyword}" has no letter or digit; a reply could never be compared with it.`,
        );
      }
      next.add(form);
    }
    if (next.size === 0) throw new DeskError('invalid-keyword', 'Keep at least one opt-out keyword.');
    this.keywords = next;
    this.settings.set(SETTINGS_KEY, [...next]);
    return this.list();
  }

  /** The keyword a reply amounts to, or null when it says something else. */
  match(text: string): string | null {
    const form = keywordForm(text);
    return this.keywords.has(form) ? form : null;
  }
}
