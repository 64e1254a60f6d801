import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { SANDBOX_ID } from '../../electron/core/services';
import {
  acceptedRows,
  importCampaign,
  phone,
  recipientsCsv,
  rowsOf,
  tempHome,
  view,
  type Home,
} from './sending-support';
import { deskErrorOf } from './support/desk-error';

const DAY_MS = 86_400_000;
let home: Home;
/** The desks' clock, moved by the tests. */
let offset = 0;
const clock = () => Date.now() + offset;

beforeEach(async () => {
  home = await tempHome();
  offset = 0;
});

afterEach(async () => {
  await home.cleanup();
});

/** Plans, confirms and sends the campaign, and waits until the run is over. */
async function sendAll(desk: Desk, id: string): Promise<void> {
  const plan = await desk.handlers['campaigns.plan']({ id });
  await desk.handlers['campaigns.send']({ id, digest: plan.digest });
  await desk.finished(id);
}

/** A draft to the first `rows` numbers, which may all be over the cap already. */
async function draft(desk: Desk, rows: number): Promise<string> {
  const { id } = await desk.importRecipients('people.csv', { text: recipientsCsv(rows) });
  await desk.update(id, { phoneColumn: 1, defaultCountry: 'US', template: 'Hi $(name)', senderId: 'ACME' });
  return id;
}

const capSandbox = (desk: Desk, cap: { messages: number; days: number } | null) =>
  desk.handlers['services.setFrequencyCap']({ id: SANDBOX_ID, cap });

describe('frequency cap', () => {
  it('skips the numbers that had their messages, in the plan, the send and the report', async () => {
    const desk = await home.start({ clock });
    const first = await importCampaign(desk, 3);
    await sendAll(desk, first);

    await capSandbox(desk, { messages: 1, days: 7 });
    const second = await importCampaign(desk, 5);
    const plan = await desk.handlers['campaigns.plan']({ id: second });
    expect(plan).toMatchObject({
      ready: 2,
      skipped: { 'frequency-cap': 3 },
      frequencyCap: { messages: 1, days: 7, damage: null },
    });
    expect((await view(desk, second)).skipCounts).toEqual({ 'frequency-cap': 3 });
    const filtered = await desk.handlers['campaigns.rows']({
      id: second,
      offset: 0,
      limit: 10,
      filter: { reason: 'frequency-cap' },
    });
    expect(filtered.rows.map((r) => r.index)).toEqual([0, 1, 2]);

    await desk.handlers['campaigns.send']({ id: second, digest: plan.digest });
    await desk.finished(second);
    expect([...acceptedRows(desk.simulator, second).keys()].sort()).toEqual([3, 4]);
    const report = (await desk.handlers['campaigns.report']({ id: second })).csv;
    expect(report.match(/skipped: frequency-cap/g)).toHaveLength(3);
    const skipped = (await desk.handlers['campaigns.exportSkipped']({ id: second })).csv;
    expect(skipped).toContain(`${phone(0)},ok,1,frequency-cap,`);
  });

  it('lets a number have a message again once the period is over, and all of them with the cap off', async () => {
    const desk = await home.start({ clock });
    await capSandbox(desk, { messages: 1, days: 7 });
    const first = await importCampaign(desk, 3);
    const again = await draft(desk, 3);
    await sendAll(desk, first);
    expect(await deskErrorOf(desk.handlers['campaigns.plan']({ id: again }))).toMatchObject({
      code: 'campaign-not-ready',
    });
    offset = 7 * DAY_MS + 60_000;
    expect((await desk.handlers['campaigns.plan']({ id: again })).ready).toBe(3);
    offset = 0;
    expect((await view(desk, again)).skipCounts).toEqual({ 'frequency-cap': 3 });
    await capSandbox(desk, null);
    expect((await view(desk, again)).skipCounts).toEqual({});
    await sendAll(desk, again);
    expect(acceptedRows(desk.simulator, again).size).toBe(3);
  });

  it('keeps the history across a restart, and counts a damaged line against every number', async () => {
    let desk = await home.start({ clock });
    await capSandbox(desk, { messages: 2, days: 7 });
    await sendAll(desk, await importCampaign(desk, 2));
    await home.close(desk);

    desk = await home.start({ clock });
    const next = await importCampaign(desk, 4);
    // Two messages each allowed: the numbers sent once may have one more.
    expect((await desk.handlers['campaigns.plan']({ id: next })).ready).toBe(4);
    await home.close(desk);

    await appendFile(join(home.dir, 'home', 'contact-history', `${SANDBOX_ID}.log`), '17x9 garbled\n');
    desk = await home.start({ clock });
    const plan = await desk.handlers['campaigns.plan']({ id: next });
    // The damaged line may have been a message to any number: those sent once are now at the cap.
    expect(plan).toMatchObject({ ready: 2, skipped: { 'frequency-cap': 2 } });
    expect(plan.frequencyCap?.damage).toMatch(
      /^One line of this service's contact history could not be read/,
    );
  });

  it('skips, at the moment it would go, a row another campaign sent to after the plan was confirmed', async () => {
    const desk = await home.start({ clock });
    await capSandbox(desk, { messages: 1, days: 7 });
    const a = await importCampaign(desk, 40);
    const b = await importCampaign(desk, 40);
    const planA = await desk.handlers['campaigns.plan']({ id: a });
    const planB = await desk.handlers['campaigns.plan']({ id: b });
    expect([planA.ready, planB.ready]).toEqual([40, 40]);
    // Both confirmed before either sent: at 20 messages a second, they overlap.
    await Promise.all([
      desk.send(a, { digest: planA.digest, rate: 20 }),
      desk.send(b, { digest: planB.digest, rate: 20 }),
    ]);
    await Promise.all([desk.finished(a), desk.finished(b)]);
    const sentA = acceptedRows(desk.simulator, a);
    const sentB = acceptedRows(desk.simulator, b);
    for (let row = 0; row < 40; row++) expect((sentA.get(row) ?? 0) + (sentB.get(row) ?? 0)).toBe(1);
    const rowsB = await rowsOf(desk, b);
    for (const row of rowsB.filter((r) => !sentB.has(r.index)))
      expect([row.status, row.reason]).toEqual(['skipped', 'frequency-cap']);
  });

  it('sends no number more than the cap allows in any period, whatever the campaigns and the clock', async () => {
    const desk = await home.start({ clock });
    const numbers = 6;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          messages: fc.integer({ min: 1, max: 3 }),
          days: fc.integer({ min: 1, max: 5 }),
          steps: fc.array(
            fc.record({
              rows: fc.integer({ min: 1, max: numbers }),
              together: fc.boolean(),
              laterHours: fc.integer({ min: 0, max: 72 }),
            }),
            { minLength: 1, maxLength: 5 },
          ),
        }),
        async ({ messages, days, steps }) => {
          offset += 400 * DAY_MS; // Far from every earlier run.
          await capSandbox(desk, { messages, days });
          const sentAt = new Map<number, number[]>();
          for (const step of steps) {
            offset += step.laterHours * 3_600_000;
            const ids = [await draft(desk, step.rows)];
            if (step.together) ids.push(await draft(desk, numbers - step.rows + 1));
            const plans = await Promise.all(
              ids.map((id) => desk.handlers['campaigns.plan']({ id }).catch(() => null)),
            );
            await Promise.all(
              ids.map((id, i) => plans[i] && desk.send(id, { digest: plans[i].digest, rate: 50 })),
            );
            await Promise.all(ids.map((id) => desk.finished(id)));
            for (const id of ids) {
              for (const row of acceptedRows(desk.simulator, id).keys())
                sentAt.set(row, [...(sentAt.get(row) ?? []), clock()]);
            }
          }
          for (const times of sentAt.values()) {
            times.sort((x, y) => x - y);
            for (let i = messages; i < times.length; i++)
              expect((times[i] as number) - (times[i - messages] as number)).toBeGreaterThanOrEqual(
                days * DAY_MS,
              );
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
