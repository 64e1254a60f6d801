import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, RowPatch } from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import {
  QUIET_SANDBOX,
  importCampaign,
  postDr,
  rowsOf,
  tempHome,
  waitFor,
  type Home,
} from './sending-support';

const ROWS = 30;

function report(id: string, row: number, status: 'Submitted' | 'Delivered') {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        Description: status,
        code: status === 'Delivered' ? '7500' : '7501',
        deliveryStatus: status,
        destination: '14155000000',
      },
      carrier: 'TEST',
      transid: '',
      correlationid: `${id}.${row}`,
    },
  };
}

/** Every `rows.updated` the desk pushes for a campaign, as the UI receives them. */
function pushedRows(desk: Desk, id: string): RowPatch[][] {
  const pushed: RowPatch[][] = [];
  desk.bus.subscribe((event, payload) => {
    if (event !== 'rows.updated') return;
    const update = payload as EventPayload<'rows.updated'>;
    if (update.campaignId === id) pushed.push(update.rows);
  });
  return pushed;
}

describe('Row updates pushed to the UI', () => {
  let home: Home;
  beforeEach(async () => void (home = await tempHome()));
  afterEach(async () => home.cleanup());

  it('merges a burst of reports for the same rows into one update, a row once, with its last state', async () => {
    const desk = await home.start({ sandbox: { ...QUIET_SANDBOX, deliveryReports: false } });
    const id = await importCampaign(desk, ROWS);
    await desk.send(id);
    await desk.finished(id);
    const pushed = pushedRows(desk, id);

    // Each row is reported submitted, submitted again, then delivered, all in one post.
    const burst = [];
    for (const status of ['Submitted', 'Submitted', 'Delivered'] as const)
      for (let row = 0; row < ROWS; row++) burst.push(report(id, row, status));
    expect(await postDr(desk, burst)).toBe(200);
    await waitFor(() => pushed.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(pushed).toHaveLength(1);
    const [update] = pushed as [RowPatch[]];
    expect(update.map((p) => p.index).sort((a, b) => a - b)).toEqual([...Array(ROWS).keys()]);
    expect(new Set(update.map((p) => p.status))).toEqual(new Set(['delivered']));
    // What crossed is what the rows are.
    const rows = await rowsOf(desk, id);
    for (const patch of update) expect(rows[patch.index]).toMatchObject(patch);
  });

  it('sends each row of a quick campaign across fewer times than it changed', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, ROWS);
    const pushed = pushedRows(desk, id);
    await desk.send(id);
    await desk.finished(id);
    expect(await desk.settled(id, 5000)).toBe(true);
    await waitFor(() => pushed.flat().filter((p) => p.status === 'delivered').length === ROWS);

    // Sending, queued, submitted, delivered: four changes a row; merged within each push interval.
    const crossings = pushed.flat().length;
    expect(crossings).toBeLessThan(4 * ROWS);
    for (const update of pushed) expect(new Set(update.map((p) => p.index)).size).toBe(update.length);
    const last = new Map(pushed.flat().map((p) => [p.index, p.status]));
    expect([...last.values()]).toEqual(Array(ROWS).fill('delivered'));
  });
});
