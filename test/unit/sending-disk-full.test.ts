/** A disk that fills up while a campaign is sent: sending stops in plain words, and resume sends no row twice. */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { startNodeDesk } from '../../electron/core/node-desk';
import { DISK_FULL_WHILE_SENDING } from '../../electron/core/sending/disk-full';
import { canMountSmallDisk, mountSmallDisk, type SmallDisk } from '../support/small-disk';
import { deskErrorOf } from './support/desk-error';
import {
  acceptedRows,
  deliveryReport,
  importCampaign,
  postDr,
  QUIET_SANDBOX,
  rowsOf,
  view,
  waitFor,
} from './sending-support';

const ROWS = 60;
let disk: SmallDisk;
const desks: Desk[] = [];

beforeAll(() => {
  if (canMountSmallDisk) disk = mountSmallDisk('4m');
});

afterAll(async () => {
  for (const desk of desks) await desk.close().catch(() => undefined);
  disk?.unmount();
});

async function startDesk(): Promise<Desk> {
  const desk = await startNodeDesk(join(disk.dir, 'home'), { sandbox: QUIET_SANDBOX });
  desks.push(desk);
  return desk;
}

it.skipIf(!canMountSmallDisk)(
  'stops sending when the disk is full, refuses reports it cannot keep, and resumes without sending a row twice',
  async () => {
    const desk = await startDesk();
    const id = await importCampaign(desk, ROWS);
    await desk.send(id, { rate: 40, batchSize: 4, maxInFlight: 2 });
    await waitFor(() => acceptedRows(desk.simulator, id).size >= 12);
    await disk.fill();
    await desk.finished(id);

    const stopped = await view(desk, id);
    expect(stopped).toMatchObject({ state: 'stopped', error: DISK_FULL_WHILE_SENDING });
    expect(stopped.counts.sending).toBeUndefined();
    const taken = acceptedRows(desk.simulator, id);
    // A report the receiver could not keep is refused, so that the platform posts it again.
    // (Larger than the room left in the journal's last block.)
    const [row] = taken.keys();
    const report = deliveryReport(`${id}.${row}`, 'Delivered');
    const padded = { ...report, note: 'x'.repeat(9000) };
    await disk.fill();
    expect(await postDr(desk, padded)).toBe(500);
    expect((await deskErrorOf(desk.send(id))).code).toBe('disk-full');
    expect(acceptedRows(desk.simulator, id)).toEqual(taken);

    await disk.free();
    await desk.send(id);
    await desk.finished(id);
    const accepted = acceptedRows(desk.simulator, id);
    expect([...accepted.values()].filter((n) => n > 1)).toEqual([]);
    expect((await view(desk, id)).state).toBe('completed');
    const rows = await rowsOf(desk, id);
    const statuses = rows.map((r) => r.status);
    expect(statuses).not.toContain('ready');
    expect(statuses).not.toContain('sending');
    // Rows journaled in a batch whose answer (or release) the full disk could not take are unknown, not sent
    // again; every other row was sent once.
    for (const r of rows) if (!accepted.has(r.index)) expect(r.status, `row ${r.index}`).toBe('unknown');
    expect(statuses.filter((s) => s === 'unknown').length).toBeLessThan(ROWS / 2);
    await desk.close();
    desks.splice(desks.indexOf(desk), 1);

    // The journal says what the campaign showed: after a restart, no row is ready again or in flight.
    const again = await startDesk();
    const replayed = (await rowsOf(again, id)).map((r) => r.status);
    expect(replayed).not.toContain('ready');
    expect(replayed).not.toContain('sending');
    expect((await view(again, id)).journalDamage).toEqual([]);
  },
  60_000,
);
