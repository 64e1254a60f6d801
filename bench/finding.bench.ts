// Finding the campaign of a delivery report that names only its transid, and the campaigns a reply may answer,
// among 500 closed campaigns: how many a second the summaries let through, the transid's search included.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignsOnDisk } from '../electron/core/campaigns/campaigns-on-disk';
import { startNodeDesk } from '../electron/core/node-desk';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 500);
const SECONDS = 3;

const home = await mkdtemp(join(tmpdir(), 'finding-bench-'));
const campaigns = join(home, 'campaigns');
const sandbox = { failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10, seed: 11, tps: null };
try {
  // One campaign sent through the Sandbox, copied under other ids; opening them all writes their summaries.
  const first = await startNodeDesk(home, { sandbox, restoreSchedules: false });
  const csv = ['name,phone', 'Ann,+1 415 555 2001', 'Bob,+1 415 555 2002'].join('\n');
  const { id } = await first.importRecipients('people.csv', { text: csv });
  await first.update(id, { phoneColumn: 1, defaultCountry: 'US', template: 'Hi $(name)', senderId: 'ACME' });
  const { digest } = await first.handlers['campaigns.plan']({ id });
  await first.send(id, { digest });
  await first.finished(id);
  await first.close();
  const ids = [id];
  for (let i = 1; i < CAMPAIGNS; i++) {
    const copy = `${id.slice(0, -6)}${String(i).padStart(6, '0')}`;
    await cp(join(campaigns, id), join(campaigns, copy), { recursive: true });
    const defPath = join(campaigns, copy, 'campaign.json');
    const def = JSON.parse(await readFile(defPath, 'utf8')) as { id: string };
    await writeFile(defPath, JSON.stringify({ ...def, id: copy }));
    await rm(join(campaigns, copy, 'summary.json'), { force: true });
    ids.push(copy);
  }
  const lister = await startNodeDesk(home, { sandbox, restoreSchedules: false });
  await lister.handlers['campaigns.list']({});
  await lister.close();

  const onDisk = new CampaignsOnDisk(
    {
      folder: (campaign) => join(campaigns, campaign),
      storedIds: async () => ids,
      opened: () => undefined,
      openOrSay: async () => null,
    },
    { textApi: () => 'messaging', optOutsPath: join(home, 'suppression.ndjson') },
  );
  const perSecond = async (what: string, run: () => Promise<unknown>) => {
    await run();
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < SECONDS * 1000) {
      await run();
      count++;
    }
    const rate = count / ((performance.now() - start) / 1000);
    console.log(`${what.padEnd(52)} ${rate.toFixed(1).padStart(8)} /s`);
  };
  const { sent, unknown } = await onDisk.sentThrough('sandbox');
  if (sent.length !== CAMPAIGNS || unknown.length !== 0)
    throw new Error(
      `expected ${CAMPAIGNS} summarized campaigns, got ${sent.length} (${unknown.length} unknown)`,
    );
  console.log(`${CAMPAIGNS} closed campaigns`);
  await perSecond('replies: campaigns sent through the service', () => onDisk.sentThrough('sandbox'));
  await perSecond('reports naming a transid no campaign holds', () => onDisk.findTransid('no-such-transid'));
} finally {
  await rm(home, { recursive: true, force: true });
}
