import type { SkipReason } from '../../shared/api';
import { withShownLinks } from '../../shared/smartlinks';
import { renderMessage, type CompiledTemplate } from '../../shared/template';
import { describeLength, type TextLimit } from '../../shared/text-limits';
import { TooLongTally } from '../core/campaigns/too-long';
import { NumberSet } from '../core/recipients/number-set';
import { measureMessage, optOutCode, reasonCode, reasonOf } from '../core/recipients/prepare';

export interface PreviewRowsSetup {
  template: CompiledTemplate;
  phoneColumn: number | null;
  optedOut: { has(msisdn: string): boolean; readonly size: number };
  limit: TextLimit;
  json: boolean;
}

const MISSING = reasonCode('missing-number');
const DUPLICATE = reasonCode('duplicate');

/**
 * Checks and renders rows one at a time, in file order, as a campaign's checks do (the first row of a
 * number is sent, the later ones skipped as repeats), keeping only the summary's tallies and the numbers
 * seen: a million rows are previewed without holding the table.
 */
export class PreviewRows {
  rows = 0;
  ready = 0;
  segments = 0;
  /** By reason, in the order the reasons first occur (as the campaign's view counts them). */
  readonly skippedBy: Partial<Record<SkipReason, number>> = {};
  readonly tooLong = new TooLongTally();
  /** Phone cells written without a leading +, read as the default country's. */
  withoutPlus = 0;
  private readonly seen = new NumberSet();

  constructor(private readonly setup: PreviewRowsSetup) {}

  /** The phone cell of each row, as `line` wants them read. */
  phones(rows: readonly (readonly string[])[]): string[] {
    const { phoneColumn } = this.setup;
    return rows.map((cells) => (phoneColumn === null ? '' : (cells[phoneColumn] ?? '')));
  }

  /**
   * The next row's preview line: a JSON object, or the text mode's columns. `msisdn` and `code`: what
   * readNumber made of its phone cell.
   */
  line(cells: readonly string[], msisdn: string | null, code: number): string {
    const row = this.rows++;
    const { phoneColumn, limit } = this.setup;
    const phone = phoneColumn === null ? '' : (cells[phoneColumn] ?? '');
    if (msisdn !== null) code = optOutCode(msisdn, this.setup.optedOut);
    if (code === 0 && !this.seen.add(msisdn as string)) code = DUPLICATE;
    if (code !== MISSING && phone.trimStart().charCodeAt(0) !== PLUS) this.withoutPlus++;
    const rendered = renderMessage(this.setup.template, cells);
    const { encoding, segments, characters } = measureMessage(rendered.text);
    const reason =
      code !== 0 ? reasonOf(code) : rendered.emptyPlaceholders.length > 0 ? 'missing-value' : null;
    let tooLong = false;
    if (reason === null) {
      this.ready++;
      this.segments += segments;
      tooLong = characters > limit.max;
      if (tooLong) this.tooLong.add(row, characters);
    } else this.skippedBy[reason] = (this.skippedBy[reason] ?? 0) + 1;
    const status = reason === null ? 'ready' : 'skipped';
    const message = withShownLinks(rendered.text);
    // The same object JSON.stringify would write, built by hand: only the message needs escaping.
    return this.setup.json
      ? `{"row":${row + 1},"msisdn":${msisdn === null ? 'null' : `"${msisdn}"`},"status":"${status}","reason":${reason === null ? 'null' : `"${reason}"`},"message":${JSON.stringify(message)},"encoding":"${encoding}","segments":${segments},"characters":${characters},"tooLong":${tooLong}}`
      : `${String(row + 1).padStart(6)}  ${(msisdn ?? '-').padEnd(16)} ${status.padEnd(7)} ${(reason ?? '').padEnd(14)} ${encoding} ${String(segments).padStart(2)}  ${JSON.stringify(message)}${tooLong ? `  too long: ${describeLength(characters, limit)}` : ''}`;
  }

  get skipped(): number {
    return this.rows - this.ready;
  }
}

const PLUS = 0x2b;
