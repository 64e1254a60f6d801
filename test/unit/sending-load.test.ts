import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FINAL_STATUSES, type RowStatus } from '../../shared/status';
import { KEPT_RECORDS } from '../../electron/core/simulator/simulator';
import { importCampaign, tempHome, view, type Home } from './sending-support';

// A large campaign through the embedded Sandbox, each message answered with two delivery reports posted back
// to the receiver: it must end with every row final, in bounded sockets and memory.
const ROWS = 100_000;
const RATE = 2_000;

let home: Home;

beforeAll(async () => {
  home = await tempHome();
});

afterAll(async () => {
  await home.cleanup();
});

it(`takes a ${ROWS.toLocaleString('en')}-row campaign at ${RATE.toLocaleString('en')} msg/s through the Sandbox to every row final, in bounded descriptors and memory`, async () => {
  const desk = await home.start({
    sandbox: { failureShare: 0.1, submittedDelayMs: 50, finalDelayMs: 200, seed: 7, tps: null },
  });
  const id = await importCampaign(desk, ROWS);
  let maxFds = 0;
  let peakRss = 0;
  const sample = setInterval(() => {
    maxFds = Math.max(maxFds, readdirSync('/proc/self/fd').length);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const started = performance.now();
  try {
    await desk.send(id, { rate: RATE });
    await desk.finished(id);
    expect(await desk.settled(id, 240_000)).toBe(true);
  } finally {
    clearInterval(sample);
  }
  const seconds = (performance.now() - started) / 1000;
  const { counts, state } = await view(desk, id);
  console.log(
    `load test: ${seconds.toFixed(1)} s to every row final, max ${maxFds} descriptors, peak RSS ${Math.round(peakRss / 2 ** 20)} MB, ${JSON.stringify(counts)}`,
  );
  expect(state).toBe('completed');
  const final = Object.entries(counts).filter(([status]) => FINAL_STATUSES.has(status as RowStatus));
  expect(final.reduce((sum, [, n]) => sum + (n ?? 0), 0)).toBe(ROWS);
  expect(counts.undelivered ?? 0).toBeGreaterThan(0);
  expect(desk.simulator.failedPostCount).toBe(0);
  expect(desk.simulator.acceptedCount).toBe(ROWS);
  expect(desk.simulator.accepted.length).toBe(KEPT_RECORDS);
  // Reports go over a pool of 128 kept-alive connections: a socket at each end of each, and the process's own.
  expect(maxFds).toBeLessThan(600);
  expect(peakRss).toBeLessThan(1.5 * 2 ** 30);
}, 300_000);
