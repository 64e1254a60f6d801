// Writing the transid and number indexes of a 1,000,000-row sent campaign, as when it leaves memory: the time
// it takes and the longest the event loop is held meanwhile (a timer ticking every millisecond measures it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CampaignFinder } from '../electron/core/campaigns/campaign-finder';
import { CampaignSummaries } from '../electron/core/campaigns/campaign-summary';
import { recipientsFixture } from './recipients-fixture';
import { sentCampaign } from './sent-campaign';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const { campaign } = await sentCampaign(await recipientsFixture(ROWS));
const dir = mkdtempSync(join(tmpdir(), 'index-write-'));
const summaries = new CampaignSummaries(() => dir, {
  textApi: () => 'messaging',
  optOutsPath: join(dir, 'suppression.ndjson'),
});
const finder = new CampaignFinder(() => dir, summaries);

let longest = 0;
let last = performance.now();
let ticking = true;
const tick = () => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
  if (ticking) setTimeout(tick, 1);
};
setTimeout(tick, 1);
const start = performance.now();
await finder.writeIndexes(campaign);
const took = performance.now() - start;
ticking = false;
rmSync(dir, { recursive: true, force: true });
console.log(
  `index write, ${ROWS.toLocaleString('en')} rows: ${took.toFixed(0)} ms, event loop held at most ${longest.toFixed(0)} ms`,
);
