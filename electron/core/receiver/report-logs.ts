import { join } from 'node:path';
import type { DroppedNote } from '../../../shared/api';
import { Journal } from '../campaigns/journal';
import { droppedNote, type Rotation } from '../storage/rotating-files';

/** A report that named no row, with the platform's payload as it came. */
export interface UnmatchedReport {
  at: string;
  raw: unknown;
  reason: string;
}

/** The platform's payload of a report journaled in a campaign, and where it was journaled. */
export interface ReportPayload {
  at: string;
  campaignId: string;
  /** The row it reports on, or the test message (`test`). */
  row?: number;
  test?: number;
  raw: unknown;
}

/** Up to 48 MB of reports that named no row. */
export const UNMATCHED_ROTATION: Rotation = { maxBytes: 16 * 1024 * 1024, keep: 2 };
/** Up to 192 MB of payloads: a campaign's journal keeps what each report says, not its payload. */
export const PAYLOAD_ROTATION: Rotation = { maxBytes: 64 * 1024 * 1024, keep: 2 };

export interface ReportLogRotations {
  unmatched?: Rotation;
  payloads?: Rotation;
}

/**
 * The delivery reports kept beside the campaigns, each file bounded: those that named no row, and the platform's
 * payloads of those that did (for a look at what the platform really sent).
 */
export class ReportLogs {
  private constructor(
    private readonly unmatchedLog: Journal<UnmatchedReport>,
    private readonly payloadLog: Journal<ReportPayload>,
    private readonly rotations: Required<ReportLogRotations>,
  ) {}

  static async open(dataDir: string, rotations: ReportLogRotations = {}): Promise<ReportLogs> {
    const bounds = {
      unmatched: rotations.unmatched ?? UNMATCHED_ROTATION,
      payloads: rotations.payloads ?? PAYLOAD_ROTATION,
    };
    // Nothing is read back from either: every line is kept as it is.
    const keep = (v: unknown) => v as never;
    const unmatched = await Journal.open(join(dataDir, 'unmatched-reports.ndjson'), keep, bounds.unmatched);
    const payloads = await Journal.open(join(dataDir, 'report-payloads.ndjson'), keep, bounds.payloads);
    return new ReportLogs(unmatched.journal, payloads.journal, bounds);
  }

  unmatched(reports: readonly UnmatchedReport[]): Promise<void> {
    return this.unmatchedLog.appendAll(reports);
  }

  payloads(payloads: readonly ReportPayload[]): Promise<void> {
    return this.payloadLog.appendAll(payloads);
  }

  get unmatchedDropped(): DroppedNote | null {
    return droppedNote(this.unmatchedLog.dropped, this.rotations.unmatched);
  }

  get payloadsDropped(): DroppedNote | null {
    return droppedNote(this.payloadLog.dropped, this.rotations.payloads);
  }

  async close(): Promise<void> {
    await Promise.all([this.unmatchedLog.close(), this.payloadLog.close()]);
  }
}
