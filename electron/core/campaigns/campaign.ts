import { createHash } from 'node:crypto';
import type {
  SendApi,
  CampaignState,
  CampaignView,
  PhoneColumnChoice,
  RequestOptions,
  RowPatch,
  RowView,
  ServiceView,
  SkipReason,
  Smartlink,
  StatusCounts,
  TestSendView,
  WindowPreview,
} from '../../../shared/api';
import { withShownLinks } from '../../../shared/smartlinks';
import { canAdvance, isFinal, ROW_STATUSES, STATUS_INDEX, type RowStatus } from '../../../shared/status';
import { compileTemplate, renderMessage, type CompiledTemplate } from '../../../shared/template';
import type { Encoding } from '../../../shared/segments';
import type { TextLimit } from '../../../shared/text-limits';
import { fileCountries, type FileCountries } from '../recipients/file-countries';
import { encodingOf, reasonOf, type MessageCheck, type NumberCheck } from '../recipients/prepare';
import { choosePhoneColumn } from '../recipients/phone-column';
import type { RecipientTable } from '../recipients/recipient-table';
import type { RowZones } from '../recipients/row-zones';
import type { CampaignDefinition } from './definition';
import { definitionProblem, smartlinksUsedBy } from './definition-problem';
import { DeliveryHistory } from './delivery-history';
import { UnknownRows } from './unknown-rows';
import { ReportTrust } from './report-trust';
import type { DamagedLine, JournalSink } from './journal';
import type { ReplayState } from './replay-state';
import { describeJournalDamage, rowsNamedIn, type JournalDamage } from './journal-damage';
import type { JournalEvent } from './journal-events';
import { describeTooLong, findTooLong } from './too-long';
import { compileRequestOptions, type CompiledRequestOptions } from './request-options';
import { isStartMissed } from './missed-start';
import { WaitingRows } from './waiting-rows';
import { ZoneWindows } from '../sending/zone-windows';
import { effectiveWindow } from '../sending/plan-window';
import { WindowPreviewer } from '../sending/window-preview';
import type { SendWindow } from '../../../shared/send-window';

/** An error for the campaign's view: the sentence, and its technical account when there is one. */
type ShownError = { error: string; detail: string | null };

/** The states from which a campaign can be sent (or resumed): what stands in its way is shown. */
export const SENDABLE_STATES: readonly CampaignState[] = ['draft', 'scheduled', 'paused', 'stopped'];

export const NO_READY_ROW = 'No row is ready to send.';

export interface SentThrough {
  id: string;
  baseUrl: string;
  api: SendApi;
  numbersWithPlus: boolean;
  /** Messages per second; null for no limit (or not recorded). */
  rate: number | null;
}

export interface RowOutcome {
  status: RowStatus;
  deliveredAt: string | null;
  code: string | null;
  description: string | null;
  transid: string | null;
  sentAt: string | null;
  updatedAt: string | null;
}

/** A sent row's last answer or report, and when it was sent. */
export type SendDetails = Omit<RowOutcome, 'status' | 'deliveredAt'>;

/** What is sent to one row, rendered on demand. */
export interface PreparedRow {
  msisdn: string | null;
  reason: SkipReason | null;
  message: string;
  encoding: Encoding;
  segments: number;
  characters: number;
  emptyPlaceholders: string[];
}

export interface Checks {
  numbers: NumberCheck;
  messages: MessageCheck;
}

const NO_DETAILS: SendDetails = {
  code: null,
  description: null,
  transid: null,
  sentAt: null,
  updatedAt: null,
};

/**
 * A campaign's state: its definition and recipients, the checks of every row's number and message, and
 * each row's outcome rebuilt from the journal. Statuses live in a byte array and details only for rows
 * that were sent, so a million-row campaign stays small.
 */
export class Campaign {
  private status: Uint8Array;
  /** How many rows are in each status (by index in ROW_STATUSES), kept as rows change. */
  private counts = new Uint32Array(ROW_STATUSES.length);
  /** The unknown rows and when each was sent, kept as rows change. */
  private readonly unknown = new UnknownRows();
  /** Ready rows whose message is over the service's limit, kept as rows change. */
  private tooLong = 0;
  /** What depends only on which rows are skipped; dropped when a row is skipped or comes back. */
  private skipShape: { skipCounts: Partial<Record<SkipReason, number>>; totalSegments: number } | null = null;
  /** Rows longest message first (earlier row first among equals), built when first asked while rows are ready. */
  private byLength: { order: Uint32Array; place: Uint32Array } | null = null;
  /** In `byLength`, no ready row comes before this place. */
  private longestFrom = 0;
  private readonly details: (SendDetails | undefined)[] = [];
  private started = false;
  /** When sending first began, and when it last ended (null while it runs again). */
  private firstStart: string | null = null;
  private lastEnd: string | null = null;
  private ended: {
    state: Exclude<CampaignState, 'draft' | 'scheduled' | 'sending'>;
    error: string | null;
    detail: string | null;
  } | null = null;
  private schedule: { startAt: string | null; error: string | null; digest: string | null } = {
    startAt: null,
    error: null,
    digest: null,
  };
  /**
   * Whether the service answered for any row, or reported on one: from then on a message may have gone out, and
   * the campaign stays sent whatever happens next.
   */
  private answered = false;
  /** Why the last start was withdrawn, having sent nothing; shown until the next start. */
  private withdrawn: ShownError | null = null;
  /** Rows that were ever in a batch: reports about any other row are noise. */
  private readonly attempted = new Set<number>();
  private tests: TestSendView[] = [];
  private countries: { column: number | null; found: FileCountries } | null = null;
  private service: SentThrough | null = null;
  private readonly byTransid = new Map<string, number>();
  /** How many times each row was sent again on the user's word: its attempt, part of its Idempotency-Key. */
  private readonly resends = new Map<number, number>();
  private columnChoice: { country: string; choice: PhoneColumnChoice | null } | null = null;
  /** Rows made ready to go again with the same Idempotency-Key, and when that key was first sent. */
  private readonly keySentAt = new Map<number, string>();
  /** Rows whose final status came from the platform's status lookup rather than a report it posted. */
  private readonly lookedUp = new Set<number>();
  /** What replaying a damaged journal assumed, line by line. */
  private damage: JournalDamage[] = [];
  /** Rows answered for although no readable batch named them, and no damaged line stood before: a line was altered. */
  private altered: JournalDamage | null = null;
  /** The largest batch applied: a damaged list of rows cut short is taken to have named as many rows. */
  private largestBatch = 0;
  /** The time of the last event applied. */
  private lastAt: string | null = null;
  /** Rows marked unknown because a damaged line may name them: only the user's word sends them again. */
  private readonly doubted = new Set<number>();
  /** Ready rows skipped because their number joined the opt-out list after the rows were checked. */
  private readonly lateOptOuts = new Set<number>();
  /** Ready rows skipped because their number reached the frequency cap of the campaign's service. */
  private readonly capped = new Set<number>();
  /**
   * Those of them skipped since the rows were last checked in full (for a send plan): a plan confirmed before still
   * holds without them, as sending fewer messages than confirmed, never more or others.
   */
  private readonly cappedLate = new Set<number>();
  /** What the rows were last checked against the frequency cap for (see FrequencyCaps.check); null: not yet. */
  capStamp: string | null = null;
  private compiled: CompiledTemplate;
  private options: CompiledRequestOptions;
  private linksUsed: readonly Smartlink[] | null = null;
  /** The send window of the run under way (from its start), with each zone group's spans; null: any hour. */
  private windows: ZoneWindows | null = null;
  /** Ready rows per zone group: those the window makes wait are counted from it. */
  private waiting: WaitingRows;
  private readonly previewer = new WindowPreviewer();
  /** Every delivery report of every row. */
  readonly history: DeliveryHistory;
  private readonly trust: ReportTrust;
  /** Grows with every change to the rows, so that derived lists (filters) know when to refresh. */
  revision = 0;

  constructor(
    private def: CampaignDefinition,
    readonly table: RecipientTable,
    private checks: Checks,
    /** What the API of the campaign's service takes: ready rows over it block sending. */
    private limit: TextLimit,
  ) {
    this.compiled = compileTemplate(def.template, def.columns);
    this.options = compileRequestOptions(def.requestOptions, def.columns);
    this.status = this.resetStatuses();
    this.waiting = this.countWaiting();
    this.history = new DeliveryHistory(table.size);
    this.trust = new ReportTrust(table.size);
  }

  get id(): string {
    return this.def.id;
  }

  get definition(): CampaignDefinition {
    return this.def;
  }

  /** When sending first began. */
  get startedAt(): string | null {
    return this.firstStart;
  }

  get isStarted(): boolean {
    return this.started;
  }

  get size(): number {
    return this.table.size;
  }

  get state(): CampaignState {
    if (this.ended) return this.ended.state;
    if (this.started) return 'sending';
    return this.schedule.startAt === null ? 'draft' : 'scheduled';
  }

  get scheduledAt(): string | null {
    return this.started ? null : this.schedule.startAt;
  }

  /** The service the campaign was last sent through (its key is never recorded). */
  /** The digest of the send plan confirmed for the scheduled start (null for schedules set before plans). */
  get scheduledDigest(): string | null {
    return this.scheduledAt === null ? null : this.schedule.digest;
  }

  get sentThrough(): SentThrough | null {
    return this.service;
  }

  get testCount(): number {
    return this.tests.length;
  }

  /** The name and the archived flag: labels, not part of what is sent, so they may change in any state. */
  relabel(changes: Partial<Pick<CampaignDefinition, 'name' | 'archived'>>): CampaignDefinition {
    this.def = { ...this.def, ...changes };
    return this.def;
  }

  /** Only before sending: a new definition with the checks made for it. */
  redefine(def: CampaignDefinition, checks: Checks): void {
    this.revision++;
    this.def = def;
    this.checks = checks;
    this.lateOptOuts.clear();
    this.linksUsed = null;
    this.compiled = compileTemplate(def.template, def.columns);
    this.options = compileRequestOptions(def.requestOptions, def.columns);
    this.byLength = null;
    this.status = this.resetStatuses();
    this.waiting = this.countWaiting();
  }

  /** Follows the API of the campaign's service; true when the limit changed. */
  limitTextTo(limit: TextLimit): boolean {
    if (limit.api === this.limit.api) return false;
    this.revision++;
    this.limit = limit;
    this.tooLong = this.countTooLong();
    return true;
  }

  /** The row waits to be sent with a message longer than the service's API takes. */
  isTooLong(row: number): boolean {
    return (this.checks.messages.characters[row] ?? 0) > this.limit.max && this.statusOf(row) === 'ready';
  }

  /** The row's number in E.164, or null when it has none. */
  msisdn(row: number): string | null {
    return this.checks.numbers.msisdn[row] ?? null;
  }

  /** The smartlinks the message uses: those sent with every message. */
  get smartlinksUsed(): readonly Smartlink[] {
    this.linksUsed ??= smartlinksUsedBy(this.def);
    return this.linksUsed;
  }

  /** The exact text sent to a row. */
  message(row: number): string {
    return renderMessage(this.compiled, (column) => this.table.cell(row, column)).text;
  }

  /** The request options sent with a row's message. */
  requestOptions(row: number): RequestOptions {
    return this.options.render(this.table.values(row));
  }

  /** GSM-7, or UCS-2 when one character of the row's message is outside it. */
  encodingOf(row: number): Encoding {
    return encodingOf(this.checks.messages, row);
  }

  segmentsOf(row: number): number {
    return this.checks.messages.segments[row] ?? 0;
  }

  prepared(row: number): PreparedRow {
    const { numbers, messages } = this.checks;
    return {
      msisdn: numbers.msisdn[row] ?? null,
      reason: this.reasonOf(row),
      message: withShownLinks(this.message(row)),
      encoding: encodingOf(messages, row),
      segments: messages.segments[row] ?? 0,
      characters: messages.characters[row] ?? 0,
      emptyPlaceholders: messages.emptyPlaceholders.get(row) ?? [],
    };
  }

  /** Why the campaign cannot be sent as defined, or null. */
  problem(): string | null {
    const problem = definitionProblem(this.def, this.compiled, this.options, this.limit);
    if (problem) return problem;
    if (this.count('ready') === 0) return NO_READY_ROW;
    return this.tooLongProblem();
  }

  /** Names the ready rows whose message is longer than the service's API takes; null when none is. */
  tooLongProblem(): string | null {
    const { characters } = this.checks.messages;
    const found = findTooLong(characters, this.limit.max, (row) => this.statusOf(row) === 'ready');
    return describeTooLong(found, characters, this.limit);
  }

  /** Nothing is in flight and every sent row has a final status. */
  isSettled(): boolean {
    if (this.state === 'sending') return false;
    return ROW_STATUSES.every((status) => status === 'ready' || isFinal(status) || this.count(status) === 0);
  }

  statusOf(row: number): RowStatus {
    return ROW_STATUSES[this.status[row] ?? 0] as RowStatus;
  }

  reasonOf(row: number): SkipReason | null {
    if (this.statusOf(row) !== 'skipped') return null;
    if (this.lateOptOuts.has(row)) return 'opted-out';
    if (this.capped.has(row)) return 'frequency-cap';
    return reasonOf(this.checks.numbers.reason[row] ?? 0) ?? 'missing-value';
  }

  /** Whether a request carrying this row may ever have gone out; reports for other rows are noise. */
  wasSent(row: number): boolean {
    return this.attempted.has(row);
  }

  /**
   * Follows the opt-out list where the rows can no longer be checked again (sending began): ready rows whose
   * number is now listed are skipped as opted out, and come back if it is taken off the list. Not journaled:
   * loading a campaign checks its numbers against the list as it then stands.
   */
  followOptOuts(isOptedOut: (msisdn: string) => boolean): RowPatch[] {
    const ready = STATUS_INDEX.get('ready') as number;
    const skipped = STATUS_INDEX.get('skipped') as number;
    const patches: RowPatch[] = [];
    for (let row = 0; row < this.status.length; row++) {
      const status = this.status[row];
      if (status === ready) {
        const msisdn = this.msisdn(row);
        if (msisdn === null || !isOptedOut(msisdn)) continue;
        this.lateOptOuts.add(row);
        this.write(row, skipped);
      } else if (this.lateOptOuts.has(row) && !isOptedOut(this.msisdn(row) as string)) {
        this.lateOptOuts.delete(row);
        this.write(row, ready);
      } else continue;
      patches.push(this.patchOf(row));
    }
    if (patches.length > 0) this.revision++;
    return patches;
  }

  /**
   * Follows the frequency cap of the campaign's service: ready rows whose number reached it are skipped, and, in
   * full (`late` false: for a send plan), come back once it no longer has (`over` null: the service has no cap).
   * Late, rows are only skipped, and a plan confirmed before holds without them (see `cappedSincePlan`). Not
   * journaled, like late opt-outs: loading a campaign checks its rows against the contact history as it then stands.
   */
  followCap(over: ((msisdn: string) => boolean) | null, stamp: string, late: boolean): RowPatch[] {
    this.capStamp = stamp;
    if (!late) this.cappedLate.clear();
    const ready = STATUS_INDEX.get('ready') as number;
    const patches: RowPatch[] = [];
    for (let row = 0; row < this.status.length; row++) {
      if (this.status[row] === ready) {
        const msisdn = this.msisdn(row);
        if (over === null || msisdn === null || this.keySentAt.has(row) || !over(msisdn)) continue;
        this.capped.add(row);
        if (late) this.cappedLate.add(row);
        this.write(row, STATUS_INDEX.get('skipped') as number);
      } else if (!late && this.capped.has(row) && (over === null || !over(this.msisdn(row) as string))) {
        this.capped.delete(row);
        this.write(row, ready);
      } else continue;
      patches.push(this.patchOf(row));
    }
    if (patches.length > 0) this.revision++;
    return patches;
  }

  /** Skips ready rows found over the frequency cap as they were about to go (another campaign sent to them meanwhile). */
  skipOverCap(rows: readonly number[]): RowPatch[] {
    const patches: RowPatch[] = [];
    for (const row of rows) {
      if (this.statusOf(row) !== 'ready') continue;
      this.capped.add(row);
      this.cappedLate.add(row);
      this.write(row, STATUS_INDEX.get('skipped') as number);
      patches.push(this.patchOf(row));
    }
    if (patches.length > 0) this.revision++;
    return patches;
  }

  /** Whether the row was skipped as over the frequency cap after the rows were last checked in full. */
  cappedSincePlan(row: number): boolean {
    return this.cappedLate.has(row);
  }

  /** Whether the row is ready to go again with the Idempotency-Key it was first sent with: the same message. */
  goesWithSameKey(row: number): boolean {
    return this.keySentAt.has(row);
  }

  readyRows(): number[] {
    return this.rowsIn('ready');
  }

  /** Unknown rows sent at least `graceMs` before `now`: those a report could have settled by now. */
  unknownPastGrace(graceMs: number, now = Date.now()): number[] {
    return this.unknown.rows((sentAt) => sentAt + graceMs <= now);
  }

  /** When every unknown row's grace window will have passed; null when no row is unknown. */
  unknownResendableAt(graceMs: number): string | null {
    const latest = this.unknown.latest();
    return latest === null ? null : new Date(latest + graceMs).toISOString();
  }

  private rowsIn(status: RowStatus): number[] {
    const code = STATUS_INDEX.get(status) as number;
    const rows: number[] = [];
    for (let row = 0; row < this.status.length; row++) if (this.status[row] === code) rows.push(row);
    return rows;
  }

  /** 0 for the first send; one more each time the user chose to send the row again. */
  attemptOf(row: number): number {
    return this.resends.get(row) ?? 0;
  }

  /** Whether the row's final status came from the platform's status lookup. */
  settledByLookup(row: number): boolean {
    return this.lookedUp.has(row);
  }

  /** Unknown rows first sent after `since`: their Idempotency-Key is still fresh enough to send them again with. */
  unknownSentSince(since: number): number[] {
    return this.unknown.rows((sentAt) => sentAt >= since).filter((row) => !this.doubted.has(row));
  }

  /** Rows accepted (queued or submitted, with the platform's id) before `cutoff` whose final status has not come. */
  openSentBefore(cutoff: number): number[] {
    return [...this.rowsIn('queued'), ...this.rowsIn('submitted')].filter((row) => {
      const d = this.details[row];
      return d?.transid && Date.parse(d.sentAt ?? '') <= cutoff;
    });
  }

  /** The transid the API gave the row's message; null before its answer came. */
  transidOf(row: number): string | null {
    return this.details[row]?.transid ?? null;
  }

  /** Whether a report naming the row, with this transid or none, may set its status (see ReportTrust). */
  acceptsReport(row: number, transid: string | null): boolean {
    return this.trust.accepts(row, transid !== null && transid === this.transidOf(row));
  }

  rowOfTransid(transid: string): number | undefined {
    return this.byTransid.get(transid);
  }

  outcome(row: number): RowOutcome | undefined {
    if (row < 0 || row >= this.status.length) return undefined;
    return {
      status: this.statusOf(row),
      ...(this.details[row] ?? NO_DETAILS),
      deliveredAt: this.history.deliveredAt(row),
    };
  }

  /** The row's last answer or report and when it was sent; undefined for rows never sent. */
  sendDetails(row: number): Readonly<SendDetails> | undefined {
    return this.details[row];
  }

  /**
   * Rebuilds the rows from the journal. Where lines are damaged, nothing is sent twice for it: a row with an answer
   * or a report counts as sent although no readable batch names it, and the rows a damaged line names with nothing
   * else said of them are unknown, sent again only on the user's word.
   */
  replay(events: readonly JournalEvent[], damaged: readonly DamagedLine[]): void {
    const replay = this.replayer();
    let next = 0;
    events.forEach((event, i) => {
      for (; next < damaged.length && (damaged[next] as DamagedLine).after === i; next++)
        replay.damaged(damaged[next] as DamagedLine);
      replay.event(event);
    });
    for (; next < damaged.length; next++) replay.damaged(damaged[next] as DamagedLine);
    replay.end();
  }

  /**
   * `replay`, fed as the journal is read. Events apply as they come until a damaged line does; from there on they
   * are held to the end, since the rows a list cut short may have named depend on the largest batch of the journal.
   */
  replayer(): JournalSink<JournalEvent> & { end(): void } {
    const lines: DamagedLine[] = [];
    const held: JournalEvent[] = [];
    /** How many events were read before the first damaged line. */
    let applied = 0;
    return {
      event: (event) => {
        if (lines.length > 0) held.push(event);
        else {
          this.replayEvent(event, null);
          applied++;
        }
      },
      damaged: (line) => void lines.push(line),
      end: () => {
        if (lines.length === 0) return;
        const batchSize = held.reduce(
          (most, e) => (e.t === 'batch' ? Math.max(most, e.rows.length) : most),
          this.largestBatch,
        );
        const notes = lines.map((d): JournalDamage => ({ line: d.line, sent: [], unknown: [] }));
        const suspects = new Map<number, JournalDamage>();
        let next = 0;
        for (let i = 0; i <= held.length; i++) {
          for (; next < lines.length && (lines[next] as DamagedLine).after === applied + i; next++) {
            const at = this.lastAt ?? held[i]?.at ?? null;
            for (const row of this.doubt(lines[next] as DamagedLine, at, batchSize))
              suspects.set(row, notes[next] as JournalDamage);
          }
          const event = held[i];
          if (event === undefined) break;
          this.replayEvent(event, next > 0 ? (notes[next - 1] as JournalDamage) : null);
        }
        for (const [row, note] of suspects) {
          const status = this.statusOf(row);
          if (status === 'unknown' && this.doubted.has(row)) note.unknown.push(row);
          else if (status !== 'ready') note.sent.push(row);
        }
        this.damage = notes;
      },
    };
  }

  /** One event of the journal, read back; `note` the damaged line before it, if any. */
  private replayEvent(event: JournalEvent, note: JournalDamage | null): void {
    // Rows went out, so sending had begun although its start is unreadable: the campaign stays sent.
    if (!this.started && ['batch', 'result', 'dr'].includes(event.t))
      this.apply({ t: 'start', at: event.at, notifyUrl: '' });
    if ((event.t === 'result' || event.t === 'dr') && event.row < this.size && !this.wasSent(event.row)) {
      this.apply({ t: 'batch', at: event.at, rows: [event.row] });
      (note ?? (this.altered ??= { line: null, sent: [], unknown: [] })).sent.push(event.row);
    }
    this.apply(event);
  }

  /**
   * A copy of what replaying the journal built, for a snapshot; null while a damaged line is part of it (what a
   * damaged line may have named depends on the whole journal: such a campaign is replayed whole each time). Cheap
   * enough to take between two events: arrays are copied, the details' entries (never changed in place) shared.
   */
  replayState(): ReplayState | null {
    if (this.damage.length > 0) return null;
    const status = this.status.slice();
    const ready = STATUS_INDEX.get('ready') as number;
    for (const row of this.lateOptOuts) status[row] = ready;
    for (const row of this.capped) status[row] = ready;
    const formerTransids: [string, number][] = [];
    for (const [transid, row] of this.byTransid)
      if (this.details[row]?.transid !== transid) formerTransids.push([transid, row]);
    return {
      checks: this.checksDigest(),
      status,
      details: this.details.slice(),
      attempted: Uint32Array.from(this.attempted),
      lookedUp: Uint32Array.from(this.lookedUp),
      doubted: Uint32Array.from(this.doubted),
      trust: this.trust.state(),
      history: this.history.state(),
      scalars: {
        started: this.started,
        firstStart: this.firstStart,
        lastEnd: this.lastEnd,
        ended: this.ended && { ...this.ended },
        schedule: { ...this.schedule },
        answered: this.answered,
        withdrawn: this.withdrawn,
        tests: this.tests.map((t) => ({ ...t })),
        service: this.service,
        window: this.windows?.window ?? null,
        altered: this.altered && structuredClone(this.altered),
        largestBatch: this.largestBatch,
        lastAt: this.lastAt,
        resends: [...this.resends],
        keySentAt: [...this.keySentAt],
        formerTransids,
      },
    };
  }

  /**
   * Takes in a state `replayState` copied out, in place of replaying the journal it covers; false (and nothing
   * changed) when it is not this campaign's as it now stands: other rows, or rows checked otherwise.
   */
  restore(state: ReplayState): boolean {
    const rows = this.size;
    const inRange = (list: Uint32Array) => list.every((row) => row < rows);
    if (this.revision !== 0 || state.checks !== this.checksDigest()) return false;
    if (state.status.length !== rows || !state.status.every((code) => code < ROW_STATUSES.length))
      return false;
    if (state.details.length > rows || !inRange(state.attempted)) return false;
    if (!inRange(state.lookedUp) || !inRange(state.doubted)) return false;
    const { scalars } = state;
    const listed = [
      ...scalars.resends.map(([row]) => row),
      ...scalars.keySentAt.map(([row]) => row),
      ...scalars.formerTransids.map(([, row]) => row),
    ];
    if (listed.some((row) => row >= rows)) return false;
    // The history, checked whole before it takes anything in, is the last check: nothing changes before it passes.
    if (!this.trust.fits(state.trust) || !this.history.restore(state.history)) return false;
    this.trust.restore(state.trust);
    this.revision++;
    this.status = state.status;
    this.counts = new Uint32Array(ROW_STATUSES.length);
    for (const code of this.status) (this.counts[code] as number)++;
    this.waiting = this.countWaiting();
    this.tooLong = this.countTooLong();
    this.skipShape = null;
    this.byLength = null;
    this.longestFrom = 0;
    this.details.length = 0;
    state.details.forEach((details, row) => {
      this.details[row] = details;
      if (details?.transid) this.byTransid.set(details.transid, row);
    });
    for (const [transid, row] of scalars.formerTransids) this.byTransid.set(transid, row);
    this.unknown.clear();
    const unknown = STATUS_INDEX.get('unknown') as number;
    this.status.forEach((code, row) => {
      if (code === unknown) this.unknown.add(row, this.details[row]?.sentAt ?? null);
    });
    for (const row of state.attempted) this.attempted.add(row);
    for (const row of state.lookedUp) this.lookedUp.add(row);
    for (const row of state.doubted) this.doubted.add(row);
    for (const [row, attempt] of scalars.resends) this.resends.set(row, attempt);
    for (const [row, at] of scalars.keySentAt) this.keySentAt.set(row, at);
    this.started = scalars.started;
    this.firstStart = scalars.firstStart;
    this.lastEnd = scalars.lastEnd;
    this.ended = scalars.ended;
    this.schedule = scalars.schedule;
    this.answered = scalars.answered;
    this.withdrawn = scalars.withdrawn;
    this.tests = scalars.tests;
    this.service = scalars.service;
    this.windows = this.windowsFor(scalars.window);
    this.altered = scalars.altered;
    this.largestBatch = scalars.largestBatch;
    this.lastAt = scalars.lastAt;
    return true;
  }

  /** The rows' statuses before any event, as their checks make them, in a digest. */
  private checksDigest(): string {
    return createHash('sha256').update(this.initialStatuses()).digest('hex');
  }

  /**
   * Marks unknown the ready rows a damaged line may name; returns them. A list of rows cut short may have named the
   * ready rows after it too, as many as make a batch of `batchSize` (the largest readable batch).
   */
  private doubt(line: DamagedLine, at: string | null, batchSize: number): number[] {
    const named = rowsNamedIn(line.text, this.size);
    if (named === null) return [];
    let more = named.cut ? batchSize - (named.to - named.from + 1) : 0;
    const rows: number[] = [];
    for (let row = named.from; row < this.size && (row <= named.to || more-- > 0); row++) {
      if (this.reasonOf(row) === 'opted-out') this.write(row, STATUS_INDEX.get('ready') as number);
      if (this.statusOf(row) !== 'ready') {
        if (row > named.to) more++;
        continue;
      }
      this.attempted.add(row);
      this.doubted.add(row);
      this.set(row, 'unknown', {
        ...NO_DETAILS,
        description: 'Its line in the journal is damaged: it may have been sent',
        sentAt: at,
        updatedAt: at,
      });
      rows.push(row);
    }
    return rows;
  }

  /** Applies one journal event; returns the rows it changed. */
  apply(event: JournalEvent): RowPatch[] {
    this.revision++;
    this.lastAt = event.at;
    switch (event.t) {
      case 'start':
        this.started = true;
        this.ended = null;
        // A schedule that led here is spent: a start withdrawn later leaves a draft, not a schedule in the past.
        this.schedule = { startAt: null, error: null, digest: null };
        this.withdrawn = null;
        this.firstStart ??= event.at;
        this.lastEnd = null;
        this.windows = this.windowsFor(event.window ?? null);
        if (event.serviceId && event.baseUrl) {
          this.service = {
            id: event.serviceId,
            baseUrl: event.baseUrl,
            api: event.api ?? 'messaging',
            // Before the setting existed, numbers went out without their plus.
            numbersWithPlus: event.numbersWithPlus ?? false,
            rate: event.rate ?? null,
          };
        }
        return [];
      case 'schedule':
        this.schedule = { startAt: event.startAt, error: event.error, digest: event.digest ?? null };
        return [];
      case 'resend':
      case 'retry':
        return event.rows.flatMap((row) => {
          if (this.statusOf(row) !== 'unknown') return [];
          this.doubted.delete(row);
          if (event.t === 'resend') this.resends.set(row, this.attemptOf(row) + 1);
          else this.keySentAt.set(row, this.details[row]?.sentAt ?? event.at);
          this.set(row, 'ready', {
            ...(this.details[row] ?? NO_DETAILS),
            code: null,
            description: null,
            sentAt: null,
            updatedAt: event.at,
          });
          return [this.patchOf(row)];
        });
      case 'batch':
        this.largestBatch = Math.max(this.largestBatch, event.rows.length);
        return event.rows.flatMap((row) => {
          this.attempted.add(row);
          // Replayed after the number opted out: the journal, not today's list, says the row was sent.
          if (this.reasonOf(row) === 'opted-out') this.write(row, STATUS_INDEX.get('ready') as number);
          if (this.capped.delete(row)) {
            this.cappedLate.delete(row);
            this.write(row, STATUS_INDEX.get('ready') as number);
          }
          if (!canAdvance(this.statusOf(row), 'sending')) return [];
          // A row sent again with the same key was sent when that key was first used.
          const sentAt = this.keySentAt.get(row) ?? event.at;
          this.set(row, 'sending', { ...NO_DETAILS, sentAt, updatedAt: event.at });
          return [this.patchOf(row)];
        });
      case 'released':
        return event.rows.flatMap((row) => {
          const keySentAt = this.keySentAt.get(row);
          if (keySentAt !== undefined) {
            // Going again with its key was only for that run: its first try may still have been taken.
            this.keySentAt.delete(row);
            this.set(row, 'unknown', {
              ...NO_DETAILS,
              description: 'Not sent again; an earlier try may have been taken',
              sentAt: keySentAt,
              updatedAt: event.at,
            });
            return [this.patchOf(row)];
          }
          if (this.statusOf(row) !== 'sending') return [];
          this.set(row, 'ready', { ...NO_DETAILS, updatedAt: event.at });
          return [this.patchOf(row)];
        });
      case 'result':
      case 'dr': {
        const row = event.row;
        if (!this.wasSent(row)) return [];
        this.answered = true;
        this.keySentAt.delete(row);
        const details = { ...(this.details[row] ?? NO_DETAILS) };
        if (event.transid && !details.transid) {
          details.transid = event.transid;
          this.byTransid.set(event.transid, row);
        }
        this.details[row] = details;
        // The status lookup asks by the row's own transid or Idempotency-Key.
        const own =
          event.t === 'dr' &&
          (event.via === 'lookup' || (event.transid !== null && event.transid === details.transid));
        if (event.t === 'dr' && !this.trust.accepts(row, own)) return [];
        const overrules = this.trust.overrules(row, own);
        const report = event.t === 'dr' ? this.history.add(row, event, own) : null;
        const applies = overrules || canAdvance(this.statusOf(row), event.status);
        if (event.t === 'dr') this.trust.note(row, own, applies);
        if (!applies) return [];
        if (report !== null && isFinal(event.status)) {
          this.history.settle(row, report);
          if (event.t === 'dr' && event.via === 'lookup') this.lookedUp.add(row);
        } else if (overrules) this.history.unsettle(row);
        this.set(row, event.status, {
          ...details,
          code: event.code,
          description: event.description,
          updatedAt: event.at,
        });
        return [this.patchOf(row)];
      }
      case 'end':
        if (event.state === 'stopped' && this.sentNothing())
          return this.withdrawStart(
            event.error === null ? null : { error: event.error, detail: event.detail ?? null },
          );
        this.ended = { state: event.state, error: event.error, detail: event.detail ?? null };
        this.lastEnd = event.at;
        return [];
      case 'test':
        this.tests[event.test] = {
          row: event.row,
          msisdn: event.msisdn,
          status: event.status,
          code: event.code,
          description: event.description,
          at: event.at,
        };
        return [];
      case 'test-dr': {
        const test = this.tests[event.test];
        if (test && canAdvance(test.status, event.status)) {
          Object.assign(test, { status: event.status, code: event.code, description: event.description });
        }
        return [];
      }
    }
  }

  private shownError(): { error: string | null; errorDetail: string | null } {
    const shown: ShownError | null = this.ended?.error
      ? { error: this.ended.error, detail: this.ended.detail }
      : this.started
        ? null
        : this.schedule.error
          ? { error: this.schedule.error, detail: null }
          : this.withdrawn;
    return { error: shown?.error ?? null, errorDetail: shown?.detail ?? null };
  }

  /**
   * No row was ever answered for nor is in flight, nor named by a damaged line: every request of every run was
   * released unsent.
   */
  private sentNothing(): boolean {
    return !this.answered && this.doubted.size === 0 && this.count('sending') === 0;
  }

  /** Back to a draft as it was before its first start, but for its test messages, the service tried and the error. */
  private withdrawStart(error: ShownError | null): RowPatch[] {
    this.started = false;
    this.ended = null;
    this.firstStart = null;
    this.lastEnd = null;
    // The service stays named: `resume` on the command line sends through the service the start tried.
    this.withdrawn = error;
    this.attempted.clear();
    this.details.length = 0;
    this.lateOptOuts.clear();
    this.windows = null;
    this.status = this.resetStatuses();
    this.waiting = this.countWaiting();
    // The released rows were already patched back to ready; the campaign's new view makes the table read them again.
    return [];
  }

  /**
   * Rows whose send was interrupted before the API answered can no longer be known to be unsent: the results
   * that make them unknown, saying why (`description`).
   */
  interruptedResults(at: string, description: string): JournalEvent[] {
    const results: JournalEvent[] = [];
    for (let row = 0; row < this.status.length; row++) {
      if (this.statusOf(row) !== 'sending') continue;
      results.push({ t: 'result', at, row, status: 'unknown', code: null, description, transid: null });
    }
    return results;
  }

  /** What the phone column's numbers say about the file's country, read again when the column changes. */
  private fileCountries(): FileCountries {
    const column = this.def.phoneColumn;
    if (this.countries?.column !== column) {
      this.countries = {
        column,
        found: fileCountries(column === null ? [] : this.table.columnCells(column)),
      };
    }
    return this.countries.found;
  }

  /** What the file's content says the phone column is, for the current default country (read once for each). */
  phoneColumnChoice(): PhoneColumnChoice | null {
    const country = this.def.defaultCountry;
    if (this.columnChoice?.country !== country)
      this.columnChoice = { country, choice: choosePhoneColumn(this.table, country) };
    return this.columnChoice.choice;
  }

  /**
   * Costs what changed since the last view, not a pass over the rows (it is pushed while rows change). `service`:
   * the campaign's service, whose window the preview of a draft's send follows; none, no preview.
   */
  view(
    pricePerSegment: number,
    unknownGraceMs: number,
    service?: Pick<ServiceView, 'sendWindow'>,
  ): CampaignView {
    const counts: StatusCounts = {};
    ROW_STATUSES.forEach((status, code) => {
      if (this.counts[code]) counts[status] = this.counts[code];
    });
    const shut = this.shutNow();
    if (shut.rows > 0) {
      counts.waiting = shut.rows;
      if (shut.rows === counts.ready) delete counts.ready;
      else counts.ready = (counts.ready as number) - shut.rows;
    }
    const { skipCounts, totalSegments } = this.skipShaped();
    const longestRow = this.longestReadyRow();
    const { characters } = this.checks.messages;
    const tooLong = this.tooLong;
    const longest = longestRow < 0 ? null : { row: longestRow, characters: characters[longestRow] as number };
    // The nonce of the campaign's Idempotency-Keys stays in the core.
    const { keyNonce, ...def } = this.def;
    return {
      ...def,
      rowCount: this.table.size,
      phoneColumnChoice: this.phoneColumnChoice(),
      state: this.state,
      problem: SENDABLE_STATES.includes(this.state) ? this.problem() : null,
      counts,
      skipCounts: { ...skipCounts },
      emptyValueRows: this.checks.messages.emptyPlaceholders.size,
      numbersWithoutPlus: this.fileCountries().withoutPlus,
      plusCountry: this.fileCountries().plusCountry,
      totalSegments,
      messageLength: { api: this.limit.api, longest, tooLong },
      estimatedCost: totalSegments * pricePerSegment,
      ...this.shownError(),
      scheduledAt: this.scheduledAt,
      startMissed: this.scheduledAt !== null && isStartMissed(this.scheduledAt),
      unknownResendableAt: this.unknownResendableAt(unknownGraceMs),
      testSend: this.tests.at(-1) ?? null,
      startedAt: this.firstStart,
      endedAt: this.lastEnd,
      receiverWarning: null,
      nextWindowAt: shut.nextAt === null ? null : new Date(shut.nextAt).toISOString(),
      windowPreview: service ? this.windowPreview(service) : null,
      journalDamage: describeJournalDamage(this.altered ? [...this.damage, this.altered] : this.damage),
    };
  }

  /** `service`: the campaign's, for when a draft's row would wait for its window; none, not said. */
  rowView(row: number, service?: Pick<ServiceView, 'sendWindow'>): RowView {
    const outcome = this.outcome(row);
    if (!outcome) throw new RangeError(`row ${row} out of range`);
    const { emptyPlaceholders, ...prepared } = this.prepared(row);
    const zones = this.zones.of(row);
    return {
      index: row,
      values: this.table.values(row),
      ...prepared,
      emptyPlaceholders,
      tooLong: this.isTooLong(row),
      ...outcome,
      status: this.shownStatus(row),
      timeZones: zones ? [...zones.zones] : [],
      timeZoneFromFile: zones?.source === 'column',
      windowOpensAt: service && this.statusOf(row) === 'ready' ? this.windowOpensAt(row, service) : null,
    };
  }

  /** Every row's zones and zone group, as the rows' checks found them. */
  get zones(): RowZones {
    return this.checks.numbers.zones;
  }

  /** Each zone group's spans under the window of the run under way; null when it has none (or none is under way). */
  get sendWindows(): ZoneWindows | null {
    return this.windows;
  }

  /** As views show it: a ready row is waiting while the run's window is shut for it. */
  shownStatus(row: number, now = Date.now()): RowStatus {
    const status = this.statusOf(row);
    if (status !== 'ready' || !this.windowsShown()) return status;
    return (this.windows as ZoneWindows).isOpen(this.zones.groupOf(row), now) ? 'ready' : 'waiting';
  }

  /** Which zone groups' windows are open now: rows shown as waiting change when it does. */
  windowSignature(now = Date.now()): string {
    return this.windowsShown() ? this.waiting.openGroups(this.windows as ZoneWindows, now) : '';
  }

  /** Rows wait for their window while a run with one is under way or paused, not once it has ended. */
  private windowsShown(): boolean {
    return this.windows !== null && (this.state === 'sending' || this.state === 'paused');
  }

  /** Before a send (a draft, or scheduled): which ready rows would go at once and which would wait. */
  private windowPreview(service: Pick<ServiceView, 'sendWindow'>): WindowPreview | null {
    const at = this.previewAt();
    const readyIn = this.waiting.byGroup();
    if (at === null || readyIn.size === 0) return null;
    const preview = this.previewer.preview(this.zones, readyIn, effectiveWindow(this.def, service), at.time);
    // Worked out for the start, which the clock does not change until it comes.
    return at.scheduled ? { ...preview, changesAt: this.scheduledAt } : preview;
  }

  private windowOpensAt(row: number, service: Pick<ServiceView, 'sendWindow'>): string | null {
    const at = this.previewAt();
    if (at === null) return null;
    return this.previewer.opensAt(
      this.zones,
      this.zones.groupOf(row),
      effectiveWindow(this.def, service),
      at.time,
    );
  }

  /** When a send not yet begun would start: now, or the scheduled start (which the clock does not change). */
  private previewAt(): { time: number; scheduled: boolean } | null {
    if (this.state !== 'draft' && this.state !== 'scheduled') return null;
    const starts = this.scheduledAt === null ? Number.NaN : Date.parse(this.scheduledAt);
    return starts > Date.now() ? { time: starts, scheduled: true } : { time: Date.now(), scheduled: false };
  }

  private shutNow(): { rows: number; nextAt: number | null } {
    if (!this.windowsShown()) return { rows: 0, nextAt: null };
    return this.waiting.shut(this.windows as ZoneWindows, Date.now());
  }

  private windowsFor(window: SendWindow | null): ZoneWindows | null {
    return window === null ? null : new ZoneWindows(this.checks.numbers.zones, window);
  }

  private countWaiting(): WaitingRows {
    return new WaitingRows(this.checks.numbers.zones, this.status, STATUS_INDEX.get('ready') as number);
  }

  private count(status: RowStatus): number {
    return this.counts[STATUS_INDEX.get(status) as number] as number;
  }

  /** Every status written goes through here, which keeps the counts and the unknown rows. */
  private write(row: number, code: number): void {
    const old = this.status[row] as number;
    if (old === code) return;
    this.status[row] = code;
    (this.counts[old] as number)--;
    (this.counts[code] as number)++;
    const unknown = STATUS_INDEX.get('unknown') as number;
    if (old === unknown) this.unknown.remove(row);
    if (code === unknown) this.unknown.add(row, this.details[row]?.sentAt ?? null);
    const skipped = STATUS_INDEX.get('skipped') as number;
    if (old === skipped || code === skipped) this.skipShape = null;
    const ready = STATUS_INDEX.get('ready') as number;
    this.waiting.moved(row, old === ready, code === ready);
    const over = (this.checks.messages.characters[row] ?? 0) > this.limit.max;
    if (old === ready && over) this.tooLong--;
    if (code !== ready) return;
    if (over) this.tooLong++;
    if (this.byLength) this.longestFrom = Math.min(this.longestFrom, this.byLength.place[row] as number);
  }

  /** Every row back to ready or skipped as its checks say, and the counts made again. */
  private resetStatuses(): Uint8Array {
    const status = this.initialStatuses();
    this.status = status;
    this.counts = new Uint32Array(ROW_STATUSES.length);
    for (const code of status) (this.counts[code] as number)++;
    // Checks make every row ready or skipped: none is unknown.
    this.unknown.clear();
    this.capped.clear();
    this.cappedLate.clear();
    this.capStamp = null;
    this.tooLong = this.countTooLong();
    this.skipShape = null;
    this.longestFrom = 0;
    return status;
  }

  private countTooLong(): number {
    const ready = STATUS_INDEX.get('ready') as number;
    const { characters } = this.checks.messages;
    let over = 0;
    for (let row = 0; row < this.status.length; row++)
      if (this.status[row] === ready && (characters[row] as number) > this.limit.max) over++;
    return over;
  }

  private skipShaped(): NonNullable<Campaign['skipShape']> {
    if (this.skipShape) return this.skipShape;
    const skipCounts: Partial<Record<SkipReason, number>> = {};
    let totalSegments = 0;
    const { segments } = this.checks.messages;
    for (let row = 0; row < this.status.length; row++) {
      const reason = this.reasonOf(row);
      if (reason === null) totalSegments += segments[row] ?? 0;
      else skipCounts[reason] = (skipCounts[reason] ?? 0) + 1;
    }
    this.skipShape = { skipCounts, totalSegments };
    return this.skipShape;
  }

  /** The ready row with the longest message (the first of equals), -1 when none is ready. */
  private longestReadyRow(): number {
    if (this.count('ready') === 0) return -1;
    const { order } = (this.byLength ??= rowsByLength(this.checks.messages.characters, this.status.length));
    const ready = STATUS_INDEX.get('ready') as number;
    while (this.longestFrom < order.length && this.status[order[this.longestFrom] as number] !== ready)
      this.longestFrom++;
    return (order[this.longestFrom] as number | undefined) ?? -1;
  }

  private initialStatuses(): Uint8Array {
    const { numbers, messages } = this.checks;
    const ready = STATUS_INDEX.get('ready') as number;
    const skipped = STATUS_INDEX.get('skipped') as number;
    return Uint8Array.from(numbers.reason, (reason, row) =>
      reason !== 0 || messages.emptyPlaceholders.has(row) ? skipped : ready,
    );
  }

  private set(row: number, status: RowStatus, details: SendDetails): void {
    this.details[row] = details;
    this.write(row, STATUS_INDEX.get(status) as number);
    if (status === 'unknown') this.unknown.add(row, details.sentAt);
  }

  private patchOf(row: number): RowPatch {
    return { index: row, ...(this.outcome(row) as RowOutcome) };
  }
}

/** Row numbers, longest message first and, among equals, the earlier row first; and each row's place in that order. */
function rowsByLength(
  characters: ArrayLike<number>,
  rows: number,
): { order: Uint32Array; place: Uint32Array } {
  // Packed into one number each (length above, row below), a typed array sorts them without a comparator.
  const keys = new Float64Array(rows);
  for (let row = 0; row < rows; row++) keys[row] = -(characters[row] ?? 0) * ROW_SPAN + row;
  keys.sort();
  const order = Uint32Array.from(keys, (key) => ((key % ROW_SPAN) + ROW_SPAN) % ROW_SPAN);
  const place = new Uint32Array(rows);
  order.forEach((row, i) => (place[row] = i));
  return { order, place };
}

const ROW_SPAN = 2 ** 32;
