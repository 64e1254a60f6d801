import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dashboard, RowDetails, type RowView } from '../../shared/api';
import { deliveryCodeMeaning } from '../../shared/delivery-codes';
import fc from 'fast-check';
import { bucketFor, MAX_TIMELINE_POINTS, median as medianOf } from '../../electron/core/campaigns/dashboard';
import { SIMULATED_CARRIER, UNDELIVERED_OUTCOMES } from '../../electron/core/simulator/dr-scheduler';
import { importCampaign, rowsOf, tempHome, type Home } from './sending-support';

const ROWS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const secondsToDeliver = (r: RowView) =>
  (Date.parse(r.deliveredAt ?? '') - Date.parse(r.sentAt ?? '')) / 1000;

describe('campaigns.dashboard', () => {
  let home: Home;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  it('gives the figures of a campaign sent through the Sandbox, as its rows show them', async () => {
    const desk = await home.start({
      sandbox: { failureShare: 0.3, seed: 7, submittedDelayMs: 5, finalDelayMs: 40 },
    });
    // Every 50th row has no note: skipped, so never sent.
    const id = await importCampaign(desk, ROWS, {
      template: 'Hi $(name): $(note)',
      note: (row) => (row % 50 === 0 ? '' : 'ok'),
    });
    const SENT = ROWS - ROWS / 50;
    const before = Dashboard.parse(await desk.handlers['campaigns.dashboard']({ id }));
    expect(before).toMatchObject({ sent: 0, delivered: 0, failed: 0, deliveryRate: null, timeline: [] });
    expect(before.medianSecondsToDeliver).toBeNull();

    await desk.send(id, { rate: 1000 });
    await desk.finished(id);
    expect(await desk.settled(id, 10_000)).toBe(true);
    const rows = await rowsOf(desk, id);
    const dashboard = Dashboard.parse(await desk.handlers['campaigns.dashboard']({ id }));

    const delivered = rows.filter((r) => r.status === 'delivered');
    const failed = rows.filter((r) => ['undelivered', 'failed'].includes(r.status));
    // The seed gives a mix: some of each, every row accounted for.
    expect(delivered.length).toBeGreaterThan(SENT / 2);
    expect(failed.length).toBeGreaterThan(SENT / 10);
    expect(delivered.length + failed.length).toBe(SENT);
    expect(dashboard).toMatchObject({
      campaignId: id,
      counts: { delivered: delivered.length, skipped: ROWS - SENT, ...countBy(failed, (r) => r.status) },
      sent: SENT,
      delivered: delivered.length,
      failed: failed.length,
      deliveryRate: delivered.length / SENT,
      replies: 0,
      optOuts: 0,
    });
    expect(dashboard.medianSecondsToDeliver).toBeCloseTo(median(delivered.map(secondsToDeliver)), 3);
    expect(dashboard.medianSecondsToDeliver).toBeGreaterThan(0);

    // Failures by code, most frequent first, each with the documented meaning.
    const byCode = countBy(failed, (r) => r.code ?? '');
    expect(dashboard.failures).toEqual(
      Object.entries(byCode)
        .map(([code, count]) => ({ code, count, meaning: deliveryCodeMeaning(code) }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    );
    expect(dashboard.failures.map((f) => f.code).sort()).toEqual(
      UNDELIVERED_OUTCOMES.map((o) => o.code)
        .filter((c) => byCode[c])
        .sort(),
    );

    // The timeline holds every final report once, in the bucket of its time, from the first send on.
    const { timeline, bucketSeconds } = dashboard;
    expect(timeline.length).toBeGreaterThan(0);
    expect(timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    expect(timeline.reduce((n, p) => n + p.delivered, 0)).toBe(delivered.length);
    expect(timeline.reduce((n, p) => n + p.failed, 0)).toBe(failed.length);
    const start = Date.parse(timeline[0]?.at ?? '');
    const view = await desk.handlers['campaigns.get']({ id });
    expect(start).toBeLessThanOrEqual(Date.parse(view.startedAt ?? ''));
    expect(Date.parse(view.startedAt ?? '') - start).toBeLessThan(bucketSeconds * 1000);
    timeline.forEach((p, i) => expect(Date.parse(p.at)).toBe(start + i * bucketSeconds * 1000));
    for (const r of [...delivered, ...failed]) {
      const bucket = Math.floor((Date.parse(r.deliveredAt ?? '') - start) / (bucketSeconds * 1000));
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(timeline.length);
    }
    expect(view.endedAt).not.toBeNull();

    // One delivered row in detail: the Sandbox's two reports, its carrier and the time to deliver.
    const sample = delivered[0] as RowView;
    const details = RowDetails.parse(await desk.handlers['campaigns.row']({ id, row: sample.index }));
    expect(details).toMatchObject({
      ...sample,
      carrier: SIMULATED_CARRIER,
      meaning: 'Delivered',
      replies: [],
    });
    expect(details.secondsToDeliver).toBeCloseTo(secondsToDeliver(sample), 3);
    expect(details.history.map((e) => [e.status, e.code, e.meaning])).toEqual([
      ['submitted', '7501', 'Submitted'],
      ['delivered', '7500', 'Delivered'],
    ]);
    expect(details.deliveredAt).toBe(details.history[1]?.reportedAt);
  });
});

describe('median', () => {
  it('agrees with the middle of the sorted values, repeated values included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }), (values) => {
        const expected = values.length === 0 ? null : median(values);
        expect(medianOf(Float64Array.from(values))).toBe(expected);
      }),
    );
  });
});

describe('bucketFor', () => {
  it('picks the smallest round bucket that spans the campaign in at most 120 points', () => {
    const at = Date.parse('2026-03-01T10:00:00.300Z');
    expect(bucketFor(at, at + 50_000)).toEqual({ startMs: at - 300, bucketMs: 1000 });
    expect(bucketFor(at, at + 60 * 60_000)).toMatchObject({ bucketMs: 60_000 });
    expect(bucketFor(at, at + 3 * 86_400_000)).toMatchObject({ bucketMs: 3_600_000 });
    expect(bucketFor(at, at + 400 * 86_400_000)).toMatchObject({ bucketMs: 4 * 86_400_000 });
    for (const span of [0, 1, 999, 119_999, 120_000, 7_200_000, 86_400_000 * 30, 86_400_000 * 3000]) {
      const { startMs, bucketMs } = bucketFor(at, at + span);
      expect(startMs).toBeLessThanOrEqual(at);
      expect(Math.floor((at + span - startMs) / bucketMs) + 1).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    }
  });
});

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
