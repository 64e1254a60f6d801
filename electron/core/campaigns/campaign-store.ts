import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../errors';
import { RecipientTable } from '../recipients/recipient-table';
import type { Campaign } from './campaign';
import { CampaignDefinition } from './definition';
import { Journal } from './journal';
import { parseJournalEvent, type JournalEvent } from './journal-events';
import { readSnapshot } from './campaign-snapshot';
import { SnapshotKeeper } from './snapshot-keeper';

const ID = /^[a-z0-9-]{1,64}$/;
const Columns = z.array(z.string());
const WRITE_SLICE = 20_000;

export interface StoredCampaign {
  def: CampaignDefinition;
  table: RecipientTable;
}

/** One folder per campaign: campaign.json (definition), recipients.ndjson, journal.ndjson, snapshot.bin. */
export class CampaignStore {
  constructor(private readonly root: string) {}

  static newId(now = new Date()): string {
    const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return `${stamp}-${randomBytes(3).toString('hex')}`;
  }

  static isId(id: string): boolean {
    return ID.test(id);
  }

  async create(def: CampaignDefinition, table: RecipientTable): Promise<void> {
    const dir = this.dir(def.id);
    await mkdir(dir, { recursive: true });
    await writeRecipients(join(dir, 'recipients.ndjson'), table);
    await this.saveDefinition(def);
  }

  saveDefinition(def: CampaignDefinition): Promise<void> {
    return writeAtomic(join(this.dir(def.id), 'campaign.json'), [JSON.stringify(def, null, 2)]);
  }

  async ids(): Promise<string[]> {
    await mkdir(this.root, { recursive: true });
    const entries = await readdir(this.root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && ID.test(e.name))
      .map((e) => e.name)
      .sort()
      .reverse();
  }

  async load(id: string): Promise<StoredCampaign> {
    const dir = this.dir(id);
    const def = CampaignDefinition.parse(JSON.parse(await readFile(join(dir, 'campaign.json'), 'utf8')));
    const table = await readRecipients(join(dir, 'recipients.ndjson'));
    return { def, table };
  }

  /**
   * Rebuilds `campaign` from its snapshot, when one matches its journal, and the journal's lines after it (all of
   * them otherwise), read as a stream; opens the journal for appends, and a keeper of the snapshot.
   */
  async replayInto(campaign: Campaign): Promise<OpenedCampaignJournal> {
    const paths = { snapshot: this.snapshotPath(campaign.id), journal: this.journalPath(campaign.id) };
    const snapshot = await readSnapshot(paths.snapshot, paths.journal);
    const from = snapshot && campaign.restore(snapshot.state) ? snapshot.mark : { offset: 0, line: 0 };
    const replay = campaign.replayer();
    const journal = await Journal.stream(paths.journal, parseJournalEvent, { sink: replay, from });
    replay.end();
    return { journal, snapshots: new SnapshotKeeper(campaign, journal, paths, from.offset) };
  }

  private snapshotPath(id: string): string {
    return join(this.dir(id), 'snapshot.bin');
  }

  private journalPath(id: string): string {
    return join(this.dir(id), 'journal.ndjson');
  }

  /** Deletes the campaign's folder and every file in it. */
  remove(id: string): Promise<void> {
    return rm(this.dir(id), { recursive: true, force: true });
  }

  /** The campaign's folder. */
  dir(id: string): string {
    if (!ID.test(id)) throw new DeskError('unknown-campaign', `There is no campaign with id "${id}".`);
    return join(this.root, id);
  }
}

/** First line the column names, then one JSON string per row (its cells joined by NUL). */
async function writeRecipients(path: string, table: RecipientTable): Promise<void> {
  const parts = [JSON.stringify(table.columns) + '\n'];
  for (let start = 0; start < table.size; start += WRITE_SLICE) {
    let slice = '';
    for (let row = start; row < Math.min(table.size, start + WRITE_SLICE); row++) {
      slice += JSON.stringify(table.packedRow(row)) + '\n';
    }
    parts.push(slice);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await writeAtomic(path, parts);
}

async function readRecipients(path: string): Promise<RecipientTable> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const columns = Columns.parse(JSON.parse(lines[0] ?? '[]'));
  const packed: string[] = [];
  for (let start = 1; start < lines.length; start += WRITE_SLICE) {
    for (const line of lines.slice(start, start + WRITE_SLICE))
      if (line !== '') packed.push(JSON.parse(line) as string);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return RecipientTable.fromPacked(columns, packed);
}

async function writeAtomic(path: string, parts: readonly string[]): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    for (const part of parts) await file.write(part);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

export interface OpenedCampaignJournal {
  journal: Journal<JournalEvent>;
  snapshots: SnapshotKeeper;
}

export interface OpenCampaign {
  campaign: Campaign;
  journal: Journal<JournalEvent>;
}
