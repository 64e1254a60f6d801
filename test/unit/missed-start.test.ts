import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import { MISSED_AFTER_MS } from '../../electron/core/campaigns/missed-start';
import { acceptedRows, importCampaign, journal, tempHome, view, waitFor, type Home } from './sending-support';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let home: Home;

beforeEach(async () => {
  home = await tempHome();
});

afterEach(async () => {
  vi.useRealTimers();
  await home.cleanup();
});

/** Moves the wall clock on by `ms` while timers stand still, as a computer asleep does. */
function sleep(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms });
}

async function scheduleConfirmed(desk: Desk, id: string, inMs: number): Promise<string> {
  const at = new Date(Date.now() + inMs).toISOString();
  const { digest } = await desk.handlers['campaigns.plan']({ id, at });
  await desk.handlers['campaigns.schedule']({ id, at, digest });
  return digest;
}

function pushed<E extends EventName>(desk: Desk, name: E): EventPayload<E>[] {
  const seen: EventPayload<E>[] = [];
  desk.bus.subscribe((event: string, payload: unknown) => {
    if (event === name) seen.push(payload as EventPayload<E>);
  });
  return seen;
}

describe('a scheduled start missed while the computer slept', () => {
  it('does not start late by itself after a wake: it asks, and sending now sends the confirmed plan', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3);
    await scheduleConfirmed(desk, id, 60_000);
    const views = pushed(desk, 'campaign.updated');

    sleep(60_000 + MISSED_AFTER_MS + 1_000);
    desk.wake();
    await waitFor(() => views.some((v) => v.id === id && v.startMissed));
    const missed = await view(desk, id);
    expect(missed).toMatchObject({ state: 'scheduled', startMissed: true });
    // The timer set for the start is gone too: nothing goes out when it would have fired.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acceptedRows(desk.simulator, id).size).toBe(0);

    const { digest } = await desk.handlers['campaigns.plan']({ id });
    await desk.handlers['campaigns.send']({ id, digest });
    await desk.finished(id);
    expect(acceptedRows(desk.simulator, id).size).toBe(3);
    expect((await view(desk, id)).startMissed).toBe(false);
  });

  it('still starts one woken a little late, within the grace of a missed start', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 2);
    await scheduleConfirmed(desk, id, 60_000);
    sleep(60_000 + MISSED_AFTER_MS / 2);
    desk.wake();
    await waitFor(async () => (await view(desk, id)).state === 'completed');
    expect(acceptedRows(desk.simulator, id).size).toBe(2);
  });

  it('asks on opening when the start passed while the app was closed; skip leaves a draft, a new time schedules it', async () => {
    const desk = await home.start();
    const skipped = await importCampaign(desk, 2);
    const moved = await importCampaign(desk, 2);
    await scheduleConfirmed(desk, skipped, 60_000);
    // The plan confirmed before the restart still holds (the Sandbox's new port is not part of it).
    const digest = await scheduleConfirmed(desk, moved, 60_000);
    await home.close(desk);

    sleep(60_000 + MISSED_AFTER_MS + 1_000);
    const again = await home.start();
    for (const id of [skipped, moved])
      expect(await view(again, id)).toMatchObject({ state: 'scheduled', startMissed: true });
    expect(again.simulator.accepted).toEqual([]);

    expect(await again.handlers['campaigns.schedule']({ id: skipped, at: null })).toMatchObject({
      state: 'draft',
      startMissed: false,
    });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(await again.handlers['campaigns.schedule']({ id: moved, at: later, digest })).toMatchObject({
      state: 'scheduled',
      scheduledAt: later,
      startMissed: false,
    });
    expect(again.simulator.accepted).toEqual([]);
  });
});

describe('keeping the computer awake', () => {
  it('is needed while a campaign is sent and shortly before a scheduled start, and said when the shell cannot', async () => {
    const desk = await home.start();
    const statuses = pushed(desk, 'power.status');
    expect(await desk.handlers['power.status']({})).toEqual({ needed: false, canKeepAwake: false });

    const soon = await importCampaign(desk, 2);
    await scheduleConfirmed(desk, soon, 5 * 60_000);
    expect(await desk.handlers['power.status']({})).toEqual({ needed: true, canKeepAwake: false });
    await desk.handlers['campaigns.schedule']({ id: soon, at: null });
    expect((await desk.handlers['power.status']({})).needed).toBe(false);

    const far = await importCampaign(desk, 2);
    await scheduleConfirmed(desk, far, 3 * 3_600_000);
    expect((await desk.handlers['power.status']({})).needed).toBe(false);
    await desk.handlers['campaigns.schedule']({ id: far, at: null });

    const blocked: string[] = [];
    desk.keepAwake.useBlocker({ start: () => blocked.push('start'), stop: () => blocked.push('stop') });
    const sent = await importCampaign(desk, 20);
    const { digest } = await desk.handlers['campaigns.plan']({ id: sent });
    await desk.handlers['campaigns.send']({ id: sent, digest });
    expect(blocked).toEqual(['start']);
    await desk.finished(sent);
    await waitFor(() => blocked.length === 2);
    expect(blocked).toEqual(['start', 'stop']);
    expect(statuses.map((s) => s.needed)).toEqual([true, false, false, true, false]);
    expect(statuses.at(-2)).toEqual({ needed: true, canKeepAwake: true });
  });
});

/** Runs the command line on the test's data folder; resolves with its exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['bin/campaign-desk.js', ...args, '--data-dir', join(home.dir, 'home')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('campaign-desk resume --missed-start', () => {
  it('asks for the choice, then sends now, skips or moves the start', async () => {
    // The campaigns were scheduled an hour ago for five minutes later, and no app was open since.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000 });
    const desk = await home.start();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const id = await importCampaign(desk, 3);
      await scheduleConfirmed(desk, id, 5 * 60_000);
      ids.push(id);
    }
    await home.close(desk);
    vi.useRealTimers();
    const [sent, skipped, moved] = ids as [string, string, string];

    const asked = await cli(['resume', sent]);
    expect(asked.code).toBe(2);
    expect(asked.output).toContain('that start was missed');
    expect(asked.output).toContain('--missed-start');
    const wrong = await cli(['resume', sent, '--missed-start', 'tomorrow']);
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain('not "tomorrow"');
    expect((await journal(home.dir, sent)).some((e) => e.t === 'start')).toBe(false);

    const now = await cli(['resume', sent, '--missed-start', 'send', '--wait', '5']);
    expect(now.code, now.output).toBe(0);
    const batched = (await journal(home.dir, sent)).flatMap((e) => (e.t === 'batch' ? e.rows : []));
    expect(batched.sort()).toEqual([0, 1, 2]);

    expect((await cli(['resume', skipped, '--missed-start', 'skip'])).code).toBe(0);
    const later = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, '+00:00');
    const rescheduled = await cli(['resume', moved, '--missed-start', later]);
    expect(rescheduled.code, rescheduled.output).toBe(0);
    expect(rescheduled.output).toContain('the app starts it then');

    const after = await home.start({ restoreSchedules: false });
    expect(await view(after, skipped)).toMatchObject({ state: 'draft', startMissed: false });
    expect(await view(after, moved)).toMatchObject({ state: 'scheduled', startMissed: false });
    expect(Date.parse((await view(after, moved)).scheduledAt as string)).toBe(Date.parse(later));
    expect((await journal(home.dir, skipped)).some((e) => e.t === 'start')).toBe(false);
  });
});
