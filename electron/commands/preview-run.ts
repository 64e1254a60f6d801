import type { CampaignWindow, PhoneColumnChoice, PlanWindow, Smartlink } from '../../shared/api';
import { DEFAULT_SEND_WINDOW } from '../../shared/send-window';
import { compileTemplate } from '../../shared/template';
import type { TextLimit } from '../../shared/text-limits';
import type { CampaignDefinition } from '../core/campaigns/definition';
import { definitionProblem } from '../core/campaigns/definition-problem';
import { compileRequestOptions } from '../core/campaigns/request-options';
import { describeTooLong } from '../core/campaigns/too-long';
import { DeskError } from '../core/errors';
import { choosePhoneColumn } from '../core/recipients/phone-column';
import { findTimeZoneColumn } from '../core/recipients/time-zones';
import { effectiveWindow, planWindow } from '../core/sending/plan-window';
import type { RecipientTable } from '../core/recipients/recipient-table';
import { columnIndex, UsageError } from './args';
import { ChunkedOutput } from './chunked-output';
import type { ReadBatch } from './row-batch';
import type { RowChecks } from './row-checks';
import { phoneColumnLine } from './phone-column-line';
import { windowLines } from './plan-lines';
import { PreviewRows, type ReadRows } from './preview-rows';
import { PreviewZones } from './preview-zones';

export interface PreviewRequest {
  file: string;
  template: string;
  country: { country: string; source: string | null };
  /** --phone-column as given. */
  phoneColumn: string | undefined;
  /** --time-zone-column as given. */
  timeZoneColumn: string | undefined;
  /** --window or --no-window; neither: the window of a new service. */
  sendWindow: CampaignWindow | undefined;
  sheet: string | undefined;
  smartlinks: Smartlink[];
  limit: TextLimit;
  json: boolean;
  optedOut: { has(msisdn: string): boolean; readonly size: number };
  /** Where the rows are read (number, message, cost), started before the file was read. */
  checks: RowChecks;
}

/** What the first rows of a file tell: its columns, the rows to choose the phone column by, its sheet. */
export interface PreviewStart {
  columns: readonly string[];
  /** The file's first rows, at least those choosePhoneColumn reads. */
  sample: RecipientTable;
  sheet: string | null;
  sheets: string[];
  /** False while later rows may still add columns (cells beyond the header). */
  columnsFinal: boolean;
}

/** The batches given ahead of the one written: about 3,000 rows each, from a CSV. */
const AHEAD = 4;

interface PendingRows {
  count: number;
  read: Promise<ReadBatch>;
}

/** The columns are not final and the definition names one that is not among them yet: read the width first. */
export class ColumnsNeeded extends Error {}

/**
 * One `preview`: begun with the file's first rows, then given every row in order, each written out as it
 * is checked; finished with the summary. Holds the numbers seen and the output's current chunk, not the rows.
 */
export class PreviewRun {
  private rows: PreviewRows | null = null;
  private def: CampaignDefinition | null = null;
  private choice: PhoneColumnChoice | null = null;
  /** A problem of the definition, told once every row was read for the note on numbers without a +. */
  private problem: string | null = null;
  private readonly out = new ChunkedOutput();
  private readonly zones = new PreviewZones();
  /** The rows last given, in order, being read. */
  private readonly pending: PendingRows[] = [];

  constructor(private readonly request: PreviewRequest) {}

  begin(start: PreviewStart): void {
    const { request } = this;
    if (request.sheet !== undefined && start.sheet === null)
      throw new UsageError('--sheet applies to Excel workbooks; this file is text (CSV).');
    const columns = [...start.columns];
    const template = compileTemplate(request.template, columns);
    const given = request.phoneColumn;
    this.choice = choosePhoneColumn(start.sample, request.country.country);
    let phoneColumn = this.choice?.column ?? null;
    let timeZoneColumn = findTimeZoneColumn(columns);
    try {
      if (given !== undefined) phoneColumn = columnIndex(columns, given);
      if (request.timeZoneColumn !== undefined) timeZoneColumn = columnIndex(columns, request.timeZoneColumn);
    } catch (error) {
      throw start.columnsFinal ? error : new ColumnsNeeded();
    }
    if (template.unknown.length > 0 && !start.columnsFinal) throw new ColumnsNeeded();
    const def: CampaignDefinition = {
      id: 'preview',
      name: request.file,
      createdAt: new Date().toISOString(),
      fileName: request.file,
      sheet: start.sheet,
      sheets: start.sheets,
      columns,
      phoneColumn,
      timeZoneColumn,
      sendWindow: request.sendWindow ?? { mode: 'service' },
      defaultCountry: request.country.country,
      template: request.template,
      senderId: 'preview',
      serviceId: 'sandbox',
      smartlinks: request.smartlinks,
      keyNonce: '',
      requestOptions: {},
      archived: false,
      origin: null,
    };
    const options = compileRequestOptions(def.requestOptions, columns);
    this.problem = definitionProblem(def, template, options, request.limit);
    // Without a phone column or a default country to tell about, nothing is left to read.
    if (this.problem && (phoneColumn === null || request.country.source === null))
      throw new DeskError('template-invalid', this.problem);
    this.def = def;
    request.checks.use(template, phoneColumn, timeZoneColumn);
    this.rows = new PreviewRows({
      optedOut: request.optedOut,
      limit: request.limit,
      json: request.json,
      zones: this.zones,
    });
  }

  /**
   * The next rows, in file order. Their numbers are read on another core while the rows given before them
   * are written out; resolves once those are.
   */
  async take(cells: readonly (readonly string[])[]): Promise<void> {
    if (cells.length === 0) return;
    // The rows themselves are not kept: what the lines need crossed to the checks.
    this.pending.push({ count: cells.length, read: this.request.checks.check(cells) });
    // A few batches ahead, so that the worker never waits for the next while this thread writes lines.
    if (this.pending.length > AHEAD) await this.write(this.pending.shift() as PendingRows);
  }

  /** Writes the summary; throws what stops a send (a ready row's message too long). */
  async finish(): Promise<number> {
    for (const rows of this.pending.splice(0)) await this.write(rows);
    if (this.problem) throw new DeskError('template-invalid', this.problem);
    await this.out.flush();
    const rows = this.rows as PreviewRows;
    const def = this.def as CampaignDefinition;
    const given = this.request.phoneColumn !== undefined;
    const { window, neverSent } = this.windowNow(def);
    const summary = {
      rows: rows.rows,
      ready: rows.ready,
      skipped: rows.skipped,
      skippedBy: rows.skippedBy,
      segments: rows.segments,
      tooLong: rows.tooLong.count,
      phoneColumn: def.phoneColumn === null ? null : def.columns[def.phoneColumn],
      phoneColumnGiven: given,
      phoneColumnChoice: this.choice,
      // Null where some rows could never be sent: the error after the summary says why.
      window,
    };
    if (this.request.json) console.log(JSON.stringify({ summary }));
    else {
      const reasons = Object.entries(summary.skippedBy).map(([reason, n]) => `${reason} ${n}`);
      console.log(
        def.phoneColumn === null
          ? `\nNo column holds phone numbers (numbers without a country code read as ${def.defaultCountry} numbers).`
          : `\n${phoneColumnLine(def.columns, def.phoneColumn, this.choice, given)}`,
      );
      console.log(
        `${summary.rows} rows: ${summary.ready} ready, ${summary.skipped} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}; ${summary.segments} segments to send.`,
      );
      if (window && rows.ready > 0) console.log(windowLines(window, rows.ready).join('\n'));
      // The preview has no service: "the service's window" is the one a new service starts with.
      if (window && rows.ready > 0 && def.sendWindow.mode === 'service')
        console.log(
          "  (The service's window here is the one a new service starts with: --window previews another, --no-window none.)",
        );
    }
    const tooLong = describeTooLong(rows.tooLong, rows.tooLong.characters, this.request.limit);
    if (tooLong) throw new DeskError('message-too-long', tooLong);
    if (neverSent) throw neverSent;
    return 0;
  }

  /** Which ready rows would go if sending started now, and which wait for their window, as the plan says. */
  private windowNow(def: CampaignDefinition): { window: PlanWindow | null; neverSent: DeskError | null } {
    const rule = effectiveWindow(def, { sendWindow: DEFAULT_SEND_WINDOW });
    try {
      return { window: planWindow(this.zones, this.zones.readyIn(), rule, Date.now()), neverSent: null };
    } catch (error) {
      if (error instanceof DeskError && error.code === 'no-send-window')
        return { window: null, neverSent: error };
      throw error;
    }
  }

  private async write({ count, read }: PendingRows): Promise<void> {
    const rows = this.rows as PreviewRows;
    const batch = await read;
    const split: ReadRows = {
      ...batch,
      numbers: batch.numbers.split('\n'),
      groups: this.zones.groupsOf(batch.zoneKeys),
      messages: Buffer.from(batch.messages.buffer, batch.messages.byteOffset, batch.messages.length),
    };
    const source = this.request.country.source;
    const out = this.problem === null ? this.out : null;
    for (let i = 0; i < count; i++) {
      const before = rows.withoutPlus;
      const waiting = rows.line(split, i, out);
      if (before === 0 && rows.withoutPlus === 1 && source) process.stderr.write(`${source}\n`);
      if (waiting) await waiting;
    }
  }
}
