import type { Campaign } from './campaign';
import { writeSnapshot } from './campaign-snapshot';
import type { Journal } from './journal';
import type { JournalEvent } from './journal-events';

/** How often an open campaign is looked at for a snapshot to write. */
const LOOK_EVERY_MS = 2_000;
/** Journal bytes past the snapshot that make a new one worth writing while events still come. */
const WRITE_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * Keeps an open campaign's snapshot close behind its journal, in the background: when the campaign has gone idle
 * (no event since the last look) with journal lines past its snapshot, every 64 MB of journal while events keep
 * coming, and at close. The state and the journal's end are taken together between two events; the file is then
 * written while sending goes on. Stops for good once the journal holds lines this process did not see.
 */
export class SnapshotKeeper {
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> | null = null;
  private seenRevision: number;

  constructor(
    private readonly campaign: Campaign,
    private readonly journal: Journal<JournalEvent>,
    private readonly paths: { snapshot: string; journal: string },
    /** The journal offset the snapshot on disk covers (0: none). */
    private covered: number,
  ) {
    this.seenRevision = campaign.revision;
    this.timer = setInterval(() => this.look(), LOOK_EVERY_MS);
    this.timer.unref();
  }

  /** The journal offset the snapshot on disk covers; 0 when there is none (or none this campaign could use). */
  get covers(): number {
    return this.covered;
  }

  /** Writes a last snapshot if the journal went on since the one on disk; the journal must still be open. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.writing;
    // Taken at the start of a turn of the event loop, as a look is: every append resolved by then has been applied.
    await new Promise(setImmediate);
    this.write();
    await this.writing;
  }

  /** No snapshot more (the campaign is being deleted). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.writing;
  }

  private look(): void {
    if (this.writing) return;
    const idle = this.campaign.revision === this.seenRevision;
    this.seenRevision = this.campaign.revision;
    const end = this.journal.ownEnd;
    if (end && (idle || end.offset - this.covered >= WRITE_AFTER_BYTES)) this.write();
  }

  private write(): void {
    const end = this.journal.ownEnd;
    if (!end || end.offset === this.covered) return;
    const state = this.campaign.replayState();
    if (!state) return;
    this.writing = writeSnapshot(this.paths.snapshot, this.paths.journal, end, state)
      .then(
        () => void (this.covered = end.offset),
        (error: unknown) =>
          console.error(
            `campaign ${this.campaign.id}: could not write its snapshot:`,
            error instanceof Error ? error.message : error,
          ),
      )
      .finally(() => (this.writing = null));
  }
}
