import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { RecipientTable } from '../recipients/csv-import';
import { Campaign } from './campaign';
import { CampaignDefinition } from './definition';
import { Journal } from './journal';
import { parseJournalEvent, type JournalEvent } from './journal-events';

const ID = /^[a-z0-9-]{1,64}$/;
const StoredTable = z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) });

export interface OpenCampaign {
  campaign: Campaign;
  journal: Journal<JournalEvent>;
}

/** One folder per campaign: campaign.json (definition), recipients.json, journal.ndjson. */
export class CampaignStore {
  constructor(private readonly root: string) {}

  static newId(now = new Date()): string {
    const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return `${stamp}-${randomBytes(3).toString('hex')}`;
  }

  async create(def: CampaignDefinition, table: RecipientTable): Promise<void> {
    const dir = this.dir(def.id);
    await mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, 'recipients.json'), JSON.stringify(table));
    await this.saveDefinition(def);
  }

  saveDefinition(def: CampaignDefinition): Promise<void> {
    return writeAtomic(join(this.dir(def.id), 'campaign.json'), JSON.stringify(def, null, 2));
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

  async load(id: string): Promise<OpenCampaign> {
    const dir = this.dir(id);
    const def = CampaignDefinition.parse(JSON.parse(await readFile(join(dir, 'campaign.json'), 'utf8')));
    const table = StoredTable.parse(JSON.parse(await readFile(join(dir, 'recipients.json'), 'utf8')));
    const campaign = new Campaign(def, table);
    const { journal, events } = await Journal.open(join(dir, 'journal.ndjson'), parseJournalEvent);
    for (const event of events) campaign.apply(event);
    return { campaign, journal };
  }

  private dir(id: string): string {
    if (!ID.test(id)) throw new DeskError('unknown-campaign', `There is no campaign with id "${id}".`);
    return join(this.root, id);
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}
