import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RowPatch, RowView } from '../../shared/api';
import { RowsStore } from '../../renderer/src/stores/rows-store';

const PAGE = 100;

function rowView(index: number, updatedAt: string | null = null): RowView {
  return {
    index,
    values: [`Person ${index}`],
    msisdn: `+1415${String(5_000_000 + index).padStart(7, '0')}`,
    message: `Hi Person ${index}`,
    encoding: 'GSM-7',
    segments: 1,
    characters: 12,
    tooLong: false,
    emptyPlaceholders: [],
    status: 'ready',
    reason: null,
    timeZones: ['America/Los_Angeles'],
    timeZoneFromFile: false,
    windowOpensAt: null,
    code: null,
    description: null,
    transid: null,
    sentAt: null,
    updatedAt,
    deliveredAt: null,
  };
}

function page(number: number, updatedAt: string | null = null): RowView[] {
  return Array.from({ length: PAGE }, (_, i) => rowView(number * PAGE + i, updatedAt));
}

function delivered(index: number, updatedAt: string): RowPatch {
  return {
    index,
    status: 'delivered',
    code: '7500',
    description: 'Delivered',
    transid: `t${index}`,
    sentAt: '2026-03-01T10:00:00.000Z',
    updatedAt,
    deliveredAt: updatedAt,
  };
}

const at = (n: number) => new Date(Date.parse('2026-03-01T10:00:00.000Z') + n).toISOString();

/** The store of the table: pages of PAGE rows of a 10-page campaign, page 0 fetched. */
function tableStore(): RowsStore {
  const store = new RowsStore(PAGE, 40, 10 * PAGE, 0);
  expect(store.claim(0, 0)).toBe(true);
  store.receive(0, 0, page(0), 10 * PAGE);
  return store;
}

/** Map entries written while `work` runs: copying a map writes each of its entries again. */
function entriesWritten(work: () => void): number {
  const set = vi.spyOn(Map.prototype, 'set');
  try {
    work();
    return set.mock.calls.length;
  } finally {
    set.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('RowsStore', () => {
  it('takes N single-row updates in work proportional to N, where copying the patches grew with its square', () => {
    /** Entries written by the store, and by copying every patch so far at each update (what the table did). */
    const work = (n: number) => {
      const store = new RowsStore(PAGE, 40, n, 0);
      for (let p = 0; p < n / PAGE; p++) {
        store.claim(p, 0);
        store.receive(p, 0, page(p), n);
      }
      const updates = Array.from({ length: n }, (_, i) => [delivered(i, at(i))]);
      const stored = entriesWritten(() => {
        for (const rows of updates) store.patch(rows);
      });
      expect(store.rowAt(n - 1)).toMatchObject({ status: 'delivered', updatedAt: at(n - 1) });
      let copied: ReadonlyMap<number, RowPatch> = new Map();
      const copying = entriesWritten(() => {
        for (const rows of updates) {
          const next = new Map(copied);
          for (const patch of rows) next.set(patch.index, patch);
          copied = next;
        }
      });
      return { stored, copying };
    };

    const small = work(500);
    const large = work(1000);
    expect(small.stored).toBeLessThanOrEqual(500);
    expect(large.stored).toBeLessThanOrEqual(2 * small.stored);
    // The counter sees the copies: twice the updates, four times the work.
    expect(large.copying).toBeGreaterThan(3.5 * small.copying);
    expect(large.copying).toBeGreaterThan(100 * large.stored);
  });

  it('keeps no patch for a row outside the pages held, and the held ones only until their page is fetched again', () => {
    const store = tableStore();
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.version()));

    // Rows 0..99 are held; 500..999 are not on screen.
    store.patch(Array.from({ length: 500 }, (_, i) => delivered(500 + i, at(1))));
    expect(store.patchCount).toBe(0);
    expect(seen).toEqual([]);
    store.patch([delivered(3, at(1)), delivered(4, at(1))]);
    expect(store.patchCount).toBe(2);
    expect(seen).toHaveLength(1);
    expect(store.rowAt(3)).toMatchObject({ status: 'delivered', code: '7500' });
    expect(store.rowAt(5)).toMatchObject({ status: 'ready' });

    // The page fetched again shows rows newer than the patches: they are dropped, the rows shown as fetched.
    expect(store.claim(0, 1)).toBe(true);
    store.receive(0, 1, page(0, at(2)), 10 * PAGE);
    expect(store.patchCount).toBe(0);
    expect(store.rowAt(3)).toMatchObject({ status: 'ready', updatedAt: at(2) });
  });

  it('keeps a patch that came while its page was on its way, when it is newer than the page', () => {
    const store = new RowsStore(PAGE, 40, 10 * PAGE, 0);
    expect(store.claim(2, 0)).toBe(true);
    expect(store.claim(2, 0)).toBe(false);
    store.patch([delivered(205, at(5)), delivered(206, at(1))]);
    store.receive(2, 0, page(2, at(3)), 10 * PAGE);

    expect(store.rowAt(205)).toMatchObject({ status: 'delivered', updatedAt: at(5) });
    expect(store.rowAt(206)).toMatchObject({ status: 'ready', updatedAt: at(3) });
    expect(store.patchCount).toBe(1);
    // With nothing on its way, updates for rows not held are let go.
    store.patch([delivered(900, at(6))]);
    expect(store.patchCount).toBe(1);
  });

  it('drops the patches of pages dropped to stay within its bound', () => {
    const store = new RowsStore(PAGE, 2, 10 * PAGE, 0);
    for (const n of [0, 1]) {
      store.claim(n, 0);
      store.receive(n, 0, page(n), 10 * PAGE);
    }
    store.patch([delivered(10, at(1)), delivered(110, at(1))]);
    expect(store.patchCount).toBe(2);
    store.claim(2, 0);
    store.receive(2, 0, page(2), 10 * PAGE);

    expect(store.rowAt(10)).toBeUndefined();
    expect(store.rowAt(110)).toMatchObject({ status: 'delivered' });
    expect(store.patchCount).toBe(1);
  });
});
