import type {
  CampaignState,
  CampaignView,
  RowPatch,
  RowView,
  StatusCounts,
  TestSendView,
} from '../../../shared/api';
import { canAdvance, isFinal, type RowStatus } from '../../../shared/status';
import { compileTemplate, describeUnknownPlaceholders } from '../../../shared/template';
import type { RecipientTable } from '../recipients/csv-import';
import { prepareRows, type PreparedRow } from '../recipients/prepare';
import type { CampaignDefinition } from './definition';
import type { JournalEvent } from './journal-events';

/** The states from which a campaign can be sent (or resumed): what stands in its way is shown. */
export const SENDABLE_STATES: readonly CampaignState[] = ['draft', 'scheduled', 'paused', 'stopped'];

export interface SentThrough {
  id: string;
  baseUrl: string;
  /** Messages per second; null for no limit (or not recorded). */
  rate: number | null;
}

export interface RowOutcome {
  status: RowStatus;
  code: string | null;
  description: string | null;
  transid: string | null;
  sentAt: string | null;
  updatedAt: string | null;
}

/** A campaign's state: its definition and recipients, with each row's outcome rebuilt from the journal. */
export class Campaign {
  private prepared: PreparedRow[] | null = null;
  private outcomes: RowOutcome[] = [];
  private started = false;
  private ended: {
    state: Exclude<CampaignState, 'draft' | 'scheduled' | 'sending'>;
    error: string | null;
  } | null = null;
  private schedule: { startAt: string | null; error: string | null } = { startAt: null, error: null };
  /** Rows that were ever in a batch: reports about any other row are noise. */
  private attempted = new Set<number>();
  private tests: TestSendView[] = [];
  private service: SentThrough | null = null;
  private readonly byTransid = new Map<string, number>();

  constructor(
    private def: CampaignDefinition,
    readonly table: RecipientTable,
  ) {
    this.resetOutcomes();
  }

  get id(): string {
    return this.def.id;
  }

  get definition(): CampaignDefinition {
    return this.def;
  }

  get isStarted(): boolean {
    return this.started;
  }

  get rows(): readonly PreparedRow[] {
    this.prepared ??= prepareRows(this.table, this.def);
    return this.prepared;
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
  get sentThrough(): SentThrough | null {
    return this.service;
  }

  get testCount(): number {
    return this.tests.length;
  }

  redefine(def: CampaignDefinition): void {
    this.def = def;
    this.prepared = null;
    this.resetOutcomes();
  }

  /** Why the campaign cannot be sent as defined, or null. */
  problem(): string | null {
    if (this.def.phoneColumn === null) return 'Choose the column that holds the phone numbers.';
    if (this.def.template.trim() === '') return 'Write the message.';
    const { unknown } = compileTemplate(this.def.template, this.def.columns);
    if (unknown.length > 0) return describeUnknownPlaceholders(unknown);
    if (this.def.senderId === '') return 'Enter the sender ID.';
    if (!this.outcomes.some((o) => o.status === 'ready')) return 'No row is ready to send.';
    return null;
  }

  /** Nothing is in flight and every sent row has a final status. */
  isSettled(): boolean {
    return this.state !== 'sending' && this.outcomes.every((o) => o.status === 'ready' || isFinal(o.status));
  }

  /** Whether a request carrying this row may ever have gone out; reports for other rows are noise. */
  wasSent(row: number): boolean {
    return this.attempted.has(row);
  }

  readyRows(): number[] {
    return this.outcomes.flatMap((o, row) => (o.status === 'ready' ? [row] : []));
  }

  /** Unknown rows sent at least `graceMs` before `now`: those a report could have settled by now. */
  unknownPastGrace(graceMs: number, now = Date.now()): number[] {
    return this.outcomes.flatMap((o, row) =>
      o.status === 'unknown' && Date.parse(o.sentAt ?? '') + graceMs <= now ? [row] : [],
    );
  }

  /** When every unknown row's grace window will have passed; null when no row is unknown. */
  unknownResendableAt(graceMs: number): string | null {
    let latest = -Infinity;
    for (const o of this.outcomes) {
      if (o.status === 'unknown') latest = Math.max(latest, Date.parse(o.sentAt ?? '') || 0);
    }
    return latest === -Infinity ? null : new Date(latest + graceMs).toISOString();
  }

  rowOfTransid(transid: string): number | undefined {
    return this.byTransid.get(transid);
  }

  outcome(row: number): RowOutcome | undefined {
    return this.outcomes[row];
  }

  /** Applies one journal event; returns the rows it changed. */
  apply(event: JournalEvent): RowPatch[] {
    switch (event.t) {
      case 'start':
        this.started = true;
        this.ended = null;
        if (event.serviceId && event.baseUrl) {
          this.service = { id: event.serviceId, baseUrl: event.baseUrl, rate: event.rate ?? null };
        }
        return [];
      case 'schedule':
        this.schedule = { startAt: event.startAt, error: event.error };
        return [];
      case 'batch':
        for (const row of event.rows) this.attempted.add(row);
        return this.patchAll(event.rows, { status: 'sending', sentAt: event.at, updatedAt: event.at });
      case 'resend':
        return event.rows.flatMap((row) => {
          const o = this.outcomes[row];
          if (o?.status !== 'unknown') return [];
          Object.assign(o, {
            status: 'ready',
            code: null,
            description: null,
            sentAt: null,
            updatedAt: event.at,
          });
          return [this.patchOf(row)];
        });
      case 'released':
        return event.rows.flatMap((row) => {
          const o = this.outcomes[row];
          if (o?.status !== 'sending') return [];
          Object.assign(o, { status: 'ready', sentAt: null, updatedAt: event.at });
          return [this.patchOf(row)];
        });
      case 'result':
      case 'dr': {
        const o = this.outcomes[event.row];
        if (!o || !this.wasSent(event.row)) return [];
        if (event.transid && !o.transid) {
          o.transid = event.transid;
          this.byTransid.set(event.transid, event.row);
        }
        if (!canAdvance(o.status, event.status)) return [];
        Object.assign(o, {
          status: event.status,
          code: event.code,
          description: event.description,
          updatedAt: event.at,
        });
        return [this.patchOf(event.row)];
      }
      case 'end':
        this.ended = { state: event.state, error: event.error };
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

  /** Rows whose send was interrupted before the API answered can no longer be known to be unsent. */
  settleInterrupted(): number[] {
    return this.outcomes.flatMap((o, row) => (o.status === 'sending' ? [row] : []));
  }

  view(pricePerSegment: number, unknownGraceMs: number): CampaignView {
    const counts: StatusCounts = {};
    let totalSegments = 0;
    const rows = this.rows;
    this.outcomes.forEach((o, i) => {
      counts[o.status] = (counts[o.status] ?? 0) + 1;
      if (o.status !== 'skipped') totalSegments += rows[i]?.segments ?? 0;
    });
    return {
      ...this.def,
      rowCount: this.table.rows.length,
      state: this.state,
      problem: SENDABLE_STATES.includes(this.state) ? this.problem() : null,
      counts,
      totalSegments,
      estimatedCost: totalSegments * pricePerSegment,
      error: this.ended?.error ?? (this.started ? null : this.schedule.error),
      scheduledAt: this.scheduledAt,
      unknownResendableAt: this.unknownResendableAt(unknownGraceMs),
      testSend: this.tests.at(-1) ?? null,
    };
  }

  rowView(index: number): RowView {
    const p = this.rows[index];
    const o = this.outcomes[index];
    if (!p || !o) throw new RangeError(`row ${index} out of range`);
    return { index, values: this.table.rows[index] ?? [], ...p, ...o, reason: p.reason };
  }

  private resetOutcomes(): void {
    this.attempted = new Set();
    this.outcomes = this.rows.map((p) => ({
      status: p.reason === null ? 'ready' : 'skipped',
      code: null,
      description: null,
      transid: null,
      sentAt: null,
      updatedAt: null,
    }));
  }

  private patchAll(rows: readonly number[], change: Partial<RowOutcome>): RowPatch[] {
    return rows.flatMap((row) => {
      const o = this.outcomes[row];
      if (!o || (change.status && !canAdvance(o.status, change.status))) return [];
      Object.assign(o, change);
      return [this.patchOf(row)];
    });
  }

  private patchOf(index: number): RowPatch {
    const o = this.outcomes[index] as RowOutcome;
    return { index, ...o };
  }
}
