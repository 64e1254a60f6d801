import type { SkipReason } from '../../shared/api';
import { describeLength, type TextLimit } from '../../shared/text-limits';
import { TooLongTally } from '../core/campaigns/too-long';
import { NumberSet } from '../core/recipients/number-set';
import type { ChunkedOutput } from './chunked-output';
import { EMPTY, NO_ZONE_NAMED, PLUSLESS, UCS2 } from './row-batch';
import { optOutCode, reasonCode, reasonOf } from '../core/recipients/prepare';
import type { PreviewZones } from './preview-zones';

/** What the row checks made of a batch of rows, its strings split. */
export interface ReadRows {
  numbers: readonly string[];
  reasons: Uint8Array;
  messages: Buffer;
  messageEnds: Uint32Array;
  sizes: Uint32Array;
  flags: Uint8Array;
  /** By row: 0 no zone known, NO_ZONE_NAMED, else an index into `groups`. */
  zones: Uint16Array;
  /** The batch's zone sets as the preview's zone groups (see PreviewZones.groupsOf). */
  groups: Uint16Array;
}

export interface PreviewRowsSetup {
  optedOut: { has(msisdn: string): boolean; readonly size: number };
  limit: TextLimit;
  json: boolean;
  zones: PreviewZones;
}

const DUPLICATE = reasonCode('duplicate');
const UNKNOWN_ZONE = reasonCode('unknown-time-zone');

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
  private readonly middles: Map<SkipReason | null, Buffer>[] = [];
  /** By UCS-2 or not and too long or not (only a ready row is), then by segments and characters. */
  private readonly tails: Buffer[][][] = [];

  constructor(private readonly setup: PreviewRowsSetup) {}

  /**
   * Writes the next row's preview line to `out` (none: the row is only counted): a JSON object, or the text
   * mode's columns. `i`: the row's place in `read`. Resolves at once unless the output waited for a full pipe.
   */
  line(read: ReadRows, i: number, out: ChunkedOutput | null): Promise<void> | undefined {
    const row = this.rows++;
    const { limit, zones } = this.setup;
    let code = read.reasons[i] as number;
    const msisdn = code === 0 ? (read.numbers[i] as string) : null;
    if (msisdn !== null) code = optOutCode(msisdn, this.setup.optedOut);
    // In the campaign's order: opted out before an unknown zone, and a row skipped for either is no repeat's first.
    const zone = read.zones[i] as number;
    if (code === 0 && zone === NO_ZONE_NAMED) code = UNKNOWN_ZONE;
    const group = zone === NO_ZONE_NAMED ? 0 : (read.groups[zone] as number);
    if (code === 0 && !this.seen.add(msisdn as string)) code = DUPLICATE;
    const flags = read.flags[i] as number;
    if (flags & PLUSLESS) this.withoutPlus++;
    const segments = read.sizes[i * 2] as number;
    const characters = read.sizes[i * 2 + 1] as number;
    const encoding = flags & UCS2 ? 'UCS-2' : 'GSM-7';
    const reason = code !== 0 ? reasonOf(code) : flags & EMPTY ? 'missing-value' : null;
    let tooLong = false;
    if (reason === null) {
      this.ready++;
      zones.countReady(group);
      this.segments += segments;
      tooLong = characters > limit.max;
      if (tooLong) this.tooLong.add(row, characters);
    } else this.skippedBy[reason] = (this.skippedBy[reason] ?? 0) + 1;
    const status = reason === null ? 'ready' : 'skipped';
    if (out === null) return undefined;
    // The message, JSON-quoted and encoded already (see readBatch), goes between the head and the tail.
    // The same object JSON.stringify would write, built by hand.
    const start = i === 0 ? 0 : (read.messageEnds[i - 1] as number);
    const end = read.messageEnds[i] as number;
    return this.setup.json
      ? out.lineOf(
          `{"row":${row + 1},"msisdn":${msisdn === null ? 'null' : `"${msisdn}"`},`,
          this.jsonMiddle(group, reason),
          read.messages,
          start,
          end,
          this.jsonTail(flags & UCS2, segments, characters, tooLong),
        )
      : out.lineAround(
          `${String(row + 1).padStart(6)}  ${(msisdn ?? '-').padEnd(16)} ${(zones.text[group] as string).padEnd(20)} ${status.padEnd(7)} ${(reason ?? '').padEnd(17)} ${encoding} ${String(segments).padStart(2)}  `,
          read.messages,
          start,
          end,
          tooLong ? `  too long: ${describeLength(characters, limit)}` : '',
        );
  }

  /** The JSON line's fields from its zones to the message, encoded once for each group and reason. */
  private jsonMiddle(group: number, reason: SkipReason | null): Buffer {
    const byReason = (this.middles[group] ??= new Map());
    let middle = byReason.get(reason);
    if (!middle) {
      const status = reason === null ? 'ready' : 'skipped';
      middle = Buffer.from(
        `"timeZones":${this.setup.zones.json[group] as string},"status":"${status}","reason":${reason === null ? 'null' : `"${reason}"`},"message":`,
      );
      byReason.set(reason, middle);
    }
    return middle;
  }

  /** The JSON line's fields after the message, encoded once for each encoding, size and length. */
  private jsonTail(ucs2: number, segments: number, characters: number, tooLong: boolean): Buffer {
    const bySegments = (this.tails[(ucs2 ? 2 : 0) + (tooLong ? 1 : 0)] ??= []);
    const byCharacters = (bySegments[segments] ??= []);
    let tail = byCharacters[characters];
    if (!tail) {
      const encoding = ucs2 ? 'UCS-2' : 'GSM-7';
      tail = Buffer.from(
        `,"encoding":"${encoding}","segments":${segments},"characters":${characters},"tooLong":${tooLong}}`,
      );
      byCharacters[characters] = tail;
    }
    return tail;
  }

  get skipped(): number {
    return this.rows - this.ready;
  }
}
