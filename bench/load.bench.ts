import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeDesk } from '../electron/core/node-desk';

const ROWS = Number(process.env.LOAD_ROWS ?? 100_000);
const RATE = Number(process.env.LOAD_RATE ?? 2_000);

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'load-bench-'));
  const desk = await startNodeDesk(join(dir, 'home'), {
    restoreSchedules: false,
    sandbox: { failureShare: 0.1, submittedDelayMs: 50, finalDelayMs: 200, seed: 1, tps: null },
  });
  let peakFds = 0;
  let peakRss = 0;
  const sample = setInterval(() => {
    void readdir('/proc/self/fd').then((fds) => (peakFds = Math.max(peakFds, fds.length)));
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const lines = ['name,phone'];
  for (let i = 0; i < ROWS; i++) lines.push(`Person ${i},+1415${String(5_000_000 + i).padStart(7, '0')}`);
  const imported = await desk.importRecipients('load.csv', { text: lines.join('\n') });
  await desk.update(imported.id, { phoneColumn: 1, defaultCountry: 'US', template: 'Hi $(name), your order is ready.', senderId: 'ACME' });
  const started = performance.now();
  const progress = setInterval(async () => {
    const v = await desk.handlers['campaigns.get']({ id: imported.id });
    console.log(((performance.now() - started) / 1000).toFixed(0), 's', JSON.stringify(v.counts), 'fds', peakFds, 'rss', Math.round(peakRss / 1e6));
  }, 5000);
  await desk.send(imported.id, { rate: RATE });
  await desk.finished(imported.id);
  const sent = (performance.now() - started) / 1000;
  const ok = await desk.settled(imported.id, 120_000);
  const all = (performance.now() - started) / 1000;
  clearInterval(progress);
  clearInterval(sample);
  const v = await desk.handlers['campaigns.get']({ id: imported.id });
  console.log({ sent, all, ok, counts: v.counts, peakFds, peakRss: Math.round(peakRss / 1e6) });
  await desk.close();
  await rm(dir, { recursive: true, force: true });
}
await main();
