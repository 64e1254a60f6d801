import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeepAwake, AWAKE_BEFORE_START_MS } from '../../electron/core/power/keep-awake';
import { networkSignature, WakeWatch, type WakeReason } from '../../electron/core/power/wake-watch';
import type { PowerStatus } from '../../shared/api';

afterEach(() => {
  vi.useRealTimers();
});

describe('noticing a wake', () => {
  it('tells a resume from sleep by a tick far later than due, and a network change by the addresses', () => {
    vi.useFakeTimers();
    let network = 'IPv4:192.168.1.20';
    const woke: WakeReason[] = [];
    const watch = new WakeWatch((reason) => woke.push(reason), {
      everyMs: 5_000,
      sleptAfterMs: 30_000,
      network: () => network,
    });
    watch.start();
    vi.advanceTimersByTime(60_000);
    expect(woke).toEqual([]);

    // Asleep for ten minutes: the clock runs on, the next tick comes when the computer wakes.
    vi.setSystemTime(Date.now() + 10 * 60_000);
    vi.advanceTimersByTime(5_000);
    expect(woke).toEqual(['resumed']);

    // A little late (a busy event loop) is no wake.
    vi.setSystemTime(Date.now() + 20_000);
    vi.advanceTimersByTime(5_000);
    expect(woke).toEqual(['resumed']);

    network = 'IPv4:10.0.0.7';
    vi.advanceTimersByTime(5_000);
    expect(woke).toEqual(['resumed', 'network']);
    watch.stop();
    vi.advanceTimersByTime(60_000);
    expect(woke).toHaveLength(2);
  });

  it('reads the network from the external addresses only', () => {
    expect(networkSignature()).not.toContain('127.0.0.1');
  });
});

describe('keeping the computer awake before a start', () => {
  it('takes the blocker from ten minutes before the earliest start, and lets it go when the start is withdrawn', () => {
    vi.useFakeTimers();
    let nextStart: number | null = Date.now() + AWAKE_BEFORE_START_MS + 60_000;
    const calls: string[] = [];
    const statuses: PowerStatus[] = [];
    const awake = new KeepAwake({ sending: () => false, nextStart: () => nextStart }, (s) =>
      statuses.push(s),
    );
    awake.useBlocker({ start: () => calls.push('start'), stop: () => calls.push('stop') });
    awake.refresh();
    expect(awake.status.needed).toBe(false);
    vi.advanceTimersByTime(59_000);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual(['start']);
    expect(awake.status).toEqual({ needed: true, canKeepAwake: true });
    nextStart = null;
    awake.refresh();
    expect(calls).toEqual(['start', 'stop']);
    expect(statuses.map((s) => s.needed)).toEqual([false, true, false]);
  });
});
